"""What judging cost, per judged model, apart from what the models themselves cost.

A judge that reads every answer can cost more than the models it grades, and
a cheaper model is no saving if it needs a judge the expensive one did not;
so the summary shows judge spend beside (never inside) each model's own
`cost_usd`. It covers the scoring pass the summary shows (the newest), and,
like attempts' costs, prices every verdict, cached or not: it is what judging
this run costs, not what this machine paid today.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from benchlab.domain import Run
from benchlab.store import Store
from benchlab.store.passes import judge_details


@dataclass
class JudgeSpend:
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    cost_known: bool = True

    def add(self, usage: dict[str, Any]) -> None:
        self.calls += int(usage.get("calls") or 0)
        self.input_tokens += int(usage.get("input_tokens") or 0)
        self.output_tokens += int(usage.get("output_tokens") or 0)
        cost = usage.get("cost_usd")
        if cost is None:
            self.cost_known = False
        else:
            self.cost_usd += float(cost)


def judge_spend(store: Store, run_id: str, pass_no: int | None = None) -> dict[str, JudgeSpend]:
    """Per judged model, the judge calls, tokens and cost of one scoring pass (default the
    run's newest)."""
    out: dict[str, JudgeSpend] = {}
    shown = store.latest_pass(run_id) if pass_no is None else pass_no
    for model, details in judge_details(store, run_id, shown):
        usage = json.loads(details).get("judge")
        if isinstance(usage, dict):
            out.setdefault(model, JudgeSpend()).add(usage)
    return out


def add_judge_spend(
    store: Store, run: Run, models: list[dict[str, Any]], pass_no: int | None = None
) -> None:
    """`judge_cost_usd` (None when a judge's price is unknown) and `judge_tokens` per model
    entry of a summary, when anything was judged in scoring pass `pass_no`."""
    spend = judge_spend(store, run.id, pass_no)
    for entry in models:
        found = spend.get(entry["model"])
        if found is None:
            continue
        entry["judge_cost_usd"] = found.cost_usd if found.cost_known else None
        entry["judge_tokens"] = {"input": found.input_tokens, "output": found.output_tokens}
        entry["judge_calls"] = found.calls
