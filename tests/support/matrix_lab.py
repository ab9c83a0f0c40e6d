"""A lab for the results matrix: the seed's two runs (a baseline and a worse candidate, by
real `benchlab run`s on offline models), with a hostile answer in the candidate.

The candidate's replay model answers `capital-australia` with HTML, a `javascript:`
link and a fenced code block: still wrong (Sydney), long enough to be folded in its
cell, and a test that the page shows it as text.
"""

from __future__ import annotations

import json
from pathlib import Path

from support.lab import GOOD, WORSE, Seed, benchlab

__all__ = ["HOSTILE", "make_matrix_lab"]

HOSTILE = (
    "Sydney <img src=x onerror=\"document.title='pwned'\"> and "
    "[a link](javascript:alert(1)) <script>document.title='pwned'</script>\n\n"
    "Here is how I worked it out, at some length, so that the matrix folds this answer "
    "away in its cell instead of stretching the whole row:\n\n"
    "```python\ndef capital(country):\n    return {'Australia': 'Sydney'}[country]\n```\n"
)


def make_matrix_lab(folder: Path) -> Seed:
    """Two runs of quickstart on oracle, echo and a replay file (the second one worse,
    with the hostile answer), in a SQLite file in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "lab.db"
    runs = []
    for answers in (GOOD, {**WORSE, "capital-australia": HOSTILE}):
        lines = [json.dumps({"case_id": k, "output": v}) for k, v in answers.items()]
        (folder / "answers.jsonl").write_text("\n".join(lines) + "\n")
        out = benchlab(
            "run",
            "quickstart",
            *("-m", "oracle", "-m", "echo", "-m", "replay/answers.jsonl"),
            *("--no-cache", "--json", "--db", str(db)),
            cwd=folder,
            exit_codes=(3,),  # the replay file answers 4 cases: the others are errors
        )
        runs.append(json.loads(out.stdout)["run_id"])
    return Seed(db, folder, runs)
