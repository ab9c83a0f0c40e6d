"""Our IFEval verdicts equal the reference's on generated replies, for every instruction id.

The reference is Google's verifiers as lm-evaluation-harness 0.4.13 ships
them, run through its own strict and loose entry points; ours through the
`ifeval` scorer. Both tokenize with the same Punkt model and detect languages
with the same seed, so any disagreement is a difference in the rules.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchlab.scorers.ifeval.scorer import IFEvalScorer

from .._helpers import make_case
from ._reference import reference
from ._replies import CASES, LANGUAGE_IDS, as_hub_row
from .test_scorer import score


def _agree(ids: list[str], kwargs: list[dict[str, Any]], reply: str) -> None:
    case = make_case(None, metadata={"instruction_id_list": ids, "kwargs": kwargs})
    details = score(IFEvalScorer(), case, reply).details
    assert details is not None
    strict, loose = reference().grade(ids, kwargs, reply)
    assert details["inst_level_strict_acc"] == strict, (ids, kwargs, reply)
    assert details["inst_level_loose_acc"] == loose, (ids, kwargs, reply)
    assert details["prompt_level_strict_acc"] == all(strict)
    assert details["prompt_level_loose_acc"] == all(loose)


# Replies per instruction id: hundreds in all (about 4,000 per run, each graded strict and
# loose on both sides) within the suite's time budget. langdetect and NLTK's word tokenizer
# take milliseconds a text and loose grading tries up to 8 texts: 100 for those, 150 else.
_EXPENSIVE = LANGUAGE_IDS | {"change_case:capital_word_frequency"}


def _examples(instruction_id: str) -> int:
    return 100 if instruction_id in _EXPENSIVE else 150


@pytest.mark.parametrize("instruction_id", sorted(CASES))
def test_each_instruction_agrees_with_the_reference(instruction_id: str) -> None:
    args_strategy, replies = CASES[instruction_id]

    @settings(
        max_examples=_examples(instruction_id),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )
    @given(args=args_strategy, reply=replies)
    def agree(args: dict[str, Any], reply: str) -> None:
        _agree([instruction_id], [as_hub_row(args)], reply)

    agree()


def test_every_reference_instruction_has_a_generator() -> None:
    assert set(CASES) == reference().instruction_ids()


@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data())
def test_cases_of_several_instructions_agree(data: st.DataObject) -> None:
    """A case holds up to four instructions, graded each on its own, in order."""
    ids = data.draw(
        st.lists(st.sampled_from(sorted(set(CASES) - LANGUAGE_IDS)), min_size=1, max_size=4),
        label="ids",
    )
    kwargs = [as_hub_row(data.draw(CASES[i][0], label=i)) for i in ids]
    reply = data.draw(st.one_of(*(CASES[i][1] for i in ids)), label="reply")
    _agree(ids, kwargs, reply)
