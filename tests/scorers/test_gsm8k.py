"""The `gsm8k` scorer against lm-evaluation-harness's own gsm8k grading, run on the same replies.

The reference side reads lm-eval's task files (`gsm8k.yaml`, `gsm8k-cot.yaml`) as
installed, builds their filters with lm-eval's filter classes, renders the target with
lm-eval's template function and grades with lm-eval's `exact_match`: nothing of the
reference is restated here except the backends' post-hoc cut at `until`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchlab.domain import ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers.gsm8k import gsm8k, gsm8k_target
from benchlab.scorers.registry import build_scorer

from ._helpers import run

lm_eval = pytest.importorskip("lm_eval")
from lm_eval.api.metrics import exact_match_hf_evaluate  # noqa: E402
from lm_eval.filters.extraction import RegexFilter  # noqa: E402
from lm_eval.filters.selection import TakeFirstFilter  # noqa: E402
from lm_eval.utils import env as lm_eval_jinja  # noqa: E402

_TASKS = Path(lm_eval.__file__).parent / "tasks" / "gsm8k"
_FILES = {"gsm8k": "gsm8k.yaml", "cot": "gsm8k-cot.yaml"}


class _Reference:
    """One lm-eval gsm8k task: its two filters, its target template, its metric options."""

    def __init__(self, variant: str) -> None:
        config: dict[str, Any] = yaml.safe_load((_TASKS / _FILES[variant]).read_text())
        self.until: list[str] = config["generation_kwargs"]["until"]
        # lm-eval's `apply_template` is this environment's from_string + render, compiled once here
        self.target_template = lm_eval_jinja.from_string(config["doc_to_target"])
        metric = config["metric_list"][0]
        assert metric["metric"] == "exact_match"
        self.metric_options = {
            k: metric[k] for k in ("ignore_case", "ignore_punctuation", "regexes_to_ignore")
        }
        self.filters: dict[str, list[Any]] = {}
        for entry in config["filter_list"]:
            steps: list[Any] = []
            for step in entry["filter"]:
                options = {k: v for k, v in step.items() if k != "function"}
                if step["function"] == "regex":
                    steps.append(RegexFilter(**options))
                else:
                    assert step["function"] == "take_first"
                    steps.append(TakeFirstFilter())
            self.filters[entry["name"]] = steps

    def passes(self, filter_name: str, reply: str, answer: str) -> bool:
        for term in self.until:  # what lm-eval's backends do with `until` after generating
            if term:
                reply = reply.split(term)[0]
        doc = {"answer": answer}
        resps: Any = [[reply]]
        for step in self.filters[filter_name]:
            resps = step.apply(resps, [doc])
        (prediction,) = list(resps)
        target = self.target_template.render(**doc)
        result = exact_match_hf_evaluate(
            predictions=[prediction], references=[target], **self.metric_options
        )
        return bool(result["exact_match"] == 1.0)


REFERENCES = {v: _Reference(v) for v in _FILES}


# Replies and answers built from the same small pool of numbers, so that about half agree.
_digits = st.sampled_from(["7", "72", "1000", "1,000", "18", "0", "3", "12", "5"])
_number = st.builds(
    lambda sign, dollar, body, decimals: f"{sign}{dollar}{body}{decimals}",
    st.sampled_from(["", "", "-"]),
    st.sampled_from(["", "", "$"]),
    _digits,
    st.sampled_from(["", "", ".0", ".50", ".5", "."]),
)
_word = st.sampled_from(
    [
        "The answer is ",
        "The answer is $",
        "the answer is ",
        "#### ",
        "####",
        "#### $",
        "Answer: ",
        "So she has ",
        " dollars",
        " apples.",
        ".",
        ",",
        " = ",
        " + ",
        "\n",
        "\n\n",
        " ",
        "Question: ",
        "Q: ",
        "</s>",
        "<|im_end|>",
        "**",
        "A",
        "x",
        "..",
        "$",
        "-",
    ]
)
_noise = st.lists(st.one_of(_number, _word, _word), max_size=8).map("".join)
_marker = st.sampled_from(["The answer is ", "#### ", "The answer is $", "####", "answer: "])
_replies = st.one_of(
    _noise,
    # a reply that states an answer the way one of the task files teaches, among noise
    st.builds(lambda *parts: "".join(parts), _noise, _marker, _number, _word, _noise),
)
_works = st.lists(st.one_of(_number, _word), max_size=6).map("".join)
_separators = st.sampled_from(["#### ", "####", "#### ", "#### $"])


@st.composite
def _reply_and_answer(draw: st.DrawFn) -> tuple[str, str]:
    """A dataset-shaped answer and a reply that, half the time, states its final number."""
    final = draw(_number)
    answer = f"{draw(_works)}\n{draw(_separators)}{final}"
    if draw(st.booleans()):
        reply = draw(_replies)
    else:
        stated = st.sampled_from([final, final, final.rstrip("."), final + "."])
        parts = (_noise, _marker, stated, _word, _noise)
        reply = "".join(draw(part) for part in parts)
    return reply, answer


@pytest.mark.parametrize("variant", sorted(_FILES))
def test_both_filters_agree_with_lm_eval(variant: str) -> None:
    reference = REFERENCES[variant]
    strict_scorer = gsm8k(variant=variant)
    flexible_scorer = gsm8k(variant=variant, filter="flexible-extract")
    seen: list[tuple[bool, bool]] = []

    @settings(
        max_examples=600,
        deadline=None,
        database=None,
        derandomize=True,  # the same replies every run: a coverage floor cannot flake
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(pair=_reply_and_answer())
    def agree(pair: tuple[str, str]) -> None:
        reply, answer = pair
        strict = reference.passes("strict-match", reply, answer)
        flexible = reference.passes("flexible-extract", reply, answer)
        got = run(strict_scorer, answer, reply)
        assert got.details is not None
        assert (got.details["strict_match"], got.details["flexible_extract"]) == (
            strict,
            flexible,
        ), (reply, answer)
        assert got.passed is strict
        assert run(flexible_scorer, answer, reply).passed is flexible
        seen.append((strict, flexible))

    agree()
    # the generated replies exercise both verdicts of both filters
    assert len(seen) >= 500
    assert {s for s, _ in seen} == {True, False}
    assert {f for _, f in seen} == {True, False}


@pytest.mark.parametrize("variant", sorted(_FILES))
@pytest.mark.parametrize(
    "reply",
    [
        "She pays 3 + 4 = $7.\n#### 7",
        "#### 1,000",
        "#### $1,000.",
        "#### -5",
        "#### 5\n#### 7",
        "The answer is 7.",
        "The answer is $7.",
        "The answer is -3.5.",
        "The answer is 1,000. Q: next question, the answer is 7.",
        "So 7.\n\nQuestion: what is 9? #### 9",
        "I cannot tell.",
        "",
        "7",
        "It is 7 apples, or 8.",
        "about 7.50 dollars",
    ],
)
@pytest.mark.parametrize("answer", ["a + b = 7\n#### 7", "#### 1,000", "x\n#### -5", "#### 3.5"])
def test_named_shapes_agree_with_lm_eval(variant: str, reply: str, answer: str) -> None:
    reference = REFERENCES[variant]
    got = run(gsm8k(variant=variant), answer, reply)
    assert got.details is not None
    assert got.details["strict_match"] is reference.passes("strict-match", reply, answer)
    assert got.details["flexible_extract"] is reference.passes("flexible-extract", reply, answer)


def test_the_dataset_answer_passes_both_filters_of_the_plain_variant() -> None:
    """The oracle answers with the row's own `answer` field."""
    answer = (
        "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nIn total 48+24 = <<48+24=72>>72.\n#### 72"
    )
    got = run(gsm8k(), answer, answer)
    assert got.passed is True and got.value == 1.0
    assert got.details == {
        "strict_match": True,
        "flexible_extract": True,
        "strict_extracted": "72",
        "flexible_extracted": "72",
        "target": "72",
    }


def test_cot_reads_the_answer_sentence_and_its_target_is_the_final_number() -> None:
    answer = "He has 1,000 + 234 = <<1000+234=1234>>1,234 coins.\n#### 1,234"
    assert gsm8k_target(answer, "cot") == "1,234"
    assert gsm8k_target(answer) == answer
    ok = run(gsm8k(variant="cot"), answer, "1000 + 234 = 1234. The answer is 1,234.")
    assert ok.passed is True
    # the gsm8k marker is not the cot variant's strict marker; flexible still reads it
    marker = run(gsm8k(variant="cot"), answer, "#### 1234")
    assert marker.passed is False
    assert marker.details is not None and marker.details["flexible_extract"] is True


def test_no_number_fails_and_says_so() -> None:
    got = run(gsm8k(filter="flexible-extract"), "#### 7", "I do not know.")
    assert got.passed is False and got.value == 0.0
    assert "no answer found" in got.explanation
    assert got.details is not None and got.details["flexible_extracted"] is None


def test_the_reply_is_cut_at_the_stop_sequences() -> None:
    reply = "The total is 7.\n#### 7\n\nQuestion: and then? #### 9"
    assert run(gsm8k(), "#### 7", reply).passed is True
    # without the cut, flexible-extract reads the 9 of the invented next question
    assert run(gsm8k(filter="flexible-extract", until=[]), "#### 7", reply).passed is False
    assert run(gsm8k(filter="flexible-extract"), "#### 7", reply).passed is True


def test_built_by_name_with_checked_options() -> None:
    scorer = build_scorer(
        ScorerSpec(name="gsm8k", options={"variant": "cot", "filter": "flexible-extract"})
    )
    assert scorer.name == "gsm8k"
    for bad in ({"variant": "gsm8k-cot"}, {"filter": "strict"}, {"until": "Q:"}):
        with pytest.raises(ConfigError, match="gsm8k"):
            build_scorer(ScorerSpec(name="gsm8k", options=bad))


def test_expected_must_be_the_answer_field() -> None:
    with pytest.raises(ValueError, match="answer"):
        run(gsm8k(), None, "#### 7")
