"""Reading a judge's reply: the first JSON object, wherever the judge put it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchlab.domain import Case, Message
from benchlab.scorers.judging import as_number, first_json_object, question_text, reference_text


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"score": 7, "reasoning": "ok"}', {"score": 7, "reasoning": "ok"}),
        ('Sure! Here it is: {"score": 7} Hope that helps.', {"score": 7}),
        ('```json\n{"stance": -0.5}\n```', {"stance": -0.5}),
        ('{"a": {"b": [1, {"c": 2}]}} {"second": 1}', {"a": {"b": [1, {"c": 2}]}}),
        ('I use {braces} in prose, then {"winner": "B"}', {"winner": "B"}),
        ('[1, 2] and then {"x": "}"}', {"x": "}"}),
        ("no json here", None),
        ('{"broken": ', None),
        ("", None),
    ],
)
def test_first_json_object(reply: str, expected: dict[str, Any] | None) -> None:
    assert first_json_object(reply) == expected


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(
    prefix=st.text(alphabet=st.characters(blacklist_characters="{"), max_size=40),
    obj=st.dictionaries(st.text(max_size=8), json_values, max_size=4),
    suffix=st.text(max_size=40),
)
def test_an_object_after_prose_is_always_found(
    prefix: str, obj: dict[str, Any], suffix: str
) -> None:
    assert first_json_object(prefix + json.dumps(obj) + suffix) == obj


@pytest.mark.parametrize("value", [7, 7.5, "7", " 7.5 "])
def test_numbers_and_numeric_strings(value: Any) -> None:
    assert as_number(value, "score") == float(value)


@pytest.mark.parametrize("value", [True, None, "seven", [7], float("nan")])
def test_not_numbers(value: Any) -> None:
    with pytest.raises(ValueError, match="score"):
        as_number(value, "score")


def test_question_and_reference_as_the_judge_reads_them() -> None:
    chat = Case(
        id="c",
        input=[Message(role="system", content="be brief"), Message(role="user", content="hi")],
        expected=["a", 2],
    )
    assert question_text(chat) == "system: be brief\n\nuser: hi"
    assert reference_text(chat) == "a; 2"
    assert reference_text(Case(id="c", input="q", expected={"k": 1})) == '{"k": 1}'
    assert reference_text(Case(id="c", input="q", expected="x", reference="full answer")) == (
        "full answer"
    )
    assert reference_text(Case(id="c", input="q")) is None
