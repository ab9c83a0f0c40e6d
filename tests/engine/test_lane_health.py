"""A model that refuses every request (bad key, no such model) is stopped after a handful.

Counted at a real HTTP server: the rest of the suite is never sent, the run is
`failed` with one line naming the model, the endpoint and the status, and the
unsent attempts are not recorded (resume asks them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchlab import api
from benchlab.domain import ModelProfile, ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.engine.lane_health import FATAL_STREAK
from benchlab.store import Store
from support.servers import Behaviour, Ok, Status, StubServer
from support.suites import write_jsonl_suite

N = 40


def _config(suite: Path, db_url: str, *models: str) -> RunConfig:
    return RunConfig(
        suites=[str(suite)],
        models=[ModelProfile(name=m, spec=m) for m in models or ("openai/stub",)],
        scorers=[ScorerSpec(name="numeric")],
        db=db_url,
        concurrency=8,
        retries=2,
        retry_base_delay=0.01,
        retry_max_delay=0.05,
        cache=False,
    )


def _env(server: StubServer) -> dict[str, str]:
    return {"OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": "sk-wrong"}


def _for_model(name: str, behaviour: Behaviour) -> Any:
    return lambda payload: behaviour if (payload or {}).get("model") == name else None


async def test_a_wrong_key_stops_the_model_after_a_handful_of_requests(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", N)
    stub_server.behave = lambda payload: Status(401)
    result = await api.arun(_config(suite, db_url), env=_env(stub_server))
    assert stub_server.count == FATAL_STREAK  # not 40, not --concurrency 8: 401 is not retried
    assert result.status == "failed"
    error = result.summary["error"]
    assert f"openai/stub at {stub_server.openai_base_url}: 401 Unauthorized" in error
    assert "check OPENAI_API_KEY" in error and f"{N - FATAL_STREAK} more not sent" in error
    (model,) = result.summary["models"]
    assert model["attempts"] == FATAL_STREAK and model["errors"] == FATAL_STREAK
    assert model["pass_rate"] is None
    assert model["errors_by_kind"]["auth"]["count"] == FATAL_STREAK
    with Store(db_url) as store:
        assert store.count_attempts(result.run_id) == FATAL_STREAK  # the rest: not recorded


async def test_an_unknown_model_stops_its_lane_and_the_other_model_runs_on(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", N)
    stub_server.behave = _for_model("typo", Status(404))
    result = await api.arun(
        _config(suite, db_url, "openai/typo", "openai/good"), env=_env(stub_server)
    )
    asked = [r["json"]["model"] for r in stub_server.requests]
    assert asked.count("typo") == FATAL_STREAK and asked.count("good") == N
    assert result.status == "failed"
    assert (
        "openai/typo at" in result.summary["error"] and "404 Not Found" in result.summary["error"]
    )
    by_model = {m["model"]: m for m in result.summary["models"]}
    assert by_model["openai/good"]["pass_rate"] == 1.0 and by_model["openai/good"]["errors"] == 0
    assert by_model["openai/typo"]["errors_by_kind"]["not_found"]["count"] == FATAL_STREAK


async def test_a_lane_that_has_answered_is_not_stopped(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    """One answer proves key and model right: later 401s are errors, each recorded."""
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 10)
    stub_server.script(Ok())
    stub_server.behave = lambda payload: Status(401)
    result = await api.arun(_config(suite, db_url), env=_env(stub_server))
    assert stub_server.count == 10 and result.status == "completed"
    assert result.summary["models"][0]["errors"] == 9


async def test_a_judge_with_a_wrong_key_is_stopped_and_its_attempts_are_errors(
    tmp_path: Path, db_url: str, stub_server: StubServer
) -> None:
    suite = write_jsonl_suite(tmp_path / "s.jsonl", 20)
    stub_server.behave = lambda payload: Status(401)
    config = _config(suite, db_url, "echo").model_copy(
        update={
            "scorers": [ScorerSpec(name="judge", options={"reasks": 0})],
            "judge_model": "openai/judge",
            "concurrency": 1,
        }
    )
    result = await api.arun(config, env=_env(stub_server))
    assert stub_server.count == FATAL_STREAK  # not one judge request per case
    assert result.status == "failed"
    assert (
        f"openai/judge at {stub_server.openai_base_url}: 401 Unauthorized"
        in (result.summary["error"])
    )
    (model,) = result.summary["models"]
    assert model["attempts"] == 20 and model["errors"] == 20 and model["pass_rate"] is None
    assert model["errors_by_kind"]["auth"]["count"] == 20
