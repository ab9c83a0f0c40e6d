"""OTLP JSON of GenAI spans: the three ways a prompt and completion are recorded, one mapping."""

from __future__ import annotations

import json
import random
from pathlib import Path

from benchlab.samples.decoding import DecodedLines
from benchlab.samples.formats import Bad, Parsed, Skipped, detect_format
from benchlab.samples.formats.otlp import read_otlp
from support.production_samples import _exchange, genai_span, http_span, otlp_document


def _read(path: Path) -> list[Parsed | Bad | Skipped]:
    return list(read_otlp(DecodedLines(path)))


def test_events_json_and_otlp_array_styles_read_as_the_same_sample(tmp_path: Path) -> None:
    ex = _exchange(random.Random(0), 3, 0)  # i % 3 == 0: a chat input with a system message
    spans = [genai_span(3, ex, style) for style in ("events", "json", "otlp")] + [http_span(3)]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(otlp_document(spans), indent=2))  # pretty-printed, one document
    assert detect_format(path) == "otlp"
    items = _read(path)
    assert isinstance(items[-1], Skipped)
    samples = [item.sample for item in items if isinstance(item, Parsed)]
    assert len(samples) == 3
    assert samples[0].input == samples[1].input == samples[2].input == ex["input"]
    assert {s.output for s in samples} == {ex["output"]}
    assert {s.content_hash() for s in samples} == {samples[0].content_hash()}
    first = samples[0]
    assert first.model == ex["model"] + "-2026-10-01"  # the response model beats the request's
    assert first.timestamp == ex["timestamp"]
    assert (first.input_tokens, first.output_tokens) == (13, 6)
    assert first.metadata["operation"] == "chat" and first.metadata["provider"] == "openai"
    assert first.metadata["finish_reasons"] == ["stop"]
    assert first.sample_id == f"{3:016x}"


def test_the_oldest_prompt_and_completion_events_and_older_token_names(tmp_path: Path) -> None:
    span = {
        "traceId": "t",
        "spanId": "s",
        "startTimeUnixNano": "1764547200000000000",
        "attributes": [
            {"key": "gen_ai.system", "value": {"stringValue": "openai"}},
            {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4"}},
            {"key": "gen_ai.usage.prompt_tokens", "value": {"intValue": 7}},
        ],
        "events": [
            {
                "name": "gen_ai.content.prompt",
                "attributes": [
                    {
                        "key": "gen_ai.prompt",
                        "value": {"stringValue": '[{"role": "user", "content": "hi"}]'},
                    }
                ],
            },
            {
                "name": "gen_ai.content.completion",
                "attributes": [
                    {
                        "key": "gen_ai.completion",
                        "value": {"stringValue": '[{"role": "assistant", "content": "hello"}]'},
                    }
                ],
            },
        ],
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps(otlp_document([span])))
    (item,) = _read(path)
    assert isinstance(item, Parsed)
    assert item.sample.input == [{"role": "user", "content": "hi"}]
    assert item.sample.output == "hello" and item.sample.model == "gpt-4"
    assert item.sample.input_tokens == 7 and item.sample.metadata["provider"] == "openai"


def test_a_span_without_completion_and_a_cut_line_are_bad_the_rest_read(tmp_path: Path) -> None:
    ex = _exchange(random.Random(0), 1, 0)
    broken = genai_span(2, ex, "json")
    broken["attributes"] = [a for a in broken["attributes"] if a["key"] != "gen_ai.output.messages"]
    path = tmp_path / "lines.jsonl"
    path.write_text(
        json.dumps(otlp_document([genai_span(1, ex, "events"), broken]))
        + "\n{not json\n"
        + json.dumps({"resourceLogs": []})
        + "\n"
    )
    items = _read(path)
    assert [type(i).__name__ for i in items] == ["Parsed", "Bad", "Bad", "Bad"]
    bad = [i for i in items if isinstance(i, Bad)]
    assert [b.line for b in bad] == [1, 2, 3]
    assert "span 0000000000000002: no completion" in bad[0].reason
    assert bad[1].reason.startswith("not JSON") and "resourceSpans" in bad[2].reason
