"""The compare API and page: `benchlab.analysis.compare`, shaped for the browser.

The statistics (paired test, Holm-adjusted verdict per model) are the same
ones `benchlab compare` and `gate` print; this module only reshapes them: flips
become links (suite, case id) and an overall verdict is picked — a regression
in any model outweighs an improvement in another.
"""

from __future__ import annotations

from typing import Any

from benchlab.analysis.compare import compare_runs as analyse
from benchlab.store import Store


def _case(label: str, suites: list[str]) -> dict[str, Any]:
    suite, sep, case_id = label.partition(":")
    if sep and suite in suites:
        return {"suite": suite, "case_id": case_id}
    return {"suite": suites[0] if suites else None, "case_id": label}


def compare_runs(
    store: Store, run_a: str, run_b: str, *, model: str | None = None
) -> dict[str, Any]:
    """Per model: rates, delta with its interval, p-value, flips and verdict of B against A."""
    result = analyse(store, run_a, run_b, model=model)
    data = result.as_dict()
    suites = sorted(set(result.run_a.suites) | set(result.run_b.suites))
    models = []
    for entry in data["models"]:
        flips = entry["flips"]
        models.append(
            {
                **entry,
                "flips": {
                    side: [_case(label, suites) for label in flips[side]]
                    for side in ("pass_to_fail", "fail_to_pass")
                },
            }
        )
    verdicts = {m["verdict"] for m in models}
    # untested (nothing judged on both sides) only when no model was tested at all
    overall = next(
        (v for v in ("regression", "improvement", "no_change") if v in verdicts),
        "untested" if verdicts else "no_change",
    )
    return {
        **data,
        "a": result.run_a.id,
        "b": result.run_b.id,
        "method": "paired test per model, Holm-adjusted across models",
        "verdict": overall,
        "models": models,
        "only_in_a": data["unmatched_models"]["a"],
        "only_in_b": data["unmatched_models"]["b"],
    }
