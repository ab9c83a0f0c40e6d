"""Generated production logs in every import format `benchlab samples import` reads.

Each writer puts `n` good samples in a real file, with malformed records
planted at known places and some lines in Latin-1 rather than UTF-8, and
returns what a correct import must find. Samples are deterministic (seeded)
and pairwise distinct (each has its own timestamp), except the planted
duplicates, which repeat an earlier sample's exact content.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

START = datetime(2026, 11, 1, tzinfo=UTC)
QUESTIONS = [
    "How do I reset my password?",
    "Can I change the billing address on an invoice?",
    "Wie kündige ich mein Abo?",
    "Où est ma commande n° 4521 ?",
    "Is the café open on Sundays?",
    "Why was my card declined?",
]
CATEGORIES = ["account", "billing", "shipping", "other"]


@dataclass
class Generated:
    """A written file and what importing it must report."""

    path: Path
    good: int  # samples a correct reader yields (planted duplicates included)
    bad_lines: list[int] = field(default_factory=list)
    duplicates: int = 0  # good samples that repeat an earlier one of the same file
    latin1_lines: int = 0  # physical lines written in Latin-1 (of good samples)
    skipped: int = 0
    chat_inputs: int = 0  # distinct samples whose input is chat messages


def _exchange(rng: random.Random, i: int, seed: int) -> dict[str, Any]:
    """The i-th exchange of the file of `seed` (files of different seeds share no sample)."""
    question = f"{rng.choice(QUESTIONS)} (ticket {i})"
    chat = i % 3 == 0
    return {
        "timestamp": START + timedelta(days=seed, seconds=37 * i, microseconds=i),
        "input": (
            [
                {"role": "system", "content": "You are a support agent."},
                {"role": "user", "content": question},
            ]
            if chat
            else question
        ),
        "output": f"Answer {i}: " + "see the help page. " * rng.randint(1, 6),
        "model": rng.choice(["openai/gpt-4o-mini", "anthropic/claude-haiku"]),
        "score": None if i % 2 else rng.choice([0.0, 0.5, 1.0]),
        "category": CATEGORIES[i % len(CATEGORIES)],
        "chat": chat,
    }


def write_ours(path: Path, n: int, seed: int = 1) -> Generated:
    """Our JSONL (as log_sample writes it), with bad lines, blank lines, Latin-1 lines."""
    rng = random.Random(seed)
    out = Generated(path, good=0)
    lines: list[bytes] = []
    previous: dict[str, Any] | None = None
    for i in range(n):
        ex = _exchange(rng, i, seed)
        line = {
            "id": f"s{i}",
            "timestamp": ex["timestamp"].isoformat().replace("+00:00", "Z"),
            "input": ex["input"],
            "output": ex["output"],
            "feedback": None if ex["score"] is None else {"score": ex["score"], "label": "up"},
            "metadata": {"category": ex["category"]},
            "model": ex["model"],
        }
        if i % 97 == 5:  # a service that wrote Latin-1
            line["output"] += " Café ouvert, à bientôt."
            lines.append(json.dumps(line, ensure_ascii=False).encode("latin-1"))
            out.latin1_lines += 1
        else:
            lines.append(json.dumps(line, ensure_ascii=False).encode("utf-8"))
        out.good += 1
        out.chat_inputs += ex["chat"]
        if i % 250 == 7 and previous is not None:  # the same sample logged twice
            again = dict(previous, id=f"again{i}")
            lines.append(json.dumps(again, ensure_ascii=False).encode("utf-8"))
            out.good += 1
            out.duplicates += 1
        previous = line
        if i % 300 == 11:
            lines.append(b'{"timestamp": "2026-11-01T00:00:00Z", "input": "cut sho')
            out.bad_lines.append(len(lines))
        if i % 300 == 12:
            lines.append(b'{"input": "no output here"}')
            out.bad_lines.append(len(lines))
        if i % 500 == 13:
            lines.append(b"")
    path.write_bytes(b"\n".join(lines) + b"\n")
    return out


def write_csv(path: Path, n: int, seed: int = 2) -> Generated:
    """CSV with metadata.* columns, multi-line cells, chat inputs as JSON, bad rows, Latin-1."""
    rng = random.Random(seed)
    out = Generated(path, good=0)
    header = ["timestamp", "input", "output", "feedback_score", "feedback_label"]
    header += ["feedback_comment", "model", "metadata.category", "metadata.tier"]
    chunks: list[bytes] = []
    line = 1

    def row_bytes(cells: list[str], encoding: str = "utf-8") -> bytes:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(cells)
        return buffer.getvalue().encode(encoding)

    chunks.append(row_bytes(header))
    for i in range(n):
        ex = _exchange(rng, i, seed)
        cells = [
            ex["timestamp"].isoformat(),
            json.dumps(ex["input"], ensure_ascii=False) if ex["chat"] else ex["input"],
            ex["output"] + ("\nSecond line of the answer." if i % 10 == 0 else ""),
            "" if ex["score"] is None else str(ex["score"]),
            "" if ex["score"] is None else ("good" if ex["score"] else "bad"),
            "" if i % 7 else 'said "thanks", then left',
            ex["model"],
            ex["category"],
            "" if i % 2 else "pro",
        ]
        encoding = "utf-8"
        if i % 113 == 3:
            cells[2] += " Müller: façade réparée."
            encoding = "latin-1"
        data = row_bytes(cells, encoding)
        for physical in data.split(b"\n")[:-1]:
            try:
                physical.decode("utf-8")
            except UnicodeDecodeError:
                out.latin1_lines += 1
        chunks.append(data)
        line += 1
        line += data.count(b"\n") - 1
        out.good += 1
        out.chat_inputs += ex["chat"]
        if i % 400 == 17:
            chunks.append(row_bytes(["2026-11-01T00:00:00Z", "too", "few"]))
            line += 1
            out.bad_lines.append(line)
        if i % 400 == 18:
            chunks.append(row_bytes(["yesterday", "q", "a", "", "", "", "m", "", ""]))
            line += 1
            out.bad_lines.append(line)
        if i % 400 == 19:
            chunks.append(row_bytes(["", "q", "a", "very good", "", "", "m", "", ""]))
            line += 1
            out.bad_lines.append(line)
    path.write_bytes(b"".join(chunks))
    return out


def write_openai(path: Path, n: int, seed: int = 3) -> Generated:
    """OpenAI-style request/response lines (list-of-parts contents, tool calls, bad lines)."""
    rng = random.Random(seed)
    out = Generated(path, good=0)
    lines: list[bytes] = []
    for i in range(n):
        ex = _exchange(rng, i, seed)
        messages = ex["input"] if ex["chat"] else [{"role": "user", "content": ex["input"]}]
        if i % 5 == 1:  # content as a list of parts
            messages = [
                {"role": m["role"], "content": [{"type": "text", "text": m["content"]}]}
                for m in messages
            ]
        record: dict[str, Any] = {
            "request": {"model": ex["model"], "messages": messages, "temperature": 0.2},
            "response": {
                "id": f"chatcmpl-{i}",
                "object": "chat.completion",
                "created": int(ex["timestamp"].timestamp()),
                "model": ex["model"] + "-2026-10-01",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": ex["output"]},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 20 + i % 50, "completion_tokens": 5 + i % 30},
            },
        }
        if ex["score"] is not None:
            record["feedback"] = {"score": ex["score"]}
        if i % 89 == 4:
            record["response"]["choices"][0]["message"]["content"] += " Grüße aus Köln."
            lines.append(json.dumps(record, ensure_ascii=False).encode("latin-1"))
            out.latin1_lines += 1
        else:
            lines.append(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        out.good += 1
        out.chat_inputs += 1
        if i % 350 == 21:
            lines.append(json.dumps({"request": {"messages": []}, "response": {}}).encode())
            out.bad_lines.append(len(lines))
        if i % 350 == 22:
            lines.append(b'{"request": {"model": "x", "messages": [{"role": "user"')
            out.bad_lines.append(len(lines))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return out


def _attr(key: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    if isinstance(value, list):
        return {"key": key, "value": {"arrayValue": {"values": [_any(v) for v in value]}}}
    return {"key": key, "value": {"stringValue": value}}


def _any(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return {"kvlistValue": {"values": [_attr(k, v) for k, v in value.items()]}}
    if isinstance(value, list):
        return {"arrayValue": {"values": [_any(v) for v in value]}}
    if isinstance(value, int) and not isinstance(value, bool):
        return {"intValue": str(value)}
    return {"stringValue": value}


def genai_span(i: int, ex: dict[str, Any], style: str) -> dict[str, Any]:
    """One GenAI client span: `events` (gen_ai.*.message / gen_ai.choice events),
    `json` (gen_ai.input/output.messages as JSON strings) or `otlp` (as OTLP arrays)."""
    messages = ex["input"] if ex["chat"] else [{"role": "user", "content": ex["input"]}]
    start = int(ex["timestamp"].timestamp() * 1e6) * 1000
    attrs = [
        _attr("gen_ai.operation.name", "chat"),
        _attr("gen_ai.provider.name", "openai"),
        _attr("gen_ai.request.model", ex["model"]),
        _attr("gen_ai.response.model", ex["model"] + "-2026-10-01"),
        _attr("gen_ai.usage.input_tokens", 10 + i % 40),
        _attr("gen_ai.usage.output_tokens", 3 + i % 20),
        _attr("gen_ai.response.finish_reasons", ["stop"]),
    ]
    events: list[dict[str, Any]] = []
    if style == "events":
        for m in messages:
            events.append(
                {
                    "timeUnixNano": str(start),
                    "name": f"gen_ai.{m['role']}.message",
                    "attributes": [_attr("content", m["content"])],
                }
            )
        choice = {"role": "assistant", "content": ex["output"]}
        events.append(
            {
                "timeUnixNano": str(start + 1000),
                "name": "gen_ai.choice",
                "attributes": [
                    _attr("index", 0),
                    _attr("finish_reason", "stop"),
                    {"key": "message", "value": _any(choice)},
                ],
            }
        )
    else:
        system = [m for m in messages if m["role"] == "system"]
        inputs = [
            {"role": m["role"], "parts": [{"type": "text", "content": m["content"]}]}
            for m in messages
            if m["role"] != "system"
        ]
        outputs = [
            {
                "role": "assistant",
                "parts": [{"type": "text", "content": ex["output"]}],
                "finish_reason": "stop",
            }
        ]
        instructions = [{"type": "text", "content": m["content"]} for m in system]
        if style == "json":
            attrs.append(_attr("gen_ai.input.messages", json.dumps(inputs)))
            attrs.append(_attr("gen_ai.output.messages", json.dumps(outputs)))
            if instructions:
                attrs.append(_attr("gen_ai.system_instructions", json.dumps(instructions)))
        else:
            attrs.append({"key": "gen_ai.input.messages", "value": _any(inputs)})
            attrs.append({"key": "gen_ai.output.messages", "value": _any(outputs)})
            if instructions:
                attrs.append({"key": "gen_ai.system_instructions", "value": _any(instructions)})
    return {
        "traceId": f"{i:032x}",
        "spanId": f"{i:016x}",
        "name": f"chat {ex['model']}",
        "kind": 3,
        "startTimeUnixNano": str(start),
        "endTimeUnixNano": str(start + 850_000_000),
        "attributes": attrs,
        "events": events,
        "status": {},
    }


def http_span(i: int) -> dict[str, Any]:
    return {
        "traceId": f"{i:032x}",
        "spanId": f"{i + 10**9:016x}",
        "name": "POST /v1/support",
        "kind": 2,
        "startTimeUnixNano": "1764547200000000000",
        "endTimeUnixNano": "1764547201000000000",
        "attributes": [_attr("http.request.method", "POST"), _attr("http.route", "/v1/support")],
    }


def otlp_document(spans: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": [_attr("service.name", "support-api")]},
                "scopeSpans": [
                    {"scope": {"name": "opentelemetry.instrumentation.openai_v2"}, "spans": spans}
                ],
            }
        ]
    }


def write_otlp(path: Path, n: int, seed: int = 4, per_document: int = 50) -> Generated:
    """A collector's file export: one OTLP JSON document per line, GenAI spans in all three
    styles, HTTP spans beside them, a span without a completion, a cut-off line."""
    rng = random.Random(seed)
    out = Generated(path, good=0)
    lines: list[bytes] = []
    spans: list[dict[str, Any]] = []
    styles = ["events", "json", "otlp"]
    for i in range(n):
        ex = _exchange(rng, i, seed)
        spans.append(genai_span(i, ex, styles[i % 3]))
        out.good += 1
        out.chat_inputs += 1
        if i % 10 == 0:
            spans.append(http_span(i))
            out.skipped += 1
        if len(spans) >= per_document or i == n - 1:
            bad = i % 700 < per_document
            if bad:  # a GenAI span that lost its completion
                broken = genai_span(10**6 + i, ex, "json")
                broken["attributes"] = [
                    a for a in broken["attributes"] if a["key"] != "gen_ai.output.messages"
                ]
                spans.append(broken)
            lines.append(json.dumps(otlp_document(spans), ensure_ascii=False).encode("utf-8"))
            if bad:
                out.bad_lines.append(len(lines))
            spans = []
    lines.append(b'{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "ab')
    out.bad_lines.append(len(lines))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return out
