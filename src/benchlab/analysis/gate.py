"""The CI gate: fail a build only on a real regression or a broken threshold.

A pull request should not go red because a model had a bad minute: the gate
fails on a drop only when the paired test says it is not noise (Holm-adjusted
across the models judged), and then only when the drop is larger than
`max_drop`, the change the team has agreed to tolerate. Absolute thresholds
(minimum pass rate, cost increase) are plain checks.

Errors are not a model's regression: cases with an errored attempt on either
side are left out of the paired test, and the gate fails with a check of its
own, `errors`, that says how many attempts errored on each side and of which
kind, unless the user accepts them (`allow_errors`). A gate with no case
judged in both runs has nothing to decide and fails (`paired_cases`).

A baseline named `latest[:TAG=VALUE,...]` is the newest completed run that
has every model of the candidate, shares a suite with it and carries those
tags (for example `branch=main`); comparing another model's run would measure
the model swap, not the change under review, so when there is none the gate
stops with a line naming the newest run it did find.

Every case of the candidate gets one outcome here (`classify`), and both the
markdown and the JUnit file are written from those outcomes, so the two can
never disagree about which cases failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchlab.analysis.compare import Comparison, ModelComparison, PairedCase, compare_runs
from benchlab.analysis.stats.bootstrap import DEFAULT_SEED
from benchlab.domain import Run
from benchlab.errors import ConfigError, NotFound
from benchlab.format import money, percent, points, points_interval
from benchlab.store import Store


@dataclass
class GateOptions:
    max_drop: float = 0.0
    min_pass_rate: float | None = None
    alpha: float = 0.05
    max_cost_increase: float | None = None
    allow_errors: bool = False

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
    name: str  # complete, errors, paired_cases, regression, min_pass_rate, max_cost_increase
    passed: bool
    detail: str

    @property
    def infrastructure(self) -> bool:
        """A check about errored attempts: JUnit reports it as an error, not a failure."""
        return self.name == "errors"


# What one case of the candidate did, against the baseline (JUnit element in brackets).
PASS = "pass"  # every judged sample passed (a passing test case)
REGRESSED = "regressed"  # worse than in the baseline: a pass -> fail flip (failure)
KNOWN_FAILURE = "known_failure"  # failing, but no worse than in the baseline (skipped)
ERRORED = "error"  # an attempt errored on either side: left out of the test (error)
LEFT_OUT = "left_out"  # in one run only, or no verdict: not compared (skipped)
OUTCOMES = (PASS, REGRESSED, KNOWN_FAILURE, ERRORED, LEFT_OUT)


@dataclass(frozen=True)
class CaseOutcome:
    suite: str
    case_id: str
    label: str
    outcome: str  # one of OUTCOMES
    message: str


def _kinds(kinds: dict[str, int]) -> str:
    return ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))


def _share(passed: int, judged: int) -> str:
    if judged == 1:
        return "passed" if passed else "failed"
    return f"passed {passed}/{judged} samples"


def classify(case: PairedCase) -> CaseOutcome:
    """The one rule that says whether a case passed, regressed, errored or was left out."""
    a, b = case.a, case.b

    def made(outcome: str, message: str) -> CaseOutcome:
        return CaseOutcome(case.suite, case.case_id, case.label, outcome, message)

    if case.errored:
        parts = []
        for side, row, kinds in (("candidate", b, case.errors_b), ("baseline", a, case.errors_a)):
            if kinds and row is not None:
                n = sum(kinds.values())
                parts.append(f"{n}/{row.attempts} attempts errored in the {side} ({_kinds(kinds)})")
        return made(ERRORED, "; ".join(parts) + "; left out of the comparison")
    if b is None:
        return made(LEFT_OUT, "not in the candidate run")
    if a is None:
        if case.errors_b:
            return made(LEFT_OUT, f"not in the baseline; errored ({_kinds(case.errors_b)})")
        if not b.judged:
            return made(LEFT_OUT, "not in the baseline; no verdict")
        return made(LEFT_OUT, f"not in the baseline ({_share(b.passed, b.judged)}); not compared")
    if not case.paired:
        side = "candidate" if not b.judged else "baseline"
        return made(LEFT_OUT, f"no pass/fail verdict in the {side}; not compared")
    if b.passed == b.judged:
        return made(PASS, "passed" if a.passed == a.judged else "fail → pass")
    now, before = _share(b.passed, b.judged), _share(a.passed, a.judged)
    if (b.rate or 0.0) < (a.rate or 0.0):
        return made(REGRESSED, f"regression: {now}, {before} in the baseline")
    return made(KNOWN_FAILURE, f"{now}; {before} in the baseline: a known failure, no worse")


@dataclass
class GateResult:
    comparison: Comparison
    options: GateOptions
    baseline_spec: str
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def outcomes(self, item: ModelComparison) -> list[CaseOutcome]:
        """Every case of one compared model, classified by the one rule both outputs use."""
        return [classify(c) for c in item.cases]

    def checks_of(self, item: ModelComparison) -> list[Check]:
        return [c for c in self.checks if c.model in (item.entry["model"], "*")]

    def as_dict(self) -> dict[str, Any]:
        cases = {}
        for item in self.comparison.models:
            outcomes = self.outcomes(item)
            cases[item.entry["model"]] = {
                kind: [o.label for o in outcomes if o.outcome == kind]
                for kind in OUTCOMES
                if kind != PASS
            } | {PASS: sum(1 for o in outcomes if o.outcome == PASS)}
        return {
            "passed": self.passed,
            "baseline": self.comparison.run_a.id,
            "baseline_spec": self.baseline_spec,
            "candidate": self.comparison.run_b.id,
            "options": vars(self.options),
            "checks": [vars(c) for c in self.checks],
            "cases": cases,
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
    near: list[Run] = []  # same suite and tags, other models: named when nothing fits
    for run in store.list_runs(status="completed"):
        if run.id == candidate.id or not set(run.suites) & set(candidate.suites):
            continue
        if not all(run.tags.get(k) == v for k, v in tags.items()):
            continue
        if set(candidate.models) <= set(run.models):
            return run
        near.append(run)
    wanted = "" if not tags else " tagged " + ", ".join(f"{k}={v}" for k, v in tags.items())
    model_word = "model" if len(candidate.models) == 1 else "models"
    found = (
        f"the newest was {near[0].id} (models: {', '.join(near[0].models)})"
        if near
        else f"there is none in {store.display_url}"
    )
    raise NotFound(
        f"--baseline {spec}: no completed run of {model_word} {', '.join(candidate.models)} "
        f"on suite {', '.join(candidate.suites)}{wanted}; {found}"
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
        errors = _errors_check(e, base.id, cand.id, options)
        if errors is not None:
            result.checks.append(errors)
        if not e["n_paired"]:
            if errors is None:
                raise ConfigError(
                    f"--baseline {base.id}: no case of model {e['model']} has a pass/fail "
                    "verdict in both runs"
                )
            in_both = sum(1 for c in item.cases if c.in_both)
            errored = sum(1 for c in item.cases if c.errored)
            result.checks.append(
                Check(
                    e["model"],
                    "paired_cases",
                    False,
                    f"none of the {in_both} cases in common was judged in both runs "
                    f"({errored} left out for errors): nothing to compare",
                )
            )
            continue
        result.checks.extend(_model_checks(e, options))
    return result


def _errors_check(e: dict[str, Any], baseline: str, candidate: str, o: GateOptions) -> Check | None:
    """A check of its own for errored attempts on the compared cases, None when there is none."""
    sides = [("candidate", e["errored"]["b"]), ("baseline", e["errored"]["a"])]
    runs = [run for run, (_, s) in zip((candidate, baseline), sides, strict=True) if s["attempts"]]
    said = [
        f"{s['attempts']} errored attempt{'s' if s['attempts'] != 1 else ''} in {side} "
        f"({_kinds(s['by_kind'])})"
        for side, s in sides
        if s["attempts"]
    ]
    if not said:
        return None
    left_out = len(set(e["errored"]["a"]["cases"]) | set(e["errored"]["b"]["cases"]))
    detail = "; ".join(said) + f"; {left_out} case{'s' if left_out != 1 else ''} left out"
    if o.allow_errors:
        return Check(e["model"], "errors", True, detail + " (accepted by --allow-errors)")
    resume = " and ".join(f"benchlab resume {run} --retry-errors" for run in runs)
    fix = f"finish them ({resume}) or accept them with --allow-errors"
    return Check(e["model"], "errors", False, f"{detail}; {fix}")


def _model_checks(e: dict[str, Any], o: GateOptions) -> list[Check]:
    model, delta = e["model"], e["delta"]
    lo, hi = e["ci95"]
    significant = e["verdict"] == "regression"
    drop_ok = not significant or -delta <= o.max_drop
    detail = (
        f"delta {points(delta)}, 95% CI {points_interval((lo, hi))}, "
        f"p = {e['p_value_adjusted']:.3g} (Holm) over {e['n_paired']} paired cases"
    )
    if significant and drop_ok:
        detail += f"; significant but within --max-drop {percent(o.max_drop)}"
    checks = [Check(model, "regression", drop_ok, detail)]
    if o.min_pass_rate is not None:
        rate = e["summary"]["b"].get("pass_rate")
        ok = rate is not None and rate >= o.min_pass_rate
        shown = "none" if rate is None else percent(rate)
        checks.append(
            Check(
                model,
                "min_pass_rate",
                ok,
                f"pass rate {shown} {'>=' if ok else '<'} {percent(o.min_pass_rate)}",
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
                    f"cost {money(cb)} vs {money(ca)} "
                    f"({change}; limit +{percent(o.max_cost_increase)})",
                )
            )
    return checks
