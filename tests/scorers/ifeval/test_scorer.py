"""The `ifeval` scorer: the case shape it reads, the four figures it reports, loose vs strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchlab.domain import Case, ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers.base import Answer, NoModels, ScoreResult
from benchlab.scorers.ifeval.scorer import IFEvalScorer, aggregate, ifeval, loose_variants
from benchlab.scorers.registry import build_scorer

from .._helpers import make_case
from ._reference import reference


def score(scorer: IFEvalScorer, case: Case, reply: str) -> ScoreResult:
    coro = scorer.score(case, Answer(output=reply), NoModels())
    try:
        coro.send(None)
    except StopIteration as done:
        result: ScoreResult = done.value
    else:
        coro.close()
        raise AssertionError("the ifeval scorer must not await anything")
    assert result.explanation and "\n" not in result.explanation
    return result


def _case(ids: list[str], kwargs: list[dict[str, Any]] | None) -> Case:
    return make_case(None, metadata={"instruction_id_list": ids, "kwargs": kwargs})


LOWER_AND_NO_COMMA = _case(
    ["change_case:english_lowercase", "punctuation:no_comma"], [{"language": None}, {}]
)


def test_strict_fails_a_preamble_that_loose_forgives() -> None:
    reply = "Sure! Here it is:\nthe weather is very nice today and we are going to the park."
    result = score(IFEvalScorer(), LOWER_AND_NO_COMMA, reply)
    assert result.passed is False and result.value == 0.0
    assert result.details == {
        "instruction_id_list": ["change_case:english_lowercase", "punctuation:no_comma"],
        "prompt_level_strict_acc": False,
        "inst_level_strict_acc": [False, True],
        "prompt_level_loose_acc": True,
        "inst_level_loose_acc": [True, True],
    }
    assert "change_case:english_lowercase" in result.explanation
    loose = score(IFEvalScorer("loose"), LOWER_AND_NO_COMMA, reply)
    assert loose.passed is True and loose.value == 1.0


def test_a_blank_reply_follows_nothing() -> None:
    result = score(IFEvalScorer("loose"), _case(["punctuation:no_comma"], [{}]), "  \n ")
    assert result.passed is False
    assert result.details is not None and result.details["inst_level_loose_acc"] == [False]


def test_loose_variants_are_the_references_eight_in_its_order() -> None:
    reply = "first *line*\nmiddle\nlast"
    assert loose_variants(reply) == [
        reply,
        "first line\nmiddle\nlast",
        "middle\nlast",
        "first *line*\nmiddle",
        "middle",
        "middle\nlast",
        "first line\nmiddle",
        "middle",
    ]


def test_missing_kwargs_mean_no_arguments() -> None:
    result = score(IFEvalScorer(), _case(["detectable_format:title"], None), "<<Poem>>")
    assert result.passed is True


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({}, "metadata.instruction_id_list"),
        ({"instruction_id_list": ["punctuation:no_comma"], "kwargs": []}, "list of 1 dicts"),
        ({"instruction_id_list": ["nope:x"], "kwargs": [{}]}, "unknown IFEval instruction"),
        (
            {"instruction_id_list": ["length_constraints:number_words"], "kwargs": [{}]},
            "needs an integer `num_words`",
        ),
        ({"instruction_id_list": ["punctuation:no_comma"], "kwargs": ["x"]}, "must be a dict"),
    ],
)
def test_a_malformed_case_is_an_error_naming_it(metadata: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        score(IFEvalScorer(), make_case(None, id="k7", metadata=metadata), "reply")
    assert "'k7'" in str(caught.value)


def test_aggregate_pools_instructions_as_the_reference_does() -> None:
    cases = [
        (LOWER_AND_NO_COMMA, "Sure:\nthe weather is very nice today and we go to the park."),
        (_case(["detectable_format:title"], [{}]), "no title, here"),
        (_case(["punctuation:no_comma"], [{}]), "fine"),
    ]
    details = [score(IFEvalScorer(), case, reply).details or {} for case, reply in cases]
    figures = aggregate(details)
    assert figures == {
        "prompt_level_strict_acc": 1 / 3,
        "inst_level_strict_acc": 2 / 4,
        "prompt_level_loose_acc": 2 / 3,
        "inst_level_loose_acc": 3 / 4,
    }
    ref = reference()
    assert figures["inst_level_loose_acc"] == ref.aggregate_instructions(
        [d["inst_level_loose_acc"] for d in details]
    )
    with pytest.raises(ValueError, match="no IFEval scores"):
        aggregate([])


def test_the_registry_builds_it_and_checks_its_option() -> None:
    built = build_scorer(ScorerSpec(name="ifeval", options={"level": "loose"}))
    assert isinstance(built, IFEvalScorer) and built.level == "loose"
    with pytest.raises(ConfigError, match="'level' must be 'strict' or 'loose'"):
        build_scorer(ScorerSpec(name="ifeval", options={"level": "lenient"}))
    assert ifeval().level == "strict"


def test_without_the_sentence_model_offline_it_says_how_to_get_it(tmp_path: Path) -> None:
    """No punkt_tab and no network: one line naming the download command, before any run."""
    code = (
        "import nltk, sys\n"
        f"nltk.data.path[:] = [{str(tmp_path)!r}]\n"
        "from benchlab.scorers.ifeval.scorer import ifeval\n"
        "try:\n    ifeval()\nexcept ValueError as exc:\n    print(exc)\n    sys.exit(3)\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": ":".join(sys.path),
        "NLTK_DATA": str(tmp_path),
        "HOME": str(tmp_path),
        # A closed local port as proxy: the download fails at once, as it does offline.
        "https_proxy": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 3, done.stderr
    assert done.stdout.count("\n") == 1
    assert "python -m nltk.downloader punkt_tab" in done.stdout
    assert done.stderr == ""
