"""Chosen samples as a suite file: it loads, it is versioned, it says where each case came from."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import yaml

from benchlab.samples.pool import PoolSample
from benchlab.samples.suite_file import (
    REVIEW_REQUIRED,
    UNREVIEWED,
    case_document,
    choose_scorer,
    suite_document,
    write_suite,
)
from benchlab.suites import load_suite, review

NOW = datetime(2026, 12, 7, 3, 30, tzinfo=UTC)


def _sample(i: int, output: str = "Yes", **extra: object) -> PoolSample:
    return PoolSample(
        hash=hashlib.sha256(str(i).encode()).hexdigest(),
        input=f"question {i}",
        output=output,
        timestamp=1_764_547_200.0 + i,
        metadata={"category": "billing"},
        source="/logs/app.jsonl",
        source_line=i + 1,
        source_format="jsonl",
        **extra,  # type: ignore[arg-type]
    )


def test_the_review_vocabulary_is_the_run_sides() -> None:
    assert REVIEW_REQUIRED == review.REVIEW_REQUIRED
    assert UNREVIEWED == review.UNREVIEWED


def test_the_scorer_follows_the_length_of_the_references() -> None:
    assert choose_scorer(["yes", "no", "refund approved"])[0] == "exact"
    assert choose_scorer(["Click the reset link we e-mailed you.", "no"])[0] == "fuzzy"
    assert choose_scorer(["word " * 120, "word " * 90])[0] == "semantic"
    name, rule = choose_scorer(["word " * 400, "word " * 300, "short"])
    assert name == "judge" and "300 words" in rule
    assert choose_scorer([])[0] == "exact"


def test_a_case_keeps_its_provenance_and_its_output_as_an_unreviewed_reference() -> None:
    chat = [{"role": "developer", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    sample = PoolSample(
        hash="ab" * 32,
        input=chat,
        output="Hello!",
        timestamp=1_764_547_200.5,
        feedback_score=0.0,
        feedback_label="down",
        model="openai/gpt-4o-mini",
        sample_id="req-7",
        source="/logs/a.jsonl",
        source_line=12,
        source_format="openai",
        dedupe_count=3,
        metadata={"category": "greeting", "tier": "pro"},
    )
    case = case_document(sample)
    assert case["id"] == "p-" + "ab" * 8
    assert case["input"][0] == {"role": "system", "content": "Be brief."}
    assert case["expected"] == "Hello!"
    assert case["metadata"]["category"] == "greeting"
    assert case["metadata"]["review"] == "unreviewed"
    assert case["metadata"]["production"] == {
        "sample_id": "req-7",
        "hash": "ab" * 32,
        "source": "/logs/a.jsonl",
        "source_line": 12,
        "source_format": "openai",
        "timestamp": "2025-12-01T00:00:00.500000Z",
        "model": "openai/gpt-4o-mini",
        "feedback": {"score": 0.0, "label": "down", "comment": None},
        "dedupe_count": 3,
        "metadata": {"category": "greeting", "tier": "pro"},
    }


def test_the_written_suite_loads_and_its_version_is_the_date_and_content_hash(
    tmp_path: Path,
) -> None:
    samples = [_sample(i) for i in range(5)]
    document = suite_document("support-prod", samples, build={"strategy": "random"}, now=NOW)
    path = tmp_path / "suite.yaml"
    write_suite(path, document)
    suite = load_suite(str(path))
    assert suite.n_cases == 5
    assert suite.header.name == "support-prod"
    digest = suite.header.metadata["production_samples"]["content_hash"]
    assert suite.header.version == f"2026-12-07+{digest[:12]}"
    assert [s.name for s in suite.header.scorers] == ["exact"]
    assert suite.header.metadata[REVIEW_REQUIRED] is True
    first = next(suite.iter_cases())
    assert first.expected == "Yes" and first.metadata["review"] == "unreviewed"
    # The same cases hash alike on another day; other cases do not.
    later = suite_document("support-prod", samples, build={"strategy": "random"})
    assert later["metadata"]["production_samples"]["content_hash"] == digest
    other = suite_document("support-prod", samples[:4], build={"strategy": "random"}, now=NOW)
    assert other["version"] != document["version"]


def test_answers_that_yaml_would_turn_into_booleans_or_dates_stay_text(tmp_path: Path) -> None:
    samples = [_sample(0, "yes"), _sample(1, "2026-12-07"), _sample(2, "off"), _sample(3, "1.50")]
    path = tmp_path / "suite.yaml"
    write_suite(path, suite_document("odd", samples, build={}, now=NOW))
    assert [c.expected for c in load_suite(str(path)).iter_cases()] == [
        "yes",
        "2026-12-07",
        "off",
        "1.50",
    ]
    assert not list(tmp_path.glob("*.partial"))
    assert yaml.safe_load(path.read_text())["cases"][0]["metadata"]["review"] == "unreviewed"
