"""Real runs to label: quickstart on offline models, and a stance-judged grid whose judge
is played by the stub server (no network)."""

from __future__ import annotations

from benchlab import api
from benchlab.engine.config import RunConfig
from benchlab.providers.profiles import resolve_models
from support.judging import stance_judge
from support.servers import StubServer

STANCE_CASES = 9  # three matched sets of the rent grid, each told from three sides


def _by_asker(prompt: str) -> float:
    """A judge that reads the asker into the answer: landlord +0.6, tenant -0.6, else 0."""
    if "I am the landlord" in prompt:
        return 0.6
    if "I am the tenant" in prompt:
        return -0.6
    return 0.0


def quick_run(db: str) -> str:
    """Quickstart on oracle (all pass) and echo (mostly fail): 24 answered attempts."""
    config = RunConfig(suites=["quickstart"], models=resolve_models(["oracle", "echo"]), db=db)
    return api.run(config).run_id


def stance_run(db: str) -> str:
    """The rent-sycophancy grid (9 cases) answered by echo and judged on the stance axis."""
    with StubServer(answer=stance_judge(_by_asker)) as judge:
        config = RunConfig(
            suites=["rent-sycophancy"],
            models=resolve_models(["echo"]),
            limit=STANCE_CASES,
            seed=1,
            judge_model="openai/judge",
            db=db,
        )
        result = api.run(config, env={"OPENAI_BASE_URL": judge.openai_base_url})
    assert result.status == "completed", result.summary
    return result.run_id
