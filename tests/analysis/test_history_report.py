"""History with alerts, the report in both formats, and monthly spend, on real runs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from benchlab import api
from benchlab.analysis.spend import month_bounds
from benchlab.errors import ConfigError, NotFound
from support.runs import make_run, priced_models, replay, suite


@pytest.fixture
def tracked(tmp_path: Path, db_url: str) -> list[str]:
    """Four daily runs of one model: steady, steady, a clear regression, recovered."""
    s = suite(tmp_path, 40)
    good = replay(tmp_path / "good.jsonl", 40, failing=[0])
    bad = replay(tmp_path / "bad.jsonl", 40, failing=[0, *range(1, 40, 3)])
    ids: list[str] = []
    for answers in (good, good, bad, good):  # one profile name, whatever answers for it that day
        day = priced_models(tmp_path / f"day{len(ids)}.json", {"daily": (answers, 2.0)})
        ids.append(make_run(db_url, s, "daily", models_file=day).run_id)
    return ids


def test_history_flags_the_regression_and_the_recovery(tracked: list[str], db_url: str) -> None:
    data = api.history("s", db=db_url, model="daily")
    assert data["runs"] == tracked and data["p_adjust"] == "benjamini-hochberg"
    (entry,) = data["models"]
    rates = [p["pass_rate"] for p in entry["points"]]
    assert rates == pytest.approx([39 / 40, 39 / 40, 26 / 40, 39 / 40])
    assert all(
        p["ci_method"] == "wilson" and p["ci95"][0] < p["pass_rate"] for p in entry["points"]
    )
    assert [c["verdict"] for c in entry["changes"]] == ["no_change", "regression", "improvement"]
    assert [a["run_id"] for a in entry["alerts"]] == tracked[2:]
    assert entry["alerts"][0]["flips"] == {"pass_to_fail": 13, "fail_to_pass": 0}
    assert entry["latest"]["run_id"] == tracked[-1]
    assert api.history("s", db=db_url, model="daily", last=2)["runs"] == tracked[-2:]


def test_history_bad_input(tracked: list[str], db_url: str) -> None:
    with pytest.raises(NotFound, match="no completed run of suite 'nope'"):
        api.history("nope", db=db_url)
    with pytest.raises(ConfigError, match="--last"):
        api.history("s", db=db_url, last=0)


def test_markdown_report(tracked: list[str], db_url: str) -> None:
    text = api.report(tracked[2], db=db_url)
    for heading in ("# benchlab report", "## Summary", "## By category", "## Alerts", "## History"):
        assert heading in text
    assert "🔴 regression: daily on s" in text
    history_part = text.split("## History")[1]
    assert tracked[2] in history_part and tracked[3] not in history_part  # only up to this run
    assert "| daily | 65.0% |" in text


def test_html_report_is_self_contained(tracked: list[str], db_url: str) -> None:
    html = api.report(tracked[-1], db=db_url, fmt="html")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") >= 3  # summary, cats, trend
    assert "<script" not in html and "<link" not in html and " src=" not in html
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched
    assert "<polyline" in html and "ringed = alert" in html
    with pytest.raises(ConfigError, match="--format"):
        api.report(tracked[-1], db=db_url, fmt="pdf")


def test_spend_counts_only_requests_really_sent(tmp_path: Path, db_url: str) -> None:
    s = suite(tmp_path, 10)
    spec = replay(tmp_path / "r.jsonl", 10)
    models = priced_models(tmp_path / "m.json", {"paid": (spec, 1000.0)})
    first = make_run(db_url, s, "paid", models_file=models)
    again = make_run(db_url, s, "paid", models_file=models, cache=True)  # served from the cache
    spent = first.summary["models"][0]["cost_usd"]
    assert spent > 0 and again.summary["models"][0]["cost_usd"] == 0.0  # a reused answer is free
    data = api.spend(db=db_url)
    assert data.month == datetime.now(UTC).strftime("%Y-%m")
    assert data.total_usd == pytest.approx(spent) and data.runs == 1
    assert data.avg_per_run_usd == pytest.approx(spent) and data.requests == 10
    assert data.cached_answers == 10
    (row,) = data.by_model
    assert (row.model, row.requests, row.unpriced_requests) == ("paid", 10, 0)
    assert row.cost_usd == row.known_usd == pytest.approx(spent)
    assert data.by_suite[0].suite == "s"
    assert api.spend("2001-01", db=db_url).total_usd == 0.0


def test_month_bounds() -> None:
    label, start, end = month_bounds("2025-12")
    assert label == "2025-12"
    assert datetime.fromtimestamp(end, UTC) == datetime(2026, 1, 1, tzinfo=UTC)
    assert end - start == 31 * 86400
    for bad in ("2025-13", "25-01", "2025/01"):
        with pytest.raises(ConfigError, match="--month"):
            month_bounds(bad)
