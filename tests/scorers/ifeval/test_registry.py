"""The instruction table: every id of the reference registry has a verifier here."""

from __future__ import annotations

import pytest

from benchlab.scorers.ifeval.registry import INSTRUCTIONS, build_check

from ._reference import reference


def test_every_reference_instruction_id_has_a_checker() -> None:
    """A new id in lm-eval's registry fails here until it is graded here too."""
    assert set(INSTRUCTIONS) == reference().instruction_ids()


def test_unset_arguments_are_dropped_as_the_hub_stores_them() -> None:
    check = build_check(
        "length_constraints:number_words",
        {"num_words": 3, "relation": "less than", "keywords": None, "language": None},
    )
    assert check("one two") is True and check("one two three") is False


def test_an_unknown_id_or_a_missing_argument_is_named() -> None:
    with pytest.raises(ValueError, match="unknown IFEval instruction id 'keywords:nope'"):
        build_check("keywords:nope", {})
    with pytest.raises(ValueError, match=r"'startend:end_checker' needs a non-empty string"):
        build_check("startend:end_checker", {"end_phrase": None})
