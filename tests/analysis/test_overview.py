"""Leaderboard, trends, spend and score cards over real runs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchlab.analysis import overview
from benchlab.analysis.spend import monthly_spend
from benchlab.store import Store
from support.lab import make_seed


def test_overview_figures(tmp_path: Path) -> None:
    seed = make_seed(tmp_path)
    with Store(seed.url) as store:
        (board,) = overview.leaderboard(store).suites
        assert board.suite == "quickstart" and board.models[0].model == "oracle"
        assert [row.rank for row in board.models] == list(range(1, len(board.models) + 1))
        assert board.models[0].runs == 2 and board.models[0].run_id in seed.runs
        shown = overview.trend(store, suite="quickstart", model="echo")
        (series,) = shown.series
        assert [p.run_id for p in series.points] == seed.runs
        assert all(p.ci95 is not None and p.ci_method == "wilson" for p in series.points)
        assert shown.suite_changes == []  # the same cases both times
        errors = overview.trend(store, suite="quickstart", model="echo", metric="errors")
        assert all(p.ci95 is None for p in errors.series[0].points)
        with pytest.raises(ValueError):
            overview.trend(store, suite="quickstart", metric="bogus")
        cards = overview.score_cards(store)
        assert cards[0]["run_id"] == seed.runs[1] and cards[0]["pass_rate"] == 1.0
        assert monthly_spend(store).runs == 2
        later = datetime(2999, 1, 1, tzinfo=UTC)
        assert monthly_spend(store, now=later).runs == 0
