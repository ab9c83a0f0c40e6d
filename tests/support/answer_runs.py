"""Real runs whose answers the attempt panel and the compare page must show well.

- `code_runs`: two `benchlab run humaneval --limit 3` runs of one replay model, the first
  answering each problem with its canonical solution, the second with a broken one
  wrapped in hostile markdown (a script tag, an inline event handler, a `javascript:`
  link), so every case flips pass -> fail with program, tests and sandbox output to show.
- `tool_run`: a quickstart run of `openai/stub` against a stub server that answers with
  two tool calls (one with markup in its arguments) after one rate-limited try.
"""

from __future__ import annotations

import json
from pathlib import Path

from benchlab.suites.humaneval import problems
from support.runs import cli
from support.servers import Status, StubServer

__all__ = ["HOSTILE", "code_runs", "tool_run"]

HOSTILE = (
    'Here it is <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2">'
    " and [a link](javascript:window.__pwned=3).\n\n"
)


def _replay(path: Path, answers: dict[str, str]) -> None:
    rows = [json.dumps({"case_id": k, "output": v}) for k, v in answers.items()]
    path.write_text("\n".join(rows) + "\n")


def _run_id(done: object) -> str:
    import subprocess

    assert isinstance(done, subprocess.CompletedProcess)
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["run_id"])


def code_runs(folder: Path, db: str) -> tuple[str, str]:
    """(run A, run B) in the database at `db`: B fails every case A passes."""
    folder.mkdir(parents=True, exist_ok=True)
    good, bad = {}, {}
    for p in problems():
        good[p["task_id"]] = f"```python\n{p['prompt']}{p['canonical_solution']}```\n"
        broken = f"{p['prompt']}    return None  # gave up\n"
        bad[p["task_id"]] = f"{HOSTILE}```python\n{broken}```\n"
    runs = []
    for answers in (good, bad):
        _replay(folder / "answers.jsonl", answers)
        args = ("run", "humaneval", "-m", "replay/answers.jsonl", "--limit", "3", "--seed", "7")
        done = cli(*args, "--no-cache", "--json", "-q", "--db", db, cwd=folder)
        runs.append(_run_id(done))
    return runs[0], runs[1]


def tool_run(stub: StubServer, db: str) -> str:
    """The id of a quickstart run (one case) answered with tool calls, in `db`."""
    stub.tool_calls = lambda payload: [
        {"id": "call_weather", "name": "get_weather", "arguments": {"city": "Paris", "unit": "C"}},
        {"id": "call_search", "name": "search", "arguments": {"query": "<img src=x onerror=1>"}},
    ]
    stub.script(Status(429, retry_after=0.05))  # the first request is retried once
    env = {"OPENAI_BASE_URL": stub.openai_base_url, "OPENAI_API_KEY": "sk-test"}
    args = ("run", "quickstart", "-m", "openai/stub", "--limit", "1", "--seed", "7")
    done = cli(*args, "--no-cache", "--json", "-q", "--db", db, "--concurrency", "1", env=env)
    return _run_id(done)
