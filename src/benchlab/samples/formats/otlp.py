"""OpenTelemetry GenAI spans, exported as OTLP JSON (a collector's file exporter, or
an SDK's OTLP/HTTP JSON payload): `resourceSpans[].scopeSpans[].spans[]`.

A file is one JSON document, or JSON lines of documents (the collector's file
exporter writes one per line); a bad record is reported at the line of its
document. A span is a model call when it carries a `gen_ai.*` attribute or
event; the others (HTTP, database spans beside them) are skipped and counted.

Mapping, by the GenAI semantic conventions, newest first:

- prompt: the `gen_ai.input.messages` attribute ([{role, parts: [{type: text,
  content}]}], as a JSON string or an OTLP array), with `gen_ai.system_instructions`
  as a leading system message; else the span events `gen_ai.system.message`,
  `gen_ai.user.message`, `gen_ai.assistant.message`, `gen_ai.tool.message`
  (content in the event's `content` attribute or its JSON `gen_ai.event.content`);
  else the oldest form, event `gen_ai.content.prompt` with `gen_ai.prompt`.
- completion: the `gen_ai.output.messages` attribute (its first message); else the
  `gen_ai.choice` event of index 0 (`message.content`, or `content`, or JSON
  `gen_ai.event.content`); else event `gen_ai.content.completion` with `gen_ai.completion`.
- model: `gen_ai.response.model`, else `gen_ai.request.model`.
- tokens: `gen_ai.usage.input_tokens` / `output_tokens` (or the older
  `prompt_tokens` / `completion_tokens`).
- timestamp: the span's `startTimeUnixNano`; id: its `spanId`.
- metadata: trace_id, span_id, span_name, service_name (resource `service.name`),
  operation, provider (`gen_ai.provider.name` or `gen_ai.system`), response_id,
  finish_reasons, where present.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from benchlab.samples.formats.items import Bad, Item, Parsed, Skipped
from benchlab.samples.formats.messages import content_text, messages_of
from benchlab.samples.record import ImportedSample, parse_timestamp

__all__ = ["read_otlp"]

_ROLE_EVENTS = {
    "gen_ai.system.message": "system",
    "gen_ai.user.message": "user",
    "gen_ai.assistant.message": "assistant",
    "gen_ai.tool.message": "tool",
}


def any_value(value: Any) -> Any:
    """An OTLP AnyValue ({"stringValue": ...}, {"kvlistValue": ...}, ...) as plain Python."""
    if not isinstance(value, dict):
        return value
    if "stringValue" in value:
        return value["stringValue"]
    if "intValue" in value:
        return int(value["intValue"])  # int64 is a JSON string in OTLP JSON
    if "doubleValue" in value:
        return float(value["doubleValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "arrayValue" in value:
        return [any_value(v) for v in value["arrayValue"].get("values", [])]
    if "kvlistValue" in value:
        return attributes(value["kvlistValue"].get("values", []))
    if "bytesValue" in value:
        return value["bytesValue"]
    return None


def attributes(items: Any) -> dict[str, Any]:
    if not isinstance(items, list):
        return {}
    return {
        item["key"]: any_value(item.get("value"))
        for item in items
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    }


def _structured(value: Any) -> Any:
    """An attribute that holds structure: as an OTLP array/kvlist, or as a JSON string."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _event_body(attrs: dict[str, Any]) -> dict[str, Any]:
    body = _structured(attrs.get("gen_ai.event.content"))
    merged = dict(body) if isinstance(body, dict) else {}
    merged.update({k: v for k, v in attrs.items() if k != "gen_ai.event.content"})
    return merged


def _prompt(
    attrs: dict[str, Any], events: list[tuple[str, dict[str, Any]]]
) -> list[dict[str, str]]:
    if "gen_ai.input.messages" in attrs:
        messages = messages_of(_structured(attrs["gen_ai.input.messages"]), "gen_ai.input.messages")
        system = _structured(attrs.get("gen_ai.system_instructions"))
        if system:
            messages.insert(0, {"role": "system", "content": content_text(system)})
        return messages
    messages = []
    for name, body in events:
        if name in _ROLE_EVENTS:
            content = body.get("content")
            role = body["role"] if isinstance(body.get("role"), str) else _ROLE_EVENTS[name]
            messages.append({"role": role, "content": content_text(_structured_text(content))})
    if messages:
        return messages
    for name, body in events:
        if name == "gen_ai.content.prompt" and "gen_ai.prompt" in body:
            prompt = _structured(body["gen_ai.prompt"])
            if isinstance(prompt, str):
                return [{"role": "user", "content": prompt}]
            return messages_of(prompt, "gen_ai.prompt")
    raise ValueError("no prompt (gen_ai.input.messages, gen_ai.*.message or gen_ai.prompt)")


def _structured_text(content: Any) -> Any:
    """Event content is text, or (some instrumentations) the JSON of a list of parts."""
    if isinstance(content, str) and content.startswith("[") and content.endswith("]"):
        parsed = _structured(content)
        return parsed if isinstance(parsed, list) else content
    return content


def _completion(attrs: dict[str, Any], events: list[tuple[str, dict[str, Any]]]) -> str:
    if "gen_ai.output.messages" in attrs:
        output = _structured(attrs["gen_ai.output.messages"])
        if not isinstance(output, list) or not output or not isinstance(output[0], dict):
            raise ValueError("gen_ai.output.messages: not a non-empty list of messages")
        first = output[0]
        return content_text(first["parts"] if "parts" in first else first.get("content"))
    choices = [body for name, body in events if name == "gen_ai.choice"]
    if choices:
        choice = next((c for c in choices if c.get("index") in (0, None)), choices[0])
        message = _structured(choice.get("message"))
        if isinstance(message, dict) and "content" in message:
            return content_text(_structured_text(message["content"]))
        if "message.content" in choice:
            return content_text(choice["message.content"])
        if "content" in choice:
            return content_text(_structured_text(choice["content"]))
        raise ValueError("gen_ai.choice: no message content")
    for name, body in events:
        if name == "gen_ai.content.completion" and "gen_ai.completion" in body:
            completion = _structured(body["gen_ai.completion"])
            if isinstance(completion, list) and completion and isinstance(completion[0], dict):
                return content_text(completion[0].get("content"))
            return content_text(completion)
    raise ValueError("no completion (gen_ai.output.messages, gen_ai.choice or gen_ai.completion)")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sample(span: dict[str, Any], resource: dict[str, Any]) -> ImportedSample | None:
    attrs = attributes(span.get("attributes"))
    events = [
        (str(event.get("name")), _event_body(attributes(event.get("attributes"))))
        for event in span.get("events") or []
        if isinstance(event, dict)
    ]
    if not any(k.startswith("gen_ai.") for k in attrs) and not any(
        name.startswith("gen_ai.") for name, _ in events
    ):
        return None
    model = attrs.get("gen_ai.response.model") or attrs.get("gen_ai.request.model")
    metadata = {
        "trace_id": span.get("traceId"),
        "span_id": span.get("spanId"),
        "span_name": span.get("name"),
        "service_name": resource.get("service.name"),
        "operation": attrs.get("gen_ai.operation.name"),
        "provider": attrs.get("gen_ai.provider.name") or attrs.get("gen_ai.system"),
        "response_id": attrs.get("gen_ai.response.id"),
        "finish_reasons": attrs.get("gen_ai.response.finish_reasons"),
    }
    try:
        timestamp = parse_timestamp(span.get("startTimeUnixNano"))
    except ValueError:
        raise ValueError("startTimeUnixNano: not a timestamp") from None
    return ImportedSample(
        input=_prompt(attrs, events),
        output=_completion(attrs, events),
        timestamp=timestamp,
        model=model if isinstance(model, str) else None,
        sample_id=span.get("spanId") if isinstance(span.get("spanId"), str) else None,
        metadata={k: v for k, v in metadata.items() if v is not None},
        input_tokens=_int(
            attrs.get("gen_ai.usage.input_tokens", attrs.get("gen_ai.usage.prompt_tokens"))
        ),
        output_tokens=_int(
            attrs.get("gen_ai.usage.output_tokens", attrs.get("gen_ai.usage.completion_tokens"))
        ),
    )


def _documents(lines: Iterable[str]) -> Iterator[tuple[int, Any] | Bad]:
    text = list(lines)
    try:
        yield (1, orjson.loads("".join(text)))
        return
    except orjson.JSONDecodeError:
        pass
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            yield (number, orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            yield Bad(number, f"not JSON: {exc}")


def _spans(document: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    if not isinstance(document, dict) or not isinstance(document.get("resourceSpans"), list):
        raise ValueError("not an OTLP trace export (no resourceSpans)")
    for resource_spans in document["resourceSpans"]:
        if not isinstance(resource_spans, dict):
            continue
        resource = attributes((resource_spans.get("resource") or {}).get("attributes"))
        for scope_spans in resource_spans.get("scopeSpans") or []:
            for span in (scope_spans or {}).get("spans") or []:
                yield span, resource


def read_otlp(lines: Iterable[str]) -> Iterator[Item]:
    for found in _documents(lines):
        if isinstance(found, Bad):
            yield found
            continue
        number, document = found
        try:
            spans = list(_spans(document))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            yield Bad(number, str(exc) or type(exc).__name__)
            continue
        for index, (span, resource) in enumerate(spans):
            name = span.get("spanId") if isinstance(span, dict) else None
            where = f"span {name or index}"
            try:
                if not isinstance(span, dict):
                    raise ValueError("not an object")
                sample = _sample(span, resource)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                yield Bad(number, f"{where}: {exc or type(exc).__name__}")
                continue
            yield Skipped(number) if sample is None else Parsed(number, sample)
