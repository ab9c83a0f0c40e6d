"""`json`: the answer holds valid JSON, optionally valid against a schema or equal to `expected`.

Models wrap JSON in prose and code fences, so the JSON is looked for in this
order: a ```json fenced block; the whole answer; the first object or array
that parses inside the text. When a schema asks for an object (or an array),
only objects (or arrays) are looked for, so a citation like "[1]" before the
real object is not taken for the answer.

jsonschema is imported when a schema is first needed, not when benchlab starts.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.normalize import as_text, preview, require_bool

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

SCHEMA_KEYS = frozenset({"type", "properties", "$schema", "items", "required", "enum"})
_FENCE = re.compile(r"```[ \t]*(?:json5?|jsonc|JSON)[ \t]*\r?\n(.*?)```", re.DOTALL)
_DECODER = json.JSONDecoder()
_MAX_TRIES = 200  # candidate start positions tried in prose; bounds the work on huge output


def looks_like_schema(value: Any) -> bool:
    """A dict with a schema keyword at its top level is a schema, not a value to compare."""
    return isinstance(value, dict) and not SCHEMA_KEYS.isdisjoint(value)


def _want(schema: dict[str, Any] | None, expected: Any) -> str:
    """Which opening characters to look for in prose, from the schema or the expected value."""
    kind = schema.get("type") if schema is not None else None
    if kind == "object" or (schema is None and isinstance(expected, dict)):
        return "{"
    if kind == "array" or (schema is None and isinstance(expected, list)):
        return "["
    return "{["


def find_json(text: str, starts: str = "{[") -> tuple[bool, Any, str]:
    """(found, value, where) for the JSON in `text`; `where` is the reason when not found.

    `where` says which rule found it, so explanations can tell "the fenced
    block was invalid" from "there was no JSON at all".
    """
    fence = _FENCE.search(text)
    if fence is not None:
        body = fence.group(1).strip()
        try:
            return True, json.loads(body), "```json block"
        except (ValueError, RecursionError) as exc:
            return False, None, f"```json block is not valid JSON: {exc}"
    stripped = text.strip()
    if not stripped:
        return False, None, "empty answer"
    try:
        return True, json.loads(stripped), "whole answer"
    except (ValueError, RecursionError):
        pass
    pattern = re.compile("[" + re.escape(starts) + "]")
    for tries, m in enumerate(pattern.finditer(text)):
        if tries >= _MAX_TRIES:
            break
        try:
            value, _ = _DECODER.raw_decode(text, m.start())
        except (ValueError, RecursionError):
            continue
        return True, value, "text"
    return False, None, "no valid JSON found"


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality: key order ignored, but `true` is not `1` (unlike Python's ==)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and bool(a == b)


def _validator(schema: dict[str, Any]) -> Validator:
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for

    cls = validator_for(schema)
    try:
        cls.check_schema(schema)
    except SchemaError as exc:
        raise ValueError(f"invalid JSON schema: {exc.message}") from exc
    return cls(schema)


@lru_cache(maxsize=1024)
def _cached_validator(schema_text: str) -> Validator:
    # Keyed by canonical JSON text because schemas (dicts) are not hashable.
    return _validator(json.loads(schema_text))


def _first_error(validator: Validator, value: Any) -> str | None:
    from jsonschema.exceptions import best_match

    error = best_match(validator.iter_errors(value))
    if error is None:
        return None
    message = error.message if len(error.message) <= 160 else error.message[:159] + "\u2026"
    return f"schema error at {error.json_path}: {message}"


class JsonScorer:
    """Value 1 when JSON is found (and validates / equals); 0 otherwise, with the first reason."""

    __slots__ = ("_equals", "_schema", "_validator", "name")

    def __init__(self, schema: dict[str, Any] | None, validator: Validator | None, equals: bool):
        self.name = "json"
        self._schema = schema
        self._validator = validator
        self._equals = equals

    def _case_validator(self, case: Case) -> tuple[dict[str, Any] | None, Validator | None]:
        if self._validator is not None or self._equals or not looks_like_schema(case.expected):
            return self._schema, self._validator
        schema: dict[str, Any] = case.expected
        try:
            text = json.dumps(schema, sort_keys=True)
            return schema, _cached_validator(text)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"case {case.id!r}: `expected` is not a usable JSON schema: {exc}"
            ) from exc

    def _expected_values(self, case: Case) -> list[Any]:
        """What the JSON may equal. A string is ambiguous (JSON text or a string value),
        so both readings count: `expected: '{"a": 1}'` and `expected: plain` both work."""
        raw = case.expected
        if raw is None:
            raise ValueError(f"case {case.id!r}: json scorer with `equals: true` needs `expected`")
        if isinstance(raw, str):
            try:
                return [json.loads(raw), raw]
            except (ValueError, RecursionError):
                return [raw]
        return [raw]

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        schema, validator = self._case_validator(case)
        expected = self._expected_values(case) if self._equals else [None]
        found, value, where = find_json(as_text(answer.output), _want(schema, expected[0]))
        if not found:
            return ScoreResult(0.0, False, where)
        if validator is not None:
            try:
                error = _first_error(validator, value)
            except RecursionError:
                error = "schema validation gave up: JSON nested too deeply"
            if error is not None:
                return ScoreResult(0.0, False, f"{error} (JSON from {where})")
        if self._equals:
            try:
                same = any(json_equal(value, e) for e in expected)
            except RecursionError:
                same = False
            if not same:
                return ScoreResult(
                    0.0,
                    False,
                    f"JSON {preview(value)} differs from expected {preview(expected[0])}",
                )
            return ScoreResult(1.0, True, f"JSON from {where} equals expected")
        what = "valid and matches the schema" if validator is not None else "valid"
        return ScoreResult(1.0, True, f"JSON from {where} is {what}")


def json_scorer(*, schema: Any = None, equals: Any = False) -> JsonScorer:
    """`schema` validates every answer; without it a schema-like `expected` is used per case."""
    same = require_bool("equals", equals)
    if schema is None:
        return JsonScorer(None, None, same)
    if not isinstance(schema, dict):
        raise ValueError(
            f"option 'schema' must be a mapping (a JSON schema), got {preview(schema)}"
        )
    return JsonScorer(schema, _validator(schema), same)
