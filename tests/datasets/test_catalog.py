"""The catalog: one entry per standard suite, each naming a Hub dataset and the files it reads."""

from __future__ import annotations

import re

import pytest

from benchlab.datasets import CATALOG, DatasetError, dataset_spec, hub_url

SUITES = [
    "mmlu",
    "mmlu-pro",
    "gsm8k",
    "math-500",
    "gpqa-diamond",
    "arc-challenge",
    "hellaswag",
    "truthfulqa-mc1",
    "truthfulqa-mc2",
    "ifeval",
    "mbpp",
    "livecodebench",
]


def test_every_suite_of_the_issue_has_an_entry() -> None:
    assert list(CATALOG) == SUITES


@pytest.mark.parametrize("name", SUITES)
def test_an_entry_is_pinned_and_names_its_files(name: str) -> None:
    spec = CATALOG[name]
    assert spec.name == name
    assert re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", spec.repo_id)
    assert re.fullmatch(r"[0-9a-f]{40}", spec.revision) or spec.revision == "main"
    assert spec.splits and all(pattern for _, pattern in spec.splits)
    assert spec.fields


def test_only_gpqa_is_gated_and_the_unpinned_ones_are_known() -> None:
    assert [s.name for s in CATALOG.values() if s.gated] == ["gpqa-diamond"]
    assert [s.name for s in CATALOG.values() if s.revision == "main"] == [
        "gpqa-diamond",
        "livecodebench",
    ]


def test_the_reference_configs_and_splits() -> None:
    assert (CATALOG["gsm8k"].repo_id, CATALOG["gsm8k"].config) == ("openai/gsm8k", "main")
    assert CATALOG["mmlu"].pattern("test") == "all/test-*.parquet"
    assert CATALOG["mmlu"].pattern("dev") == "all/dev-*.parquet"
    assert CATALOG["hellaswag"].main_split == "validation"
    assert CATALOG["arc-challenge"].pattern("test") == "ARC-Challenge/test-*.parquet"
    assert CATALOG["mbpp"].config == "sanitized"
    assert CATALOG["truthfulqa-mc2"].config == "multiple_choice"


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(DatasetError) as err:
        dataset_spec("gsm9k")
    assert "unknown dataset 'gsm9k'" in str(err.value)
    assert all(name in str(err.value) for name in SUITES)


def test_an_unknown_split_names_the_splits() -> None:
    with pytest.raises(DatasetError, match=r"no split 'train' \(it has test, dev\)"):
        CATALOG["mmlu"].pattern("train")


def test_the_page_where_terms_are_accepted() -> None:
    spec = CATALOG["gpqa-diamond"]
    assert hub_url(spec) == "https://huggingface.co/datasets/Idavidrein/gpqa"
    assert hub_url(spec, "http://127.0.0.1:5/") == "http://127.0.0.1:5/datasets/Idavidrein/gpqa"
