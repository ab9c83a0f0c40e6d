"""Tool calls as a timeline: both stored shapes, pretty arguments, results matched by id."""

from __future__ import annotations

from typing import Any

from benchlab.server.tool_timeline import tool_timeline

OPENAI_SHAPE = {
    "id": "call_1",
    "type": "function",
    "function": {"name": "get_weather", "arguments": '{"unit": "C", "city": "Paris"}'},
}


def test_openai_and_neutral_calls_read_alike_with_pretty_arguments() -> None:
    neutral = {"id": "call_2", "name": "search", "arguments": {"query": "<b>x</b>"}}
    first, second = tool_timeline([OPENAI_SHAPE, neutral], [])
    assert (first.index, first.name, first.call_id) == (1, "get_weather", "call_1")
    assert first.origin == "answer"
    args = str(first.arguments)
    assert args.startswith('<pre class="hl">') and "<span" in args  # highlighted JSON
    assert args.index("city") < args.index("unit")  # sorted keys, one per line
    assert args.count("\n") >= 3 and "\\n" not in args
    assert "&lt;b&gt;x&lt;/b&gt;" in str(second.arguments) and "<b>" not in str(second.arguments)
    assert first.result is None and second.result is None


def test_arguments_that_are_not_json_stay_as_written() -> None:
    call = {"id": "c", "function": {"name": "shell", "arguments": "ls -la <dir>"}}
    (step,) = tool_timeline([call], [])
    assert "ls -la &lt;dir&gt;" in str(step.arguments)


def test_earlier_turns_calls_come_first_with_their_results() -> None:
    prompt: list[dict[str, Any]] = [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": "", "tool_calls": [OPENAI_SHAPE]},
        {"role": "tool", "tool_call_id": "call_1", "content": "18 C, cloudy"},
    ]
    again = {"id": "call_9", "name": "get_weather", "arguments": {"city": "Lyon"}}
    earlier, now = tool_timeline([again], prompt)
    assert (earlier.origin, earlier.result) == ("prompt", "18 C, cloudy")
    assert (now.index, now.origin, now.result) == (2, "answer", None)
    assert tool_timeline(None, []) == []
