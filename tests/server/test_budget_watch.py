"""Budget alerts (issue 14): crossing 80% and 100% of the monthly budget shows an alert on
the overview and POSTs one Slack-compatible notice per threshold and month to a real
webhook receiver; a restart does not resend, and a receiver that is down is tried again."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from benchlab.store import Store
from benchlab.store.budget_alerts import month_alerts
from support.lab import ADMIN_KEY, auth, make_app
from support.live_server import LiveServer
from support.runs import make_run, priced_models, replay, suite
from support.webhook import WebhookReceiver

N = 12


def _paid_run(tmp_path: Path, db: str) -> float:
    """One priced run (a replay model at $1000 per 1M tokens); what it cost."""
    s = suite(tmp_path, N)
    models = priced_models(tmp_path / "m.json", {"paid": (replay(tmp_path / "r.jsonl", N), 1000.0)})
    cost = make_run(db, s, "paid", models_file=models).summary["models"][0]["cost_usd"]
    assert cost > 0
    return float(cost)


def _alerts(db: str) -> list[tuple[int, bool, int]]:
    with Store(db) as store:
        from benchlab.analysis.spend import month_bounds

        return [
            (a.threshold_pct, a.delivered_at is not None, a.tries)
            for a in month_alerts(store, month_bounds(None)[0])
        ]


@pytest.mark.slow
def test_thresholds_alert_once_and_survive_a_restart(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    cost = _paid_run(tmp_path, db)
    budget = cost / 0.9  # 90% used: past 80%, not 100%
    with WebhookReceiver() as hook:
        app = make_app(db, budget_usd=budget, budget_webhook=hook.url)
        with LiveServer(app) as server, httpx.Client(base_url=server.url) as client:
            html = client.get("/").text
            assert 'role="alert" data-threshold="80"' in html
            assert 'data-threshold="100"' not in html
            assert "reached 80% of the monthly budget" in html
            assert "UTC UTC" not in html  # the time filter labels its zone once
            assert "Webhook notified." in html
            client.get("/")
            data = client.get("/api/budget").json()
        assert len(hook.received) == 1  # once, not once per view
        (sent,) = hook.received
        assert "80%" in sent["text"] and sent["threshold_pct"] == 80
        assert sent["budget_usd"] == pytest.approx(budget)
        assert sent["spent_usd"] == pytest.approx(cost) and sent["spent_known"] is True
        assert data["crossed"] == [80] and data["over"] is False
        assert data["used_pct"] == pytest.approx(90.0)
        assert [a["threshold_pct"] for a in data["alerts"]] == [80]

        # A restart (a new app on the same database) keeps the alert and does not resend it;
        # a second run takes the month over 100%: that threshold is notified once.
        _paid_run(tmp_path / "again", db)
        with LiveServer(make_app(db, budget_usd=budget, budget_webhook=hook.url)) as server:
            html = httpx.get(server.url + "/").text
        assert 'data-threshold="80"' in html and 'data-threshold="100"' in html
        assert "OVER BUDGET" in html
        assert [m["threshold_pct"] for m in hook.received] == [80, 100]
    assert _alerts(db) == [(80, True, 1), (100, True, 1)]


@pytest.mark.slow
def test_a_receiver_that_is_down_is_tried_again_later(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    cost = _paid_run(tmp_path, db)
    hook = WebhookReceiver().start()
    port = hook.port
    hook.stop()  # nothing listens on the URL now
    app = make_app(db, budget_usd=cost / 2, budget_webhook=hook.url)
    with LiveServer(app) as server, httpx.Client(base_url=server.url) as client:
        page = client.get("/")
        assert page.status_code == 200  # the page does not fail for the webhook
        assert 'data-threshold="100"' in page.text and "could not reach the receiver" in page.text
        assert _alerts(db) == [(80, False, 1), (100, False, 1)]
        with WebhookReceiver(port) as back:
            back.status = 500  # up, but failing: still not delivered
            client.get("/api/budget")
            assert back.received == [] and _alerts(db) == [(80, False, 2), (100, False, 2)]
            back.status = 200
            client.get("/")
            assert [m["threshold_pct"] for m in back.received] == [80, 100]
            client.get("/")
            assert len(back.received) == 2
    assert _alerts(db) == [(80, True, 3), (100, True, 3)]


@pytest.mark.slow
def test_a_run_finishing_on_the_server_checks_the_budget(tmp_path: Path) -> None:
    """No page view: the check after a launched run's end sends the notice."""
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    cost = _paid_run(tmp_path, db)  # spent before the server started
    with WebhookReceiver() as hook:
        app = make_app(db, budget_usd=cost * 4, budget_webhook=hook.url, budget_thresholds=[20])
        with LiveServer(app) as server, httpx.Client(base_url=server.url) as client:
            launched = client.post(
                "/api/runs",
                json={"suites": ["quickstart"], "models": ["oracle"], "limit": 2},
                headers=auth(ADMIN_KEY),
            )
            assert launched.status_code == 202, launched.text
            run_id = launched.json()["run_id"]
            for _ in range(200):
                if hook.received:
                    break
                time.sleep(0.05)
            status = client.get(f"/api/runs/{run_id}").json()["status"]
        assert status == "completed"
        assert [m["threshold_pct"] for m in hook.received] == [20]
        assert json.loads(json.dumps(hook.received[0]))["text"].startswith("benchlab:")


def test_no_budget_shows_the_spend_and_how_to_set_one(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'lab.db'}"
    with LiveServer(make_app(db)) as server, httpx.Client(base_url=server.url) as client:
        html = client.get("/", params={"month": "2025-02"}).text
        assert 'id="budget"' in html and "benchlab serve --budget USD" in html
        assert '<option value="2025-02" selected>' in html
        assert "Nothing was paid for in 2025-02" in html
        data = client.get("/api/budget", params={"month": "2025-02"}).json()
        assert data["configured"] is False and data["alerts"] == []
        assert client.get("/", params={"month": "2025-13"}).status_code == 400
        assert client.get("/api/budget", params={"month": "2025-13"}).status_code == 400


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"BENCHLAB_BUDGET_USD": "lots"}, "BENCHLAB_BUDGET_USD"),
        ({"BENCHLAB_BUDGET_USD": "-5"}, "positive"),
        ({"BENCHLAB_BUDGET_THRESHOLDS": "80,x"}, "BENCHLAB_BUDGET_THRESHOLDS"),
        ({"BENCHLAB_BUDGET_THRESHOLDS": "0"}, "1 to 1000"),
        ({"BENCHLAB_BUDGET_WEBHOOK": "file:///etc/passwd"}, "http(s) URL"),
    ],
)
def test_bad_budget_settings_are_refused(env: dict[str, str], needle: str) -> None:
    from benchlab.errors import ConfigError
    from benchlab.server import Settings

    with pytest.raises(ConfigError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        Settings(env=env)


def test_settings_read_the_budget_from_the_environment() -> None:
    from benchlab.server import Settings

    env = {
        "BENCHLAB_BUDGET_USD": "250",
        "BENCHLAB_BUDGET_THRESHOLDS": "50%, 90,100",
        "BENCHLAB_BUDGET_WEBHOOK": "https://hooks.example.org/x",
    }
    settings = Settings(env=env)
    assert settings.budget_usd == 250.0 and settings.budget_thresholds == [50, 90, 100]
    assert settings.budget_webhook == "https://hooks.example.org/x"
    assert Settings(env={}).budget_thresholds == [80, 100] and Settings(env={}).budget_usd is None
