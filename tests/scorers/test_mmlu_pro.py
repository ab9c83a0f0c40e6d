"""The `mmlu_pro` scorer reads the letter TIGER-AI-Lab's MMLU-Pro scripts read, on any reply.

The reference is a script, not an importable package, so the reference side below is its
extraction chain with the script's exact patterns and call order, taken from
github.com/TIGER-AI-Lab/MMLU-Pro at commit f418b116db00b065c2aea046518d8fcf74d39872,
file evaluate_from_api.py (`single_request` removes "**" from the response, then
`extract_answer` -> `extract_again` -> `extract_final`; compute_accuracy.py's level-2
chain and evaluate_from_local.py use the same three patterns). Only the scripts' random
letter for "nothing found" is left out: the scorer fails such a reply instead.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchlab.domain import ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers.mmlu_pro import extract_mmlu_pro, mmlu_pro
from benchlab.scorers.registry import build_scorer

from ._helpers import run


def _reference(response: str) -> str | None:
    """evaluate_from_api.py's reading of a response (random fallback excluded)."""
    text = response.replace("**", "")
    match = re.search(r"answer is \(?([A-J])\)?", text)
    if match:
        return match.group(1)
    match = re.search(r".*[aA]nswer:\s*([A-J])", text)
    if match:
        return match.group(1)
    match = re.search(r"\b[A-J]\b(?!.*\b[A-J]\b)", text, re.DOTALL)
    if match:
        return match.group(0)
    return None


_fragments = st.sampled_from(
    [
        "The answer is ",
        "the answer is (",
        "answer is ",
        "Answer is ",
        "Answer: ",
        "answer:",
        "ANSWER: ",
        "answer:\n",
        "Final Answer:  ",
        "**",
        "(",
        ")",
        "\n",
        " ",
        ". ",
        "Let's think step by step.",
        "Option",
        "I think",
        "é",
        "_",
        "1",
        "-",
        "A",
        "B",
        "C",
        "D",
        "E",
        "J",
        "K",
        "a",
        "b",
        "j",
        "AB",
    ]
)
_letters = st.sampled_from([*"ABCDEFGHIJK", "a", "b"])
_replies = st.lists(st.one_of(_fragments, _fragments, _letters), max_size=16).map("".join)


def test_reads_the_letter_the_reference_scripts_read() -> None:
    scorer = mmlu_pro()
    steps: set[str] = set()

    @settings(
        max_examples=600,
        deadline=None,
        database=None,
        derandomize=True,  # the same replies every run: a coverage floor cannot flake
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(reply=_replies, expected=st.sampled_from(list("ABCDEFGHIJ")))
    def agree(reply: str, expected: str) -> None:
        want = _reference(reply)
        got = run(scorer, expected, reply)
        assert got.details is not None
        assert got.details["extracted"] == want, reply
        assert got.passed is (want == expected)
        steps.add(got.details["how"])

    agree()
    # every step of the chain, and its end, decided some of the generated replies
    assert steps == {"answer is (X)", "Answer: X", "last letter", "no answer found"}


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(reply=st.text(alphabet=st.sampled_from("ABJK abn:swer()*\n\t_é1is"), max_size=40))
def test_reads_the_same_letter_on_arbitrary_text(reply: str) -> None:
    assert extract_mmlu_pro(reply.replace("**", ""))[0] == _reference(reply)


@pytest.mark.parametrize(
    ("reply", "letter", "how"),
    [
        ("Let's think step by step. ... The answer is (C).", "C", "answer is (X)"),
        ("the answer is B, but the answer is (D)", "B", "answer is (X)"),
        ("The answer is **(E)**", "E", "answer is (X)"),  # bold removed first
        ("Answer: A\nAnswer: G", "A", "Answer: X"),  # the first line holding one
        ("answer: B and answer: H\nanswer: C", "H", "Answer: X"),  # its last
        ("Answer: Answer: B", "B", "Answer: X"),  # overlapping candidates
        ("Answer:\n\n  F", "F", "Answer: X"),  # whitespace may cross lines
        ("Between B and J, I'd pick J.", "J", "last letter"),
        ("The ANSWER IS (A)", "A", "last letter"),  # step 1 is case-sensitive
        ("K is not an option", None, "no answer found"),
        ("I am not sure.", "I", "last letter"),  # the word "I" reads as option I, as there
        ("", None, "no answer found"),
    ],
)
def test_named_shapes(reply: str, letter: str | None, how: str) -> None:
    assert extract_mmlu_pro(reply.replace("**", "")) == (letter, how)
    assert _reference(reply) == letter


def test_no_letter_fails_without_guessing() -> None:
    got = run(mmlu_pro(), "C", "not sure about this one.")
    assert got.passed is False and got.value == 0.0
    assert "no answer found" in got.explanation
    assert got.details == {"extracted": None, "how": "no answer found"}


def test_the_oracle_reply_passes() -> None:
    for letter in "ABCDEFGHIJ":
        assert run(mmlu_pro(), letter, f"The answer is ({letter})").passed is True


def test_strip_bold_can_be_turned_off_as_the_local_script_does() -> None:
    reply = "The answer is **(B)**"
    assert run(mmlu_pro(), "B", reply).details == {"extracted": "B", "how": "answer is (X)"}
    kept = run(mmlu_pro(strip_bold=False), "B", reply)
    assert kept.details == {"extracted": "B", "how": "last letter"}


def test_long_replies_read_in_linear_time() -> None:
    """The scripts' patterns backtrack quadratically over a long line; ours must not."""
    reply = "x" * 200_000 + " answer: B " + "y" * 200_000 + " C"
    assert extract_mmlu_pro(reply) == ("B", "Answer: X")
    assert extract_mmlu_pro("A " + "z" * 400_000) == ("A", "last letter")


def test_options_and_expected_are_checked() -> None:
    assert build_scorer(ScorerSpec(name="mmlu_pro", options={})).name == "mmlu_pro"
    with pytest.raises(ConfigError, match="strip_bold"):
        build_scorer(ScorerSpec(name="mmlu_pro", options={"strip_bold": "yes"}))
    with pytest.raises(ValueError, match="A-J"):
        run(mmlu_pro(), "K", "The answer is (K)")
