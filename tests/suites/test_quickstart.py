"""The built-in quickstart suite: well-formed, covering its skills, and self-consistent."""

from __future__ import annotations

import pytest

from benchlab.domain import Case
from benchlab.providers.offline import reference_answer
from benchlab.scorers.base import Answer, NoModels
from benchlab.scorers.registry import build_scorer
from benchlab.suites import PromptRenderer, load_suite

CATEGORIES = {
    "factoid",
    "math",
    "translation",
    "summarization",
    "code-review",
    "temporal",
    "fact-check",
}
FACTUAL = {"factoid", "fact-check"}
SCORER_NAMES = {"exact", "contains", "regex", "numeric", "fuzzy", "choice", "json"}


def cases() -> list[Case]:
    return list(load_suite("quickstart").iter_cases())


def test_quickstart_loads_with_a_system_prompt() -> None:
    suite = load_suite("quickstart")
    assert suite.header.name == "quickstart"
    assert suite.header.system
    assert 8 <= suite.n_cases <= 12


def test_every_skill_is_covered_and_described() -> None:
    assert {case.category for case in cases()} == CATEGORIES
    for case in cases():
        assert case.metadata.get("difficulty") in {"easy", "medium", "hard"}, case.id
        assert case.metadata.get("tags"), case.id
        assert case.expected is not None, case.id
        assert case.scorers, f"{case.id}: every case names its own scorer"


def test_factual_cases_cite_a_source() -> None:
    factual = [case for case in cases() if case.category in FACTUAL]
    assert len(factual) >= 3
    for case in factual:
        assert str(case.metadata.get("source", "")).startswith("https://"), case.id


def test_uses_the_scorer_families() -> None:
    used = {spec.name for case in cases() for spec in case.scorers or []}
    assert used == SCORER_NAMES


def test_every_case_renders() -> None:
    suite = load_suite("quickstart")
    renderer = PromptRenderer(suite.header, "You are a test model.")
    for case in suite.iter_cases():
        messages = renderer.render(case)
        assert messages[0]["role"] == "system"
        assert messages[-1]["role"] == "user"
        if case.context:
            assert case.context in messages[-1]["content"]


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.id)
async def test_reference_answer_passes_its_own_scorers(case: Case) -> None:
    """What the `oracle` model answers must pass, or the suite (or a scorer) is wrong."""
    answer = Answer(output=reference_answer(case.expected), model="oracle")
    for spec in case.scorers or []:
        result = await build_scorer(spec).score(case, answer, NoModels())
        assert result.passed, f"{case.id}: {spec.name}: {result.explanation}"


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.id)
async def test_a_wrong_answer_fails(case: Case) -> None:
    """Each scorer actually discriminates: a plausible wrong answer does not pass."""
    answer = Answer(output="I am not sure.", model="wrong")
    verdicts = [
        (await build_scorer(spec).score(case, answer, NoModels())).passed
        for spec in case.scorers or []
    ]
    assert not all(verdicts), case.id
