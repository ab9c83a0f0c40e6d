"""The scheduler inside a real server: real offline runs into a real SQLite file, over HTTP.

Time is a `FakeClock` the test moves; everything else is what `benchlab serve
--schedules` runs: the app's lifespan starts the scheduler, which launches
through the server's `Launcher`, and `/api/schedules` reads the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from benchlab.server.schedules import LastRun, ScheduleRow
from support.clock import FakeClock
from support.lab import make_app
from support.live_server import LiveServer
from support.servers import StubServer

T = TypeVar("T")


def _utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


def _until(check: Callable[[], T | None], timeout: float = 60.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def _item(client: httpx.Client, name: str) -> dict[str, Any]:
    items = client.get("/api/schedules").json()["items"]
    found: dict[str, Any] = next(i for i in items if i["name"] == name)
    assert set(found) == set(ScheduleRow.model_fields)  # what the OpenAPI schema documents
    if found["last_run"] is not None:
        assert set(found["last_run"]) == set(LastRun.model_fields)
    return found


def _runs_of(client: httpx.Client, name: str) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = client.get("/api/runs", params={"tag": f"schedule={name}"}).json()[
        "items"
    ]
    return runs


def _finished(client: httpx.Client, name: str, count: int) -> list[dict[str, Any]] | None:
    runs = _runs_of(client, name)
    if len(runs) == count and all(r["status"] != "running" for r in runs):
        return runs
    return None


TRACKER = """\
timezone: UTC
schedules:
  - name: tracker
    cron: "0 6 * * *"
    suite: quickstart
    models: [oracle]
    limit: 2
    seed: 3
    tags: {kind: tracker}
  - name: paused
    cron: "@weekly"
    suite: quickstart
    models: [echo]
    enabled: false
"""


def test_a_due_schedule_starts_one_tagged_run_and_never_back_fills(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text(TRACKER)
    clock = FakeClock(_utc(2025, 1, 6, 5, 59, 30))
    app = make_app(f"sqlite:///{tmp_path}/lab.db", schedules=path, schedule_clock=clock)
    with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=30) as client:
        listed = client.get("/api/schedules").json()
        assert listed["timezone"] == "UTC"
        tracker, paused = listed["items"]
        assert tracker["name"] == "tracker" and tracker["cron"] == "0 6 * * *"
        assert tracker["suites"] == ["quickstart"] and tracker["models"] == ["oracle"]
        assert (tracker["limit"], tracker["seed"]) == (2, 3)
        assert tracker["next_run_at"] == "2025-01-06T06:00:00+00:00"
        assert tracker["last_run"] is None and tracker["description"] == "At 06:00 every day"
        assert paused["enabled"] is False and paused["next_run_at"] is None

        clock.set(_utc(2025, 1, 6, 6))
        (run,) = _until(lambda: _finished(client, "tracker", 1))
        assert run["status"] == "completed" and run["attempts"] == 2
        detail = client.get(f"/api/runs/{run['run_id']}").json()
        assert detail["config"]["tags"] == {
            "source": "schedule",
            "kind": "tracker",
            "schedule": "tracker",
        }
        assert detail["config"]["limit"] == 2 and detail["config"]["seed"] == 3
        assert detail["done"] == 2 and detail["models"][0]["pass_rate"] == 1.0
        item = _item(client, "tracker")
        assert item["last_run"]["run_id"] == run["run_id"]
        assert item["last_run"]["status"] == "completed" and item["running"] is False
        assert item["next_run_at"] == "2025-01-07T06:00:00+00:00"

        # Three days later (the machine slept): one run now, not one per missed morning.
        clock.set(_utc(2025, 1, 9, 7, 30))
        runs = _until(lambda: _finished(client, "tracker", 2))
        assert {r["status"] for r in runs} == {"completed"}
        # Asleep until the next morning: all that was due now has been started.
        clock.wait_for_sleeper(_utc(2025, 1, 10, 6))
        assert len(_runs_of(client, "tracker")) == 2
        item = _item(client, "tracker")
        assert item["next_run_at"] == "2025-01-10T06:00:00+00:00"
        assert item["skipped"] == 0  # the missed mornings were not tried (and skipped) either
        assert _runs_of(client, "paused") == []


@pytest.mark.slow
def test_a_schedule_due_while_its_run_is_going_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text(
        "schedules:\n  - name: minutely\n    cron: '* * * * *'\n    suite: quickstart\n"
        "    models: [openai/gpt-test]\n    limit: 1\n    cache: false\n"
    )
    clock = FakeClock(_utc(2025, 1, 6, 6, 0, 30))
    with StubServer(delay=3.0) as stub:
        env = {"OPENAI_BASE_URL": stub.openai_base_url, "OPENAI_API_KEY": "test"}
        app = make_app(
            f"sqlite:///{tmp_path}/lab.db", schedules=path, schedule_clock=clock, env=env
        )
        with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=30) as client:
            clock.set(_utc(2025, 1, 6, 6, 1))
            _until(lambda: _item(client, "minutely")["running"])
            clock.set(_utc(2025, 1, 6, 6, 2))
            item = _until(lambda: (i := _item(client, "minutely"))["skipped"] and i)
            assert item["last_skipped_at"] == "2025-01-06T06:02:00+00:00"
            assert item["running"] is True and item["next_run_at"] == "2025-01-06T06:03:00+00:00"
            assert len(_runs_of(client, "minutely")) == 1
            stub.delay = 0.0  # the next run answers at once

            (first,) = _until(lambda: _finished(client, "minutely", 1))
            assert first["status"] == "completed"
            # The store says completed a moment before the run's thread is over; until then
            # the scheduler still sees it going, and would skip 06:03 too.
            _until(lambda: not _item(client, "minutely")["running"])
            clock.set(_utc(2025, 1, 6, 6, 3))
            runs = _until(lambda: _finished(client, "minutely", 2))
            assert {r["status"] for r in runs} == {"completed"}
            assert _item(client, "minutely")["skipped"] == 1
        assert stub.count == 2


def test_a_failed_launch_is_shown_and_the_schedule_stays_on(tmp_path: Path) -> None:
    suite = tmp_path / "mine.yaml"
    suite.write_text(
        'name: mine\nversion: "1"\nscorers: [exact]\ncases:\n  - {id: a, input: A, expected: A}\n'
    )
    path = tmp_path / "schedules.yaml"
    path.write_text(
        "schedules:\n  - name: mine\n    cron: '0 * * * *'\n    suite: mine.yaml\n"
        "    models: [oracle]\n"
    )
    clock = FakeClock(_utc(2025, 1, 6, 5, 30))
    app = make_app(f"sqlite:///{tmp_path}/lab.db", schedules=path, schedule_clock=clock)
    with LiveServer(app) as live, httpx.Client(base_url=live.url, timeout=30) as client:
        text = suite.read_text()
        suite.unlink()  # checked at startup, gone by the time it is due
        clock.set(_utc(2025, 1, 6, 6))
        item = _until(lambda: (i := _item(client, "mine"))["last_error"] and i)
        assert "mine.yaml: suite file not found" in item["last_error"]
        assert item["next_run_at"] == "2025-01-06T07:00:00+00:00" and item["last_run"] is None
        overview = client.get("/").text
        assert "suite file not found" in overview

        suite.write_text(text)
        clock.set(_utc(2025, 1, 6, 7))
        (run,) = _until(lambda: _finished(client, "mine", 1))
        assert run["status"] == "completed"
        assert _item(client, "mine")["last_error"] is None


def test_no_schedules_is_an_empty_list_and_an_empty_card(client: httpx.Client) -> None:
    assert client.get("/api/schedules").json() == {"timezone": None, "items": []}
    page = client.get("/").text
    assert 'id="schedules"' in page and "No schedules." in page


def test_the_overview_lists_schedules_with_their_next_run(tmp_path: Path) -> None:
    path = tmp_path / "schedules.yaml"
    path.write_text(TRACKER.replace("timezone: UTC", "timezone: Europe/Paris"))
    clock = FakeClock(_utc(2025, 1, 6, 1, 40))
    app = make_app(f"sqlite:///{tmp_path}/lab.db", schedules=path, schedule_clock=clock)
    with LiveServer(app) as live:
        page = httpx.get(live.url + "/").text
    assert '<tr data-schedule="tracker">' in page
    assert '<time datetime="2025-01-06T05:00:00+00:00">2025-01-06 06:00 CET</time>' in page
    assert "in 3 h 20 min" in page and "paused" in page
    assert 'href="/runs?tag=schedule%3Dtracker"' in page
