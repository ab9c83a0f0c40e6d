"""A shareable report of one run: summary with intervals, categories, cost and latency,
the history of each suite and model up to this run, and regression alerts.

The data is built once here (`build_report`) and rendered as markdown or as a
self-contained HTML page by `analysis.render` (`render.formats.render_report`
picks one), so the two never disagree and the server can render the same
document.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from benchlab.analysis.failures import list_failures
from benchlab.analysis.history import DEFAULT_LAST, history
from benchlab.analysis.summary import summarize_run
from benchlab.store import Store

REPORT_FAILURES = 50  # rows of the failures section; `show --failures` lists them all


def build_report(
    store: Store, run_id: str, *, last: int = DEFAULT_LAST, alpha: float = 0.05
) -> dict[str, Any]:
    run = store.get_run(run_id)
    summary = summarize_run(store, run.id)
    histories: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    for suite in run.suites:
        for model in run.models:
            found = history(store, suite, model=model, last=last, alpha=alpha, until=run)
            for entry in found["models"]:
                histories.append({"suite": suite, **entry})
                alerts.extend({"suite": suite, "model": model, **a} for a in entry["alerts"])
    return {
        "run": {
            "run_id": run.id,
            "status": run.status,
            "suites": run.suites,
            "models": run.models,
            "created_at": run.created_at.isoformat(),
            "seed": run.seed,
            "tags": run.tags,
            "benchlab_version": run.benchlab_version,
        },
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "alpha": alpha,
        "summary": summary,
        "history": histories,
        "alerts": alerts,
        "failures": list_failures(store, run.id, limit=REPORT_FAILURES),
    }
