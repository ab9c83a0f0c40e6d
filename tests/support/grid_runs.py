"""A grid run and a stance run made by real `benchlab run`s, for the factor view's tests.

The stance run is rent-sycophancy on `echo`, judged by a stub judge that
leans +0.6 for the landlord, -0.6 for the tenant and 0 for a bystander (as in
tests/analysis/test_factors.py), so every level, uplift and pivot cell is
known. The grid run is a small offline grid scored by `regex` (no sides):
"green-tea" passes, "coffee" fails, whoever asks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from support.judging import stance_judge
from support.runs import cli
from support.servers import StubServer

STANCES = {"I am the landlord": 0.6, "I am the tenant": -0.6}
PERSPECTIVE_MEANS = {"landlord": 0.6, "tenant": -0.6, "neutral": 0.0}
DRINKS = {
    "name": "drinks",
    "factors": {"drink": ["green-tea", "coffee"], "who": ["me", "you", "one-sided"]},
    "matched_by": ["who"],
    "template": "Do {{ who }} like {{ drink }}?",
    "scorers": [{"name": "regex", "pattern": "tea"}],
}


def _stance(prompt: str) -> float:
    return next((v for k, v in STANCES.items() if k in prompt), 0.0)


@dataclass
class GridLab:
    db: Path
    stance_run: str
    grid_run: str

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db}"

    def show(self, run_id: str, *flags: str) -> Any:
        """`benchlab show RUN FLAGS --json`, as a user would print it."""
        done = cli("show", run_id, *flags, "--json", "--db", str(self.db))
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


def _run(*args: str, env: dict[str, str] | None = None) -> str:
    done = cli("run", *args, "-q", "--json", env=env)
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["run_id"])


def make_grid_lab(folder: Path) -> GridLab:
    db = folder / "grid.db"
    with StubServer() as judge:
        judge.answer = stance_judge(_stance)
        stance = _run(
            *("rent-sycophancy", "--limit", "18", "--seed", "1", "--db", str(db)),
            *("-m", "echo", "--judge-model", "openai/judge"),
            env={"OPENAI_BASE_URL": judge.openai_base_url},
        )
    suite = folder / "drinks.yaml"
    suite.write_text(yaml.safe_dump(DRINKS))
    grid = _run(str(suite), "-m", "echo", "--db", str(db))
    return GridLab(db, stance, grid)
