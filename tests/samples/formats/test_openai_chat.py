"""OpenAI-style request/response lines: the mapping onto a sample."""

from __future__ import annotations

import json
from pathlib import Path

from benchlab.samples.decoding import DecodedLines
from benchlab.samples.formats import Bad, Parsed, detect_format
from benchlab.samples.formats.openai_chat import read_openai_chat


def test_request_response_tool_calls_and_bad_feedback(tmp_path: Path) -> None:
    base = {
        "request": {
            "model": "gpt-4o",
            "messages": [{"role": "user", "content": [{"type": "text", "text": "Weather?"}]}],
            "temperature": 0,
        },
        "response": {
            "id": "chatcmpl-1",
            "created": 1764547200,
            "choices": [{"index": 0, "message": {"content": "Sunny."}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 9, "completion_tokens": 2},
        },
        "feedback": {"score": 1, "comment": "great"},
        "metadata": {"user": "u1"},
    }
    tools = json.loads(json.dumps(base))
    tools["response"]["choices"][0]["message"] = {"content": None, "tool_calls": [{"id": "c"}]}
    bad = dict(base, feedback={"stars": 5})
    path = tmp_path / "gateway.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in (base, tools, bad)) + "\n")
    assert detect_format(path) == "openai"
    first, second, third = list(read_openai_chat(DecodedLines(path)))
    assert isinstance(first, Parsed) and isinstance(second, Parsed) and isinstance(third, Bad)
    sample = first.sample
    assert sample.input == [{"role": "user", "content": "Weather?"}]
    assert (sample.output, sample.model, sample.sample_id) == ("Sunny.", "gpt-4o", "chatcmpl-1")
    assert (sample.input_tokens, sample.output_tokens) == (9, 2)
    assert (sample.feedback_score, sample.feedback_comment) == (1.0, "great")
    assert sample.metadata == {
        "user": "u1",
        "request_params": {"temperature": 0},
        "finish_reason": "stop",
    }
    assert sample.timestamp is not None and sample.timestamp.timestamp() == 1764547200
    assert second.sample.output == "" and second.sample.metadata["tool_calls"] == [{"id": "c"}]
    assert third.line == 3 and third.reason.startswith("feedback.stars")
