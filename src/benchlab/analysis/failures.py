"""The attempts that did not pass, with why: `show --failures` and the report's section.

A failure is an answer a scorer judged wrong (its reason: each failing
scorer's explanation); an error is an attempt that got no verdict (its
reason: the error kind and message). The two are listed apart, because an
error says nothing about the model's answer.
"""

from __future__ import annotations

from typing import Any

from benchlab.domain import Attempt
from benchlab.store import Store

OUTPUT_CHARS = 200  # of the answer, beside the reason


def failure_row(attempt: Attempt) -> dict[str, Any] | None:
    """The attempt as a row of the list, or None when it passed (or has no verdict yet)."""
    if attempt.status == "error" or attempt.error_type is not None:
        verdict = "error"
        reason = f"{attempt.error_type or 'error'}: {attempt.error_message or ''}".rstrip(": ")
    else:
        judged = [s for s in attempt.scores if s.passed is not None and s.scorer != "human"]
        failing = [s for s in judged if s.passed is False]
        if not failing and not (attempt.passed is False and not judged):
            return None
        verdict = "fail"
        reason = (
            "; ".join(f"{s.scorer}: {s.explanation.strip() or _value(s.value)}" for s in failing)
            or "no scorer passed it"
        )
    output = attempt.output or ""
    return {
        "attempt_id": str(attempt.id),
        "suite": attempt.suite,
        "case_id": attempt.case_id,
        "model": attempt.model,
        "sample": attempt.sample,
        "verdict": verdict,
        "reason": reason,
        "output": output[:OUTPUT_CHARS] + ("…" if len(output) > OUTPUT_CHARS else ""),
    }


def _value(value: float | None) -> str:
    return "no score" if value is None else f"score {value:g}"


def list_failures(
    store: Store, run_id: str, *, model: str | None = None, limit: int | None = None
) -> dict[str, Any]:
    """Failing and errored attempts of a run, in suite/case/model/sample order: counts of
    both, and the first `limit` rows (every one when None)."""
    run = store.get_run(run_id)
    rows: list[dict[str, Any]] = []
    counts = {"fail": 0, "error": 0}
    for attempt in store.iter_attempts(run.id, model=model, with_cases=False, human=False):
        row = failure_row(attempt)
        if row is None:
            continue
        counts[row["verdict"]] += 1
        if limit is None or len(rows) < limit:
            rows.append(row)
    return {
        "run_id": run.id,
        "failures": counts["fail"],
        "errors": counts["error"],
        "shown": len(rows),
        "attempts": rows,
    }
