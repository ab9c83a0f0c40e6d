"""`choice` against the two references MMLU-style figures are graded with, on generated replies.

- lm-evaluation-harness's `mmlu` generative tasks: the reference side reads lm-eval's own
  task template (`tasks/mmlu/generative/_default_template_yaml`) as installed, builds its
  filters with lm-eval's filter classes, renders the target with lm-eval's template
  environment and grades with lm-eval's `exact_match`; only the backends' cut at
  `until` is restated. `choice` with `parse: lm-eval` must agree on every reply.
- inspect_ai's `multiple_choice` + `choice` scorer: inspect_ai is not installed here
  (a large package), so its single-answer reading is restated below with its exact
  patterns and steps, from github.com/UKGovernmentBEIS/inspect_ai at commit
  127da5b93b5bd4d8ee88b81934325fa58816eab0, src/inspect_ai/solver/_multiple_choice.py
  (`parse_answers`, single-answer branch) and src/inspect_ai/scorer/_choice.py (correct
  when the chosen set is exactly the target). `choice` with `parse: inspect` must agree
  on every reply.

benchlab's own reading (the default) agrees with both on the replies their prompts ask
for: a lone letter (lm-eval) and "ANSWER: X" on the last line (inspect). Where it
differs, it differs on purpose; `test_where_the_default_reading_differs` lists how.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchlab.domain import ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers.choice import choice
from benchlab.scorers.registry import build_scorer

from ._helpers import run

lm_eval = pytest.importorskip("lm_eval")
from lm_eval.api.metrics import exact_match_hf_evaluate  # noqa: E402
from lm_eval.filters.extraction import RegexFilter, WhitespaceFilter  # noqa: E402
from lm_eval.filters.selection import TakeFirstFilter  # noqa: E402
from lm_eval.utils import env as lm_eval_jinja  # noqa: E402

_TEMPLATE = (
    Path(lm_eval.__file__).parent / "tasks" / "mmlu" / "generative" / "_default_template_yaml"
)
_FILTERS: dict[str, Any] = {
    "regex": RegexFilter,
    "remove_whitespace": WhitespaceFilter,
    "take_first": TakeFirstFilter,
}


class _LmEvalMmlu:
    """lm-eval's mmlu generative grading, built from its task template."""

    def __init__(self) -> None:
        config: dict[str, Any] = yaml.safe_load(_TEMPLATE.read_text())
        self.until: list[str] = config["generation_kwargs"]["until"]
        self.target = lm_eval_jinja.from_string(config["doc_to_target"])
        (entry,) = config["filter_list"]
        self.steps = [
            _FILTERS[step["function"]](**{k: v for k, v in step.items() if k != "function"})
            for step in entry["filter"]
        ]
        (metric,) = config["metric_list"]
        assert metric["metric"] == "exact_match"
        self.options = {
            k: v for k, v in metric.items() if k in ("ignore_case", "ignore_punctuation")
        }

    def passes(self, reply: str, answer_index: int) -> bool:
        for term in self.until:  # what lm-eval's backends do with `until` after generating
            if term:
                reply = reply.split(term)[0]
        doc = {"answer": answer_index}
        resps: Any = [[reply]]
        for step in self.steps:
            resps = step.apply(resps, [doc])
        (prediction,) = list(resps)
        target = self.target.render(**doc)
        result = exact_match_hf_evaluate(
            predictions=[prediction], references=[target], **self.options
        )
        return bool(result["exact_match"] == 1.0)


LM_EVAL = _LmEvalMmlu()


def inspect_passes(completion: str, target: str, n_choices: int) -> bool:
    """inspect_ai's single-answer `parse_answers` and `choice` verdict (see the docstring)."""
    matches = re.findall(
        r"(?i)^ANSWER\s*:\s*([A-Za-z\d ,]+)\s*(?:$|\n|\.)", completion, flags=re.MULTILINE
    )
    if not matches:
        matches = re.findall(r"(?i)ANSWER\s*:\s*([A-Za-z\d ,]+)(?:[^\w]|\n|$|\.)", completion)
    answers: set[str] = set()
    if matches:
        matched = matches[-1].strip().rstrip(".").upper()
        allowed = {chr(ord("A") + i) for i in range(n_choices)}
        tokens = [token for token in matched.split(",") if token]
        if len(tokens) == 1 and tokens[0] in allowed:
            answers = {tokens[0]}
    return answers == {target}


_SETTINGS = settings(
    max_examples=600,
    deadline=None,
    database=None,
    derandomize=True,  # the same replies every run: a coverage floor cannot flake
    suppress_health_check=[HealthCheck.too_slow],
)
_LETTER = st.sampled_from("ABCD")

# -- lm-eval ----------------------------------------------------------------------------

_lm_eval_fragments = st.sampled_from(
    [
        *"ABCDEFabcde",
        *"()[]{}<>.,:;!?*_'\"`-",
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\u00a0",
        "\x00",
        "\u0130",
        "\uff08",
        "\u3002",
        "**",
        "The answer is ",
        "Answer: ",
        ") Paris",
        "I think",
        "</s>",
        "</",
    ]
)
_lm_eval_noise = st.lists(_lm_eval_fragments, max_size=8).map("".join)
_lm_eval_replies = st.one_of(
    _lm_eval_noise,
    # a letter among punctuation and spaces, then anything: the shape the prompt asks for
    st.builds(
        lambda *parts: "".join(parts),
        st.lists(st.sampled_from(" (*['\"\t"), max_size=3).map("".join),
        st.sampled_from("ABCDabcd"),
        st.lists(st.sampled_from(" )*].:!'\"\t\r"), max_size=3).map("".join),
        _lm_eval_noise,
    ),
)


def test_lm_eval_reading_agrees_with_lm_eval() -> None:
    scorer = choice(parse="lm-eval")
    verdicts: list[bool] = []

    @_SETTINGS
    @given(reply=_lm_eval_replies, index=st.integers(0, 3))
    def agree(reply: str, index: int) -> None:
        want = LM_EVAL.passes(reply, index)
        assert run(scorer, "ABCD"[index], reply).passed is want, repr(reply)
        verdicts.append(want)

    agree()
    assert verdicts.count(True) >= 30 and verdicts.count(False) >= 30


_left = st.sampled_from(["", " ", "(", "**", "[", "{", "**(", "  ", "$"])
_right = st.sampled_from(["", " ", ")", ".", "**", "]", "}", ":", ").", ".**", "\t"])


@_SETTINGS
@given(left=_left, letter=st.sampled_from("ABCDabcd"), right=_right, index=st.integers(0, 3))
def test_default_reading_agrees_on_a_lone_letter(
    left: str, letter: str, right: str, index: int
) -> None:
    """The reply lm-eval's prompt ("...Answer:") asks for: one letter, maybe wrapped."""
    reply = f"{left}{letter}{right}"
    assert run(choice(), "ABCD"[index], reply).passed is LM_EVAL.passes(reply, index), reply


# -- inspect_ai ---------------------------------------------------------------------------

_inspect_fragments = st.sampled_from(
    [
        "ANSWER: ",
        "ANSWER:",
        "answer : ",
        "Answer:",
        "ANSWER:\n",
        *"ABCDEFabcd",
        ",",
        ", ",
        " ",
        ".",
        "\n",
        " and ",
        "because",
        "1",
        "\u017f",  # long s: matches [A-Za-z] under IGNORECASE, upper() is "S"
        "\u0131",  # dotless i: upper() is "I"
        "\u212a",  # Kelvin sign: matches "k" under IGNORECASE
        "**",
        "The answer is",
        "-",
    ]
)
_inspect_noise = st.lists(_inspect_fragments, max_size=10).map("".join)
_inspect_replies = st.one_of(
    _inspect_noise,
    # a stated answer among noise: the shape the templates ask for, and near misses
    st.builds(
        lambda *parts: "".join(parts),
        _inspect_noise,
        st.sampled_from(["\nANSWER: ", "ANSWER: ", "\nanswer:", "\nANSWER : "]),
        st.sampled_from([*"ABCDEJabcd", "A, B", "B,", "A B"]),
        st.sampled_from(["", ".", " ", "\n", " because", ".\n"]),
        _inspect_noise,
    ),
)


def test_inspect_reading_agrees_with_inspect() -> None:
    verdicts: list[bool] = []

    @_SETTINGS
    @given(reply=_inspect_replies, letters=st.sampled_from(["ABCD", "ABCDE", "ABCDEFGHIJ"]))
    def agree(reply: str, letters: str) -> None:
        target = letters[len(reply) % 2]  # A or B: the letters the replies state most
        want = inspect_passes(reply, target, len(letters))
        scorer = choice(choices=letters, parse="inspect")
        assert run(scorer, target, reply).passed is want, repr(reply)
        verdicts.append(want)

    agree()
    assert verdicts.count(True) >= 30 and verdicts.count(False) >= 30


_reasoning = st.lists(
    st.sampled_from(
        [
            "Let's think step by step.",
            "The mass is conserved, so the second law applies.",
            "Both statements hold under these conditions.",
            "",
            "**Reasoning**",
        ]
    ),
    max_size=4,
).map("\n".join)


@_SETTINGS
@given(
    reasoning=_reasoning,
    marker=st.sampled_from(["ANSWER: ", "ANSWER:", "Answer: ", "answer: "]),
    letter=st.sampled_from("ABCDabcd"),
    end=st.sampled_from(["", ".", " ", "\n"]),
    target=_LETTER,
)
def test_default_reading_agrees_on_answer_lines(
    reasoning: str, marker: str, letter: str, end: str, target: str
) -> None:
    """The reply inspect's templates ask for: reasoning, then "ANSWER: X" on the last line."""
    reply = f"{reasoning}\n{marker}{letter}{end}" if reasoning else f"{marker}{letter}{end}"
    assert run(choice(), target, reply).passed is inspect_passes(reply, target, 4), reply


# -- where the readings differ ------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "benchlab", "lm_eval", "inspect"),
    [
        # lm-eval compares the first line only: a committed answer after it is not read
        ("The answer is B", "B", None, None),
        ("B) Paris", "B", None, None),
        ("A\nActually, the answer is C", "C", "A", None),
        # lm-eval drops all ASCII punctuation: quotes and "!" around a letter still read
        ("'B'", None, "B", None),
        ("b!", None, "B", None),
        # inspect wants exactly one letter after ANSWER:, on its own line if there is one
        ("ANSWER: A, B", "A", None, None),
        ("ANSWER: B because of X", "B", None, None),
        ("ANSWER: C\nANSWER: D", "D", None, "D"),
    ],
)
def test_where_the_default_reading_differs(
    reply: str, benchlab: str | None, lm_eval: str | None, inspect: str | None
) -> None:
    for parse, letter in (("benchlab", benchlab), ("lm-eval", lm_eval), ("inspect", inspect)):
        scorer = choice(parse=parse)
        for target in "ABCD":
            assert run(scorer, target, reply).passed is (letter == target), (parse, target)
    for target in "ABCD":
        index = "ABCD".index(target)
        assert LM_EVAL.passes(reply, index) is (lm_eval == target)
        assert inspect_passes(reply, target, 4) is (inspect == target)


def test_no_answer_is_said_and_the_option_is_checked() -> None:
    got = run(choice(parse="inspect"), "A", "I would say A.")
    assert got.passed is False
    assert "no answer found" in got.explanation
    with pytest.raises(ConfigError, match="parse"):
        build_scorer(ScorerSpec(name="choice", options={"parse": "lm_eval"}))
    scorer = build_scorer(ScorerSpec(name="choice", options={"parse": "lm-eval"}))
    assert run(scorer, "B", "(b).").passed is True


@pytest.mark.parametrize(
    ("parse", "reference"),
    [
        ("benchlab", "{x}"),
        ("benchlab", "ANSWER: {x}"),
        ("lm-eval", "{x}"),
        ("inspect", "ANSWER: {x}"),
    ],
)
def test_the_oracle_reply_each_reading_needs(parse: str, reference: str) -> None:
    """What a suite puts in `Case.reference` so the oracle scores 100% under each reading."""
    scorer = choice(choices="ABCDEFGHIJ", parse=parse)
    for letter in "ABCDEFGHIJ":
        assert run(scorer, letter, reference.format(x=letter)).passed is True
    if parse == "lm-eval":
        assert run(scorer, "B", "ANSWER: B").passed is False
    if parse == "inspect":
        assert run(scorer, "B", "B").passed is False
