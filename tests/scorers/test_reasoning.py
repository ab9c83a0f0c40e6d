"""What a scorer reads of a reply: thinking removed, everything else untouched."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchlab.scorers.reasoning import answer_text


@pytest.mark.parametrize(
    ("output", "scored"),
    [
        ("B", "B"),
        ("<think>A or B? A.</think>\n\nThe answer is B", "The answer is B"),
        ("<THINKING>a</THINKING> C", "C"),
        ("<think>one</think> x <think>two</think> y", "x  y"),
        ("thinking after a templated opening tag </think> 42", "42"),
        ("<think>never closed, says A", ""),
        ("Answer: B <think>second thoughts: A", "Answer: B"),
        ("x <b>bold</b> and a < b", "x <b>bold</b> and a < b"),
    ],
)
def test_thinking_is_removed(output: str, scored: str) -> None:
    assert answer_text(output) == scored


@given(st.text().filter(lambda s: "think" not in s.lower() and "reasoning" not in s.lower()))
def test_a_reply_without_thinking_is_scored_as_given(text: str) -> None:
    assert answer_text(text) == text
