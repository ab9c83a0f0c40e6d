"""Artifact files per attempt of a code run: prompt, response, patch, stdout and stderr.

They live beside the database, in `artifacts/<run_id>/<attempt_id>/`, where
the dashboard lists them and serves each one (`lookup`). Everything in them is
also in the database (the attempt's prompt and output, the code scorer's
details), so they are written from there: after a code run, and again on
demand by `benchlab show RUN_ID --attempt ...` for runs made before or elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchlab.domain import Attempt
from benchlab.errors import NotFound
from benchlab.store.store import Store

NAMES = ("prompt.txt", "response.txt", "patch.diff", "stdout.log", "stderr.log")
TEXT_SUFFIXES = frozenset({".txt", ".log", ".diff", ".patch", ".json", ".jsonl", ".md"})


def contents(attempt: Attempt) -> dict[str, str]:
    """The artifact files of one attempt, by name (patch.diff only when there is a patch)."""
    prompt = "\n\n".join(
        f"[{m.get('role', 'user')}]\n{m.get('content', '')}" for m in attempt.prompt
    )
    response = attempt.output if attempt.output is not None else f"(error) {attempt.error_message}"
    details = _code_details(attempt)
    files = {"prompt.txt": prompt + "\n", "response.txt": response}
    if details.get("patch"):
        files["patch.diff"] = str(details["patch"])
    files["stdout.log"] = str(details.get("stdout", ""))
    files["stderr.log"] = str(details.get("stderr", ""))
    return files


def _code_details(attempt: Attempt) -> dict[str, Any]:
    for score in attempt.scores:
        if score.details and "outcome" in score.details:
            return score.details
    return {}


def folder(store: Store, attempt: Attempt) -> Path:
    return store.artifacts_dir / attempt.run_id / str(attempt.id)


def files(store: Store, attempt: Attempt) -> dict[str, Path]:
    """The artifact files on disk for one attempt, by name, in name order.

    Only regular files directly in the attempt's folder count; symlinks do not,
    so a link planted in the folder cannot expose a file elsewhere.
    """
    target = folder(store, attempt)
    if not target.is_dir():
        return {}
    found = (p for p in target.iterdir() if p.is_file() and not p.is_symlink())
    return {p.name: p for p in sorted(found)}


def lookup(store: Store, attempt: Attempt, name: str) -> Path:
    """One artifact file of an attempt, found by name among the files that exist.

    The name is matched against the folder's listing, never joined to a path,
    so `../x`, `a/b` or an absolute path simply match nothing: this is what
    keeps a name sent over HTTP from reaching outside the folder.
    """
    path = files(store, attempt).get(name)
    if path is None:
        raise NotFound(f"attempt {attempt.id}: no artifact {name!r}")
    return path


def media_type(name: str) -> str:
    """What an artifact is served as: the text ones as plain text, so a browser shows
    them in a tab and never renders a model's answer as a page; anything else as bytes."""
    if Path(name).suffix in TEXT_SUFFIXES:
        return "text/plain; charset=utf-8"
    return "application/octet-stream"


def write(store: Store, attempt: Attempt) -> Path:
    target = folder(store, attempt)
    target.mkdir(parents=True, exist_ok=True)
    for name, text in contents(attempt).items():
        (target / name).write_text(text, encoding="utf-8")
    return target


def write_run(store: Store, run_id: str) -> int:
    """Write the artifacts of every attempt a code scorer judged; returns how many."""
    count = 0
    for attempt in store.iter_attempts(run_id, with_cases=False):
        if _code_details(attempt):
            write(store, attempt)
            count += 1
    return count


def find(
    store: Store, run_id: str, selector: str, *, model: str | None = None, sample: int | None = None
) -> Iterator[Attempt]:
    """Attempts of a run by attempt id or by case id (narrowed by model and sample)."""
    found = False
    for attempt in store.iter_attempts(run_id, model=model, with_cases=False):
        if selector in (str(attempt.id), attempt.case_id) and sample in (None, attempt.sample):
            found = True
            yield attempt
    if not found:
        raise NotFound(f"run {run_id}: no attempt {selector!r}")
