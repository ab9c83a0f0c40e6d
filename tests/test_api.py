"""The Python API where Python users are: notebooks (a running loop) and suites built in code."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import benchlab
from benchlab import LoadedSuite, ScorerSpec, SuiteHeader
from benchlab.errors import ConfigError


def _suite(name: str = "mine") -> LoadedSuite:
    cases = [{"id": f"c{i}", "input": f"{i}+0", "expected": str(i)} for i in range(5)]
    return LoadedSuite.from_cases(SuiteHeader(name=name, scorers=[ScorerSpec(name="exact")]), cases)


def _config(tmp_path: Path, *suites: str | LoadedSuite) -> benchlab.RunConfig:
    return benchlab.RunConfig(
        suites=list(suites),
        models=benchlab.resolve_models(["oracle"]),
        db=f"sqlite:///{tmp_path}/runs.db",
    )


def test_run_works_inside_a_running_event_loop(tmp_path: Path) -> None:
    """A notebook cell runs inside an event loop; asyncio.run used to refuse to nest."""

    async def cell() -> benchlab.RunResult:
        return benchlab.run(_config(tmp_path, "quickstart"))

    result = asyncio.run(cell())
    assert result.status == "completed"
    assert result.summary["models"][0]["pass_rate"] == 1.0
    # And plain sync code still runs on its own loop.
    assert benchlab.run(_config(tmp_path, "quickstart")).status == "completed"


def test_a_suite_built_in_code_runs_through_run_config(tmp_path: Path) -> None:
    config = _config(tmp_path, _suite(), "quickstart")
    assert config.stored()["suites"] == ["memory:mine", "quickstart"]
    result = benchlab.run(config)
    assert result.status == "completed" and sorted(result.summary["suites"]) == [
        "mine",
        "quickstart",
    ]
    ids = {a.case_id for a in result.attempts() if a.suite == "mine"}
    assert ids == {f"c{i}" for i in range(5)}


def test_resuming_a_run_of_a_suite_built_in_code_needs_the_suite(tmp_path: Path) -> None:
    result = benchlab.run(_config(tmp_path, _suite()))
    db = result.db
    with pytest.raises(ConfigError, match=r"built in code \(mine\)"):
        benchlab.resume(result.run_id, db=db)
    changed = LoadedSuite.from_cases(
        SuiteHeader(name="mine", scorers=[ScorerSpec(name="exact")]),
        [{"id": "x", "input": "1", "expected": "1"}],
    )
    with pytest.raises(ConfigError, match="changed since the run started"):
        benchlab.resume(result.run_id, db=db, suites=[changed])
    again = benchlab.resume(result.run_id, db=db, suites=[_suite()])
    assert again.status == "completed" and again.summary["models"][0]["attempts"] == 5


def test_public_functions_say_what_they_do() -> None:
    missing = [
        name
        for name in benchlab.__all__
        if callable(getattr(benchlab, name)) and not (getattr(benchlab, name).__doc__ or "").strip()
    ]
    assert missing == []
