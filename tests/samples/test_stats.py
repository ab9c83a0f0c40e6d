"""`sample_stats` over a real store holding a log whose statistics are known exactly."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchlab.samples.importer import import_files
from benchlab.samples.stats import sample_stats, score_table
from benchlab.store import Store
from support import sample_stats as known


def test_the_statistics_of_a_known_log(db_url: str, tmp_path: Path) -> None:
    log = known.write_log(tmp_path / "2026-11-30.jsonl")
    with Store(db_url) as store:
        [counts] = import_files(store, [log])
        assert counts.imported == known.TOTAL
        stats = sample_stats(store)
        weekly = sample_stats(store, period="week", near_threshold=None, pii=False)
        other_field = sample_stats(store, category_field="tier", near_threshold=None, pii=False)
    assert stats.total == known.TOTAL
    assert stats.volume == known.VOLUME
    assert stats.categories == known.CATEGORIES
    assert stats.models == {"openai/gpt-4o-mini": known.TOTAL}
    assert stats.feedback_labels == known.FEEDBACK_LABELS
    assert stats.feedback_scores == known.FEEDBACK_SCORES
    assert stats.without_feedback == known.WITHOUT_FEEDBACK
    assert stats.mean_score == pytest.approx(0.5)
    assert stats.exact_duplicates == known.EXACT_DUPLICATES
    assert stats.near_duplicates == known.NEAR_DUPLICATES
    assert stats.pii == known.PII
    assert stats.samples_with_pii == 5

    assert weekly.volume == {"2026-W49": known.TOTAL}
    assert weekly.exact_duplicates == known.EXACT_DUPLICATES
    assert weekly.near_duplicates is None and weekly.pii is None
    assert other_field.categories == {"(none)": known.TOTAL}


def test_an_empty_store(db_url: str) -> None:
    with Store(db_url) as store:
        stats = sample_stats(store)
    assert stats.total == 0 and stats.volume == {} and stats.mean_score is None
    assert stats.exact_duplicates == 0 and stats.near_duplicates == 0
    assert stats.pii == dict.fromkeys(known.PII, 0)


def test_an_unknown_period_is_refused(db_url: str) -> None:
    with Store(db_url) as store, pytest.raises(ValueError, match="period"):
        sample_stats(store, period="month")


def test_personal_data_in_the_metadata_is_counted_as_the_build_redacts_it(
    db_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "meta.jsonl"
    log.write_text(
        '{"input": "hello there", "output": "hi", "metadata": {"user": "ana@example.org"}}\n'
        '{"input": "something else", "output": "ok", "metadata": {"n": 5}}\n',
        encoding="utf-8",
    )
    with Store(db_url) as store:
        import_files(store, [log])
        stats = sample_stats(store, near_threshold=None)
    assert stats.pii is not None and stats.pii["email"] == 1
    assert stats.samples_with_pii == 1


def test_few_distinct_scores_are_listed_and_many_are_shown_as_ten_ranges() -> None:
    assert score_table(Counter({1.0: 3, 0.0: 2})) == {"0": 2, "1": 3}
    stars = Counter({float(s): s for s in range(1, 6)})
    assert list(score_table(stars)) == ["1", "2", "3", "4", "5"]
    sliders = Counter({i / 1000: 1 for i in range(1001)})  # 0.000 ... 1.000
    table = score_table(sliders)
    assert list(table) == [f"[{i / 10:g}, {(i + 1) / 10:g})" for i in range(9)] + ["[0.9, 1]"]
    assert len(table) == 10 and sum(table.values()) == 1001
    assert table["[0, 0.1)"] == 100 and table["[0.9, 1]"] == 101  # the top score included
