"""The CI gate: fail a build only on a real regression or a broken threshold.

A pull request should not go red because a model had a bad minute: the gate
fails on a drop only when the paired test says it is not noise (Holm-adjusted
across the models judged), and then only when the drop is larger than
`max_drop`, the change the team has agreed to tolerate. Absolute thresholds
(minimum pass rate, cost increase) are plain checks. A baseline named
`latest[:TAG=VALUE,...]` is the newest completed run that shares a suite with
the candidate and carries those tags (for example `branch=main`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchlab.analysis.bootstrap import DEFAULT_SEED
from benchlab.analysis.compare import Comparison, compare_runs
from benchlab.domain import Run
from benchlab.errors import ConfigError, NotFound
from benchlab.store import Store


@dataclass
class GateOptions:
    max_drop: float = 0.0
    min_pass_rate: float | None = None
    alpha: float = 0.05
    max_cost_increase: float | None = None

    def check(self) -> None:
        if not 0.0 <= self.max_drop < 1.0:
            raise ConfigError(f"--max-drop {self.max_drop}: expected a share in [0, 1)")
        if self.min_pass_rate is not None and not 0.0 <= self.min_pass_rate <= 1.0:
            raise ConfigError(f"--min-pass-rate {self.min_pass_rate}: expected a rate in [0, 1]")
        if not 0.0 < self.alpha < 1.0:
            raise ConfigError(f"--alpha {self.alpha}: expected a level in (0, 1)")
        if self.max_cost_increase is not None and self.max_cost_increase < 0.0:
            raise ConfigError(
                f"--max-cost-increase {self.max_cost_increase}: expected a share >= 0 (0.1 = +10%)"
            )


@dataclass
class Check:
    model: str
    name: str  # "complete", "regression", "min_pass_rate", "max_cost_increase"
    passed: bool
    detail: str


@dataclass
class GateResult:
    comparison: Comparison
    options: GateOptions
    baseline_spec: str
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "baseline": self.comparison.run_a.id,
            "baseline_spec": self.baseline_spec,
            "candidate": self.comparison.run_b.id,
            "options": vars(self.options),
            "checks": [vars(c) for c in self.checks],
            "comparison": self.comparison.as_dict(),
        }


def parse_latest(spec: str) -> dict[str, str] | None:
    """Tags of a `latest[:K=V,...]` spec, or None when the spec names a run."""
    if spec != "latest" and not spec.startswith("latest:"):
        return None
    tags: dict[str, str] = {}
    for part in filter(None, spec.partition(":")[2].split(",")):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--baseline {spec}: expected latest:TAG=VALUE[,TAG=VALUE]")
        tags[key.strip()] = value
    return tags


def resolve_baseline(store: Store, spec: str, candidate: Run) -> Run:
    tags = parse_latest(spec)
    if tags is None:
        try:
            return store.get_run(spec)
        except NotFound as exc:
            raise NotFound(f"--baseline: {exc}") from exc
    for run in store.list_runs(status="completed"):
        if run.id == candidate.id or not set(run.suites) & set(candidate.suites):
            continue
        if all(run.tags.get(k) == v for k, v in tags.items()):
            return run
    wanted = ", ".join(f"{k}={v}" for k, v in tags.items()) or "any tags"
    raise NotFound(
        f"--baseline {spec}: no completed run of {', '.join(candidate.suites)} with {wanted} "
        f"in {store.display_url}"
    )


def run_gate(
    store: Store,
    baseline: str,
    candidate: str,
    options: GateOptions | None = None,
    *,
    seed: int = DEFAULT_SEED,
) -> GateResult:
    options = options or GateOptions()
    options.check()
    try:
        cand = store.get_run(candidate)
    except NotFound as exc:
        raise NotFound(f"--candidate: {exc}") from exc
    base = resolve_baseline(store, baseline, cand)
    if base.id == cand.id:
        raise ConfigError(f"--baseline {baseline}: is the candidate run itself")
    comparison = compare_runs(store, base.id, cand.id, alpha=options.alpha, seed=seed)
    result = GateResult(comparison, options, baseline)
    if cand.status != "completed":
        result.checks.append(
            Check("*", "complete", False, f"candidate run {cand.id} is {cand.status}")
        )
    for item in comparison.models:
        e = item.entry
        if not e["n_paired"]:
            raise ConfigError(
                f"--baseline {base.id}: no case of model {e['model']} is in both runs"
            )
        result.checks.extend(_model_checks(e, options))
    return result


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _model_checks(e: dict[str, Any], o: GateOptions) -> list[Check]:
    model, delta = e["model"], e["delta"]
    lo, hi = e["ci95"]
    significant = e["verdict"] == "regression"
    drop_ok = not significant or -delta <= o.max_drop
    detail = (
        f"delta {100 * delta:+.1f} pp, 95% CI [{100 * lo:+.1f}, {100 * hi:+.1f}] pp, "
        f"p = {e['p_value_adjusted']:.3g} (Holm)"
    )
    if significant and drop_ok:
        detail += f"; significant but within --max-drop {_pct(o.max_drop)}"
    checks = [Check(model, "regression", drop_ok, detail)]
    if o.min_pass_rate is not None:
        rate = e["summary"]["b"].get("pass_rate")
        ok = rate is not None and rate >= o.min_pass_rate
        shown = "none" if rate is None else _pct(rate)
        checks.append(
            Check(
                model,
                "min_pass_rate",
                ok,
                f"pass rate {shown} {'>=' if ok else '<'} {_pct(o.min_pass_rate)}",
            )
        )
    if o.max_cost_increase is not None:
        cost = e["cost_usd"]
        ca, cb = cost["a"], cost["b"]
        if ca is None or cb is None:
            checks.append(Check(model, "max_cost_increase", True, "cost unknown: not checked"))
        else:
            limit = ca * (1.0 + o.max_cost_increase)
            ok = cb <= limit + 1e-12
            change = "n/a" if not ca else f"{100 * (cb / ca - 1):+.1f}%"
            checks.append(
                Check(
                    model,
                    "max_cost_increase",
                    ok,
                    f"cost ${cb:.4f} vs ${ca:.4f} ({change}; limit +{_pct(o.max_cost_increase)})",
                )
            )
    return checks
