"""The overview's spend card and budget block share one spend query for this month (the
page a dashboard keeps open), none at all while nothing was spent since the last one, and
the card still shows this month when another is picked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, event

from benchlab.analysis.spend import month_bounds
from support.grid_runs import make_grid_lab
from support.lab import make_app
from support.live_server import LiveServer
from support.runs import make_run, priced_models, replay, suite

N = 6


@contextmanager
def spend_queries() -> Iterator[list[str]]:
    """Every month's-spend query any engine sends (spend_rows' grouping) while inside."""
    seen: list[str] = []

    def record(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        if "GROUP BY attempts.model, attempts.suite" in statement:
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def test_the_overview_reads_this_months_spend_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    models = priced_models(tmp_path / "m.json", {"paid": (replay(tmp_path / "r.jsonl", N), 1000.0)})
    make_run(db, suite(tmp_path, N), "paid", models_file=models)
    this_month = month_bounds(None)[0]
    with LiveServer(make_app(db)) as server, httpx.Client(base_url=server.url) as client:
        with spend_queries() as seen:
            html = client.get("/").text
        assert len(seen) == 1
        with spend_queries() as seen:
            runs = client.get("/api/spend").json()["runs"]
            client.get("/")
        assert not seen  # nothing spent since: the figures are remembered (store/spend_marks.py)
        assert f"spend in {this_month}" in html and f"{runs} runs" in html
        with spend_queries() as seen:
            other = client.get("/", params={"month": "2025-02"}).text
        assert len(seen) == 1  # the picked month's budget block; this month's card is remembered
        assert f"spend in {this_month}" in other and "Nothing was paid for in 2025-02" in other


@pytest.mark.slow  # a stance run by the real CLI, judged by a stub judge with no price
def test_a_spend_unknown_because_of_its_judge_says_so(tmp_path: Path) -> None:
    """The card read a bare "unknown" when only the judge had no price: it says how much is
    known and why the rest is not, as `benchlab spend` does."""
    lab = make_grid_lab(tmp_path)
    with LiveServer(make_app(lab.url)) as live:
        page = httpx.get(live.url + "/", timeout=30).text
    line = re.search(r'<span class="sub" id="spend-line"[^>]*>(.*?)</span>', page, re.S)
    assert line is not None
    assert "at least $0.0000: 18 verdicts by a judge without a known price" in line.group(1)
    assert 'id="spend-total">unknown<' in page
