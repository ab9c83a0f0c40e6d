"""A lab database seeded by real `benchlab run`s on offline models, and the app over it."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

ADMIN_KEY = "test-admin-key"
GOOD = {
    "capital-australia": "Canberra",
    "apollo-11-landing-year": "1969",
    "token-bill": "6.0",
    "prorated-refund": "27",
}
WORSE = {**GOOD, "capital-australia": "Sydney", "prorated-refund": "30"}


@dataclass
class Seed:
    db: Path
    folder: Path
    runs: list[str]  # oldest first: baseline, candidate (tagged env=ci)
    db_url: str | None = None  # another database than the SQLite file `db`

    @property
    def url(self) -> str:
        return self.db_url or f"sqlite:///{self.db}"


def benchlab(
    *args: str, cwd: Path, exit_codes: tuple[int, ...] = (0,)
) -> subprocess.CompletedProcess[str]:
    """`benchlab ARGS` as support.runs.cli runs it; an exit code not in `exit_codes` raises."""
    from support.runs import cli

    done = cli(*args, cwd=cwd)
    if done.returncode not in exit_codes:
        raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)
    return done


def _answers(folder: Path, answers: dict[str, str]) -> None:
    import json

    lines = [json.dumps({"case_id": k, "output": v}) for k, v in answers.items()]
    (folder / "answers.jsonl").write_text("\n".join(lines) + "\n")


def make_seed(folder: Path, url: str | None = None) -> Seed:
    """Two real runs of quickstart on oracle, echo and a replay file whose answers got worse
    (in a SQLite file in `folder`, or in the database at `url`)."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "lab.db"
    runs = []
    for answers, extra in ((GOOD, []), (WORSE, ["--tag", "env=ci"])):
        _answers(folder, answers)
        out = benchlab(
            "run",
            "quickstart",
            "-m",
            "oracle",
            "-m",
            "echo",
            "-m",
            "replay/answers.jsonl",
            "--no-cache",
            "--json",
            "--db",
            url or str(db),
            *extra,
            cwd=folder,
            exit_codes=(3,),  # the replay file answers 4 cases: the others are errors
        )
        runs.append(json.loads(out.stdout)["run_id"])
    return Seed(db, folder, runs, db_url=url)


def make_app(url: str, **options: Any) -> FastAPI:
    """The app with the test admin key and a fast live poll, unless told otherwise."""
    from benchlab.server import create_app

    options.setdefault("admin_key", ADMIN_KEY)
    options.setdefault("poll_interval", 0.05)
    return create_app(url, **options)


def auth(key: str = ADMIN_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
