"""Standard suite references: options survive the trip through the stored run config."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchlab.errors import SuiteError
from benchlab.suites.standard import StandardOptions, is_standard, parse_ref, standard_ref

_subjects = st.lists(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), min_size=1, max_size=3)


@given(
    shots=st.none() | st.integers(0, 25),
    subset=st.none() | _subjects.map(tuple),
    cot=st.booleans(),
    multiturn=st.booleans(),
    mode=st.sampled_from([None, "generate", "loglikelihood"]),
    revision=st.none() | st.from_regex(r"[0-9a-f]{40}", fullmatch=True),
)
def test_a_reference_reads_back_as_the_same_options(
    shots: int | None,
    subset: tuple[str, ...] | None,
    cot: bool,
    multiturn: bool,
    mode: str | None,
    revision: str | None,
) -> None:
    options = StandardOptions(
        shots=shots,
        subset=subset,
        cot=cot,
        fewshot_as_multiturn=multiturn,
        mode=mode,  # type: ignore[arg-type]
        revision=revision,
        data="/data/with space & ampersand",
    )
    name, back = parse_ref(standard_ref("mmlu", options))
    assert (name, back) == ("mmlu", options)


def test_defaults_give_the_bare_name_and_relative_data_becomes_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert standard_ref("gsm8k", StandardOptions()) == "gsm8k"
    monkeypatch.chdir(tmp_path)
    assert StandardOptions(data="d").data == str(tmp_path / "d")
    assert is_standard("gsm8k?shots=3") and is_standard("builtin:mmlu")
    assert not is_standard("quickstart") and not is_standard("livecodebench:problems.jsonl")


@pytest.mark.parametrize(
    ("ref", "needle"),
    [
        ("mmlu?shots=five", "shots='five' is not a whole number"),
        ("mmlu?colour=red", "unknown option 'colour'"),
        ("mmlu?cot=maybe", "cot='maybe' is not true or false"),
        ("mmlu?shots=-1", "--shots -1"),
        ("mmlu?mode=sample", "--mode sample"),
        ("livecodebench?since=yesterday", "--since yesterday: not a date"),
    ],
)
def test_bad_options_name_themselves(ref: str, needle: str) -> None:
    with pytest.raises(SuiteError) as info:
        parse_ref(ref)
    assert needle in str(info.value)
