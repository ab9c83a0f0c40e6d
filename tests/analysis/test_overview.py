"""Leaderboard, trends, spend and score cards over real runs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchlab.analysis import overview
from benchlab.store import Store
from support.lab import make_seed


def test_overview_figures(tmp_path: Path) -> None:
    seed = make_seed(tmp_path)
    with Store(seed.url) as store:
        (board,) = overview.leaderboard(store)
        assert board["models"][0]["model"] == "oracle"
        series = overview.trend(store, suite="quickstart", model="echo")
        assert [p["run_id"] for p in series[0]["points"]] == seed.runs
        with pytest.raises(ValueError):
            overview.trend(store, suite="quickstart", metric="bogus")
        cards = overview.score_cards(store)
        assert cards[0]["run_id"] == seed.runs[1] and cards[0]["pass_rate"] == 1.0
        assert overview.spend(store)["runs"] == 2
        later = datetime(2999, 1, 1, tzinfo=UTC)
        assert overview.spend(store, now=later)["runs"] == 0
