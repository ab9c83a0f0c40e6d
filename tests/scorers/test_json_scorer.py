from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchlab.scorers.json_scorer import find_json, json_equal, json_scorer, looks_like_schema

from ._helpers import run

PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer", "minimum": 0},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name", "age"],
}

# -- finding the JSON ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "where"),
    [
        ('{"a": 1}', {"a": 1}, "whole answer"),
        ("  [1, 2]\n", [1, 2], "whole answer"),
        ("42", 42, "whole answer"),
        ("null", None, "whole answer"),
        ('Sure! Here it is:\n```json\n{"a": 1}\n```\nAnything else?', {"a": 1}, "```json block"),
        ("```JSON\n[true]\n```", [True], "```json block"),
        ('Here: {"a": {"b": [1, 2]}} and more {"c": 3}', {"a": {"b": [1, 2]}}, "text"),
        ('Broken {a: 1} then valid {"a": 1}', {"a": 1}, "text"),
        ('```\n{"plain": "fence"}\n```', {"plain": "fence"}, "text"),
    ],
)
def test_find_json(text: str, value: object, where: str) -> None:
    assert find_json(text) == (True, value, where)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty answer"),
        ("   ", "empty answer"),
        ("no json here", "no valid JSON found"),
        ("{'single': 'quotes'}", "no valid JSON found"),
        ('```json\n{"a": 1,}\n```', "```json block is not valid JSON"),
        ('{"unterminated": ', "no valid JSON found"),
    ],
)
def test_find_json_fails(text: str, reason: str) -> None:
    found, value, where = find_json(text)
    assert not found and value is None
    assert where.startswith(reason)


def test_prefers_objects_when_the_schema_wants_one() -> None:
    text = 'As shown in [1], the record is {"name": "Ada", "age": 36}.'
    assert find_json(text)[1] == [1]
    assert find_json(text, "{")[1] == {"name": "Ada", "age": 36}
    assert run(json_scorer(schema=PERSON), None, text).passed


def test_deeply_nested_and_huge_outputs_do_not_raise() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    result = run(json_scorer(), None, deep)
    assert isinstance(result.passed, bool)
    assert not run(json_scorer(), None, "{" * 50_000).passed
    big = json.dumps({"items": list(range(100_000))})
    assert run(json_scorer(), None, "prefix " + big).passed


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda children: st.lists(children) | st.dictionaries(st.text(), children),
        max_leaves=20,
    )
)
def test_any_json_value_round_trips_in_prose(value: object) -> None:
    fenced = f"Here you go:\n```json\n{json.dumps(value, indent=2)}\n```\nDone."
    assert find_json(fenced) == (True, value, "```json block")
    if value is not None:  # an expected of None means "no reference", not JSON null
        assert run(json_scorer(equals=True), value, fenced).passed
        assert run(json_scorer(equals=True), value, json.dumps(value)).passed


@given(st.text())
def test_never_raises(text: str) -> None:
    run(json_scorer(), None, text)
    run(json_scorer(schema=PERSON), None, text)


# -- the scorer ----------------------------------------------------------------


def test_valid_json_without_schema() -> None:
    result = run(json_scorer(), None, 'Result: {"ok": true}')
    assert result.passed and result.value == 1.0
    assert result.explanation == "JSON from text is valid"
    result = run(json_scorer(), None, "Result: ok")
    assert not result.passed and result.value == 0.0
    assert result.explanation == "no valid JSON found"


def test_schema_option() -> None:
    scorer = json_scorer(schema=PERSON)
    good = '```json\n{"name": "Ada", "age": 36, "tags": ["math"]}\n```'
    result = run(scorer, None, good)
    assert result.passed
    assert result.explanation == "JSON from ```json block is valid and matches the schema"


@pytest.mark.parametrize(
    ("answer", "path"),
    [
        ('{"name": "Ada"}', "$: 'age' is a required property"),
        ('{"name": "Ada", "age": -1}', "$.age: -1 is less than the minimum of 0"),
        ('{"name": "Ada", "age": 3, "tags": ["ok", 5]}', "$.tags[1]: 5 is not of type 'string'"),
        ("[1, 2]", "$: [1, 2] is not of type 'object'"),
    ],
)
def test_schema_errors_name_the_path(answer: str, path: str) -> None:
    result = run(json_scorer(schema=PERSON), None, answer)
    assert not result.passed and result.value == 0.0
    assert result.explanation.startswith(f"schema error at {path}")


def test_schema_from_expected() -> None:
    scorer = json_scorer()
    assert run(scorer, PERSON, '{"name": "Ada", "age": 36}').passed
    result = run(scorer, PERSON, '{"name": "Ada", "age": "old"}')
    assert not result.passed and "$.age" in result.explanation
    enum_schema = {"enum": ["yes", "no"]}
    assert run(scorer, enum_schema, '"yes"').passed
    assert not run(scorer, enum_schema, '"maybe"').passed


def test_non_schema_expected_is_not_a_schema() -> None:
    assert not looks_like_schema({"name": "Ada"})
    assert looks_like_schema({"type": "string"})
    assert not looks_like_schema(["type"])
    # without `equals`, a plain expected value is not compared
    assert run(json_scorer(), {"name": "Ada"}, '{"name": "Bob"}').passed


def test_equals() -> None:
    scorer = json_scorer(equals=True)
    assert run(scorer, {"a": 1, "b": [1, 2]}, 'Here: {"b": [1, 2], "a": 1}').passed
    result = run(scorer, {"a": 1}, '{"a": 2}')
    assert not result.passed
    assert result.explanation == "JSON {'a': 2} differs from expected {'a': 1}"
    assert run(scorer, '{"a": 1}', '{"a": 1.0}').passed  # expected given as JSON text
    assert run(scorer, "plain", '"plain"').passed  # a non-JSON string is the value itself
    assert run(scorer, "1", '"1"').passed  # a string that is also JSON text: both readings
    assert run(scorer, "1", "1").passed
    assert not run(scorer, "1", "2").passed
    assert not run(scorer, [1, 2], "[2, 1]").passed


def test_equals_with_schema_like_expected_compares_instead_of_validating() -> None:
    schema_like = {"type": "object"}
    assert run(json_scorer(equals=True), schema_like, '{"type": "object"}').passed
    assert not run(json_scorer(equals=True), schema_like, "{}").passed


def test_equals_and_schema_option_both_apply() -> None:
    scorer = json_scorer(schema=PERSON, equals=True)
    expected = {"name": "Ada", "age": 36}
    assert run(scorer, expected, '{"name": "Ada", "age": 36}').passed
    assert not run(scorer, expected, '{"name": "Bob", "age": 36}').passed
    assert not run(scorer, {"name": "Ada"}, '{"name": "Ada"}').passed  # schema fails


def test_json_equal_keeps_booleans_apart_from_numbers() -> None:
    assert json_equal({"a": 1}, {"a": 1.0})
    assert not json_equal({"a": True}, {"a": 1})
    assert not json_equal([0], [False])
    assert not json_equal("1", 1)
    assert not json_equal({"a": 1}, {"a": 1, "b": 2})
    assert json_equal(None, None)


@pytest.mark.parametrize("output", ["", None, "   "])
def test_empty_answers(output: object) -> None:
    result = run(json_scorer(), None, output)
    assert not result.passed and result.explanation == "empty answer"


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="invalid JSON schema"):
        json_scorer(schema={"type": "no-such-type"})
    with pytest.raises(ValueError, match="must be a mapping"):
        json_scorer(schema="object")
    with pytest.raises(ValueError, match="true or false"):
        json_scorer(equals="yes")


def test_unusable_expected() -> None:
    with pytest.raises(ValueError, match=r"case 'c1'.*JSON schema"):
        run(json_scorer(), {"type": 12}, "{}")
    with pytest.raises(ValueError, match=r"case 'c1'.*needs `expected`"):
        run(json_scorer(equals=True), None, "{}")
