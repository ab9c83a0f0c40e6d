"""The `math` scorer gives math-verify's own verdict, in any thread, and the oracle passes.

The reference side calls math-verify directly, as its README and lighteval's MATH
metrics do: the gold parsed from `$answer$`, the reply parsed with LaTeX and expression
extraction, boxed answers first, then `verify(gold, prediction)`.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify

from benchlab.domain import ScorerSpec
from benchlab.scorers.base import Answer, NoModels, ScoreResult
from benchlab.scorers.math_answer import math_answer
from benchlab.scorers.registry import build_scorer

from ._helpers import make_case, run

# MATH-500 answers in the shapes the dataset's `answer` field has (written by us), each
# with forms a model may give for the same value and forms that are wrong (math-verify
# does not equate an interval with the inequality describing it: `-2 \le x \le 7`).
ANSWERS: dict[str, tuple[list[str], list[str]]] = {
    r"\frac{1}{2}": (["0.5", "1/2", r"\frac12", r"\dfrac{1}{2}", "2/4", "0.50"], ["0.25", "2"]),
    "9": (["9", "9.0", "09", r"\text{9}"], ["8", "-9", "0.9"]),
    r"\frac{14}{3}": ([r"\frac{14}{3}", "14/3", r"4\frac{2}{3}"], ["4.6", r"\frac{3}{14}"]),
    r"3\sqrt{13}": ([r"3\sqrt{13}", r"\sqrt{117}"], [r"\sqrt{13}", "3"]),
    "[-2,7]": (["[-2,7]", "[-2, 7]"], ["(-2,7)", "[-2,8]", r"-2 \le x \le 7"]),
    r"(-\infty, 1) \cup (2, \infty)": (
        [r"(-\infty,1)\cup(2,\infty)", r"(-\infty, 1) \cup (2, \infty)"],
        [r"(-\infty, 1]", r"(1, 2)"],
    ),
    r"\left( 3, \frac{\pi}{2} \right)": (
        [r"\left( 3, \frac{\pi}{2} \right)", r"(3, \pi/2)"],
        [r"(3, \pi)", r"(\frac{\pi}{2}, 3)"],
    ),
    r"\text{Evelyn}": ([r"\text{Evelyn}"], [r"\text{Devon}"]),
    r"90^\circ": (["90^\\circ", "90"], ["45^\\circ"]),
    "x^2+7x+10": (["x^2+7x+10", "(x+2)(x+5)", "x^2 + 7x + 10"], ["x^2+7x"]),
    "-2, 1": (["-2, 1", "1, -2"], ["-2", "2, 1"]),
    r"\$1.10": ([r"\$1.10", "1.10", "1.1"], ["1.01", r"\$11"]),
    "10,080": (["10,080", "10080"], ["10,008"]),
    r"\begin{pmatrix} 1 \\ -2 \end{pmatrix}": (
        [r"\begin{pmatrix} 1 \\ -2 \end{pmatrix}"],
        [r"\begin{pmatrix} -2 \\ 1 \end{pmatrix}"],
    ),
    "6 - 5i": (["6-5i", "6 - 5i", "-5i + 6"], ["6+5i"]),
    r"\pi": ([r"\pi"], ["3"]),
}
TEMPLATES = [
    "Therefore, the final answer is: $\\boxed{{{x}}}$. I hope it is correct",
    "The answer is $\\boxed{{{x}}}$.",
    "So we get ${x}$.",
    "{x}",
    "Final answer: {x}",
    "First $2+3=5$, then $\\boxed{{{x}}}$",
    "We try $\\boxed{{17}}$ first. Actually the result is \\boxed{{{x}}}.",
    "$\\boxed{{{x}}}$ and also $\\boxed{{42}}$",
    "\\[ {x} \\]",
    "I could not solve it.",
]
_PREDICTION = (LatexExtractionConfig(boxed_match_priority=0), ExprExtractionConfig())


def reference_verdict(answer: str, reply: str) -> bool:
    """math-verify called directly, the README way (gold first)."""
    gold = parse(f"${answer}$")
    return bool(verify(gold, parse(reply, _PREDICTION)))


@st.composite
def _case(draw: st.DrawFn) -> tuple[str, str]:
    answer = draw(st.sampled_from(sorted(ANSWERS)))
    right, wrong = ANSWERS[answer]
    value = draw(st.sampled_from([*right, *wrong, answer]))
    template = draw(st.sampled_from(TEMPLATES))
    return answer, template.format(x=value)


@pytest.mark.slow  # about 15 s on a busy 2-core machine: math-verify parses with sympy
def test_verdicts_equal_math_verify_called_directly() -> None:
    scorer = math_answer()
    verdicts: list[bool] = []

    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        derandomize=True,  # the same replies every run: a coverage floor cannot flake
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(pair=_case())
    def agree(pair: tuple[str, str]) -> None:
        answer, reply = pair
        want = reference_verdict(answer, reply)
        got = run(scorer, answer, reply)
        assert got.passed is want, (answer, reply)
        assert got.value == (1.0 if want else 0.0)
        verdicts.append(want)

    agree()
    assert set(verdicts) == {True, False}


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_equivalent_forms_pass_and_wrong_ones_fail(answer: str) -> None:
    scorer = math_answer()
    right, wrong = ANSWERS[answer]
    for form in right:
        reply = f"Therefore, the final answer is: $\\boxed{{{form}}}$. I hope it is correct"
        assert run(scorer, answer, reply).passed is reference_verdict(answer, reply) is True, form
    for form in wrong:
        reply = f"The answer is $\\boxed{{{form}}}$."
        assert run(scorer, answer, reply).passed is reference_verdict(answer, reply) is False, form


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_the_oracle_reference_passes(answer: str) -> None:
    """What the suite gives the oracle: the dataset's answer, boxed."""
    got = run(math_answer(), answer, f"The final answer is $\\boxed{{{answer}}}$.")
    assert got.passed is True
    assert got.details is not None and got.details["extracted"] is not None


def test_boxed_answer_wins_over_numbers_along_the_way() -> None:
    reply = "We have 1/2 of the pie, so 3 pieces remain: $\\boxed{3}$."
    assert run(math_answer(), "3", reply).passed is True
    assert run(math_answer(), r"\frac{1}{2}", reply).passed is False


def test_no_answer_fails_and_says_so() -> None:
    got = run(math_answer(), "9", "")
    assert got.passed is False and got.value == 0.0
    assert "no answer found" in got.explanation


def test_an_unreadable_gold_is_the_cases_error() -> None:
    with pytest.raises(ValueError, match="answer"):
        run(math_answer(), "", r"\boxed{1}")


def _score_in_loop(answer: str, reply: str) -> ScoreResult:
    return asyncio.run(math_answer().score(make_case(answer), Answer(output=reply), NoModels()))


def test_works_in_an_event_loop_and_off_the_main_thread() -> None:
    """math-verify's signal time-outs raise off the main thread unless turned off."""
    reply = "so $\\boxed{0.5}$"
    assert _score_in_loop(r"\frac{1}{2}", reply).passed is True
    results: list[ScoreResult] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(_score_in_loop(r"\frac{1}{2}", reply))
            results.append(_score_in_loop("9", reply))
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(60)
    assert not failures, failures
    assert [r.passed for r in results] == [True, False]


def test_built_by_name() -> None:
    assert build_scorer(ScorerSpec(name="math", options={})).name == "math"


def test_without_the_extra_building_says_what_to_install() -> None:
    """A plain install has no math-verify (it is the `math` extra): one clear error."""
    code = (
        "import sys\n"
        "sys.modules['math_verify'] = None  # as if not installed: importing it fails\n"
        "from benchlab.domain import ScorerSpec\n"
        "from benchlab.errors import ConfigError\n"
        "from benchlab.scorers import build_scorer\n"
        "try:\n"
        "    build_scorer(ScorerSpec(name='math'))\n"
        "except ConfigError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "scorer 'math'" in out.stdout
    assert "pip install 'math-verify[antlr4_13_2]'" in out.stdout
