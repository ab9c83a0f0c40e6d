"""Run B against run A, case by case: the verdict `compare`, `gate` and the dashboard share.

Only cases judged in both runs are paired; cases present in one run only are
listed and left out of the test (comparing different case sets would measure
the sets, not the models). A case with an errored attempt on either side
(the request failed, the answer was missing, the scorer raised) is left out
too and counted apart, per side and kind: an error says nothing about the
model, so counting it as a fail would turn a flaky endpoint into a
"significant regression". Two runs with no case in common cannot be compared
at all, which is a user error, not `no_change`; when cases are shared but none
is judged on both sides the verdict is `untested`. Each model's p-value is
Holm-adjusted across the models compared, so adding models to a run does not
make a false regression more likely; categories are exploratory and
Benjamini-Hochberg-adjusted within their model. Cost and latency come from
each run's own summary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field
from typing import Any, TypeVar

from benchlab.analysis.stats.bootstrap import DEFAULT_SEED, LEVEL
from benchlab.analysis.stats.intervals import scale_of
from benchlab.analysis.stats.multiple import BH, HOLM, adjust
from benchlab.analysis.stats.paired import PairedResult, paired_test, verdict
from benchlab.analysis.summary import summarize_run
from benchlab.domain import Run
from benchlab.errors import ConfigError, OptionError
from benchlab.store import Store
from benchlab.store.outcomes import (
    CaseErrors,
    CaseRow,
    ScoreMean,
    case_errors,
    case_outcomes,
    case_score_means,
)
from benchlab.store.passes import PassInfo, resolve_pass
from benchlab.store.run_summaries import RunParts

Key = tuple[str, str]  # (suite, case_id)
T = TypeVar("T")


UNTESTED = "untested"  # cases in common, but none judged on both sides (errors, no verdicts)


@dataclass
class PairedCase:
    """One case as each run saw it; `a`/`b` is None when that run has no attempt of it."""

    suite: str
    case_id: str
    label: str
    category: str | None
    a: CaseRow | None
    b: CaseRow | None
    errors_a: dict[str, int] = field(default_factory=dict)  # errored attempts by kind
    errors_b: dict[str, int] = field(default_factory=dict)

    @property
    def in_both(self) -> bool:
        return self.a is not None and self.b is not None

    @property
    def errored(self) -> bool:
        """In both runs, with an errored attempt on either side: left out of the test."""
        return self.in_both and bool(self.errors_a or self.errors_b)

    @property
    def paired(self) -> bool:
        """Judged on both sides and errored on neither: what the paired test uses."""
        a, b = self.a, self.b
        return (
            a is not None
            and b is not None
            and a.judged > 0
            and b.judged > 0
            and not (self.errors_a or self.errors_b)
        )


@dataclass
class ModelComparison:
    model_a: str
    model_b: str
    entry: dict[str, Any]
    cases: list[PairedCase] = field(default_factory=list)


@dataclass
class Comparison:
    run_a: Run
    run_b: Run
    alpha: float
    models: list[ModelComparison]
    unmatched: dict[str, list[str]]
    scoring: dict[str, PassInfo] = field(default_factory=dict)  # each side's scoring pass

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_a": self.run_a.id,
            "run_b": self.run_b.id,
            "scores_from": {side: info.as_dict() for side, info in self.scoring.items()},
            "alpha": self.alpha,
            "confidence": LEVEL,
            "p_adjust": {"models": HOLM, "categories": BH},
            "models": [m.entry for m in self.models],
            "unmatched_models": self.unmatched,
        }


def model_pairs(
    a: Run, b: Run, *, model: str | None, model_a: str | None, model_b: str | None
) -> list[tuple[str, str]]:
    """Which model of A is compared with which model of B; bad choices are user errors."""
    if (model_a is None) != (model_b is None):
        raise ConfigError("--model-a and --model-b go together (give both, or --model)")
    if model is not None and model_a is not None:
        raise ConfigError("--model: give either --model or --model-a/--model-b, not both")
    if model_a is not None and model_b is not None:
        _has(a, model_a, "model_a")
        _has(b, model_b, "model_b")
        return [(model_a, model_b)]
    if model is not None:
        _has(a, model, "model")
        _has(b, model, "model")
        return [(model, model)]
    common = [m for m in a.models if m in b.models]
    if not common and len(a.models) == len(b.models) == 1:
        return [(a.models[0], b.models[0])]  # one model each: a model swap is what is compared
    if not common:
        raise ConfigError(
            f"runs {a.id} and {b.id} share no model; pick two with --model-a X --model-b Y"
        )
    return [(m, m) for m in common]


def _has(run: Run, model: str, option: str) -> None:
    if model not in run.models:
        raise OptionError(
            option, f"{{option}} {model}: run {run.id} has no such model ({', '.join(run.models)})"
        )


def _label(suite: str, case_id: str, several_suites: bool) -> str:
    return f"{suite}:{case_id}" if several_suites else case_id


def pair_cases(
    rows_a: Sequence[CaseRow],
    rows_b: Sequence[CaseRow],
    errors_a: Sequence[CaseErrors] = (),
    errors_b: Sequence[CaseErrors] = (),
) -> list[PairedCase]:
    """Every case of either run, in suite/case order, with its row and errors from each side."""
    by_a = {(r.suite, r.case_id): r for r in rows_a}
    by_b = {(r.suite, r.case_id): r for r in rows_b}
    kinds_a, kinds_b = _kinds(errors_a), _kinds(errors_b)
    keys = sorted(set(by_a) | set(by_b))
    several = len({s for s, _ in keys}) > 1
    out = []
    for key in keys:
        suite, case_id = key
        ra, rb = by_a.get(key), by_b.get(key)
        category = ra.category if ra is not None else rb.category if rb is not None else None
        out.append(
            PairedCase(
                suite,
                case_id,
                _label(suite, case_id, several),
                category,
                ra,
                rb,
                kinds_a.get(key, {}),
                kinds_b.get(key, {}),
            )
        )
    return out


def _kinds(rows: Sequence[CaseErrors]) -> dict[Key, dict[str, int]]:
    out: dict[Key, dict[str, int]] = defaultdict(dict)
    for r in rows:
        kinds = out[(r.suite, r.case_id)]
        kinds[r.kind] = kinds.get(r.kind, 0) + r.count
    return out


def error_summary(
    cases: Sequence[PairedCase],
    errors_a: Sequence[CaseErrors] = (),
    errors_b: Sequence[CaseErrors] = (),
) -> dict[str, Any]:
    """Errors on the cases both runs have, per side: left-out cases, attempts by kind, a message.

    Errors on cases found in one run only are not counted: those cases are
    left out of the comparison whatever their outcome.
    """
    common = {(c.suite, c.case_id) for c in cases if c.in_both}
    out: dict[str, Any] = {}
    for side, raw in (("a", errors_a), ("b", errors_b)):
        by_kind: dict[str, int] = defaultdict(int)
        messages: dict[str, str] = {}
        for r in raw:
            if (r.suite, r.case_id) in common:
                by_kind[r.kind] += r.count
                if r.message and r.kind not in messages:
                    messages[r.kind] = r.message.splitlines()[0][:300]
        out[side] = {
            "cases": [
                c.label for c in cases if c.in_both and (c.errors_a if side == "a" else c.errors_b)
            ],
            "attempts": sum(by_kind.values()),
            "by_kind": dict(sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))),
            "messages": dict(sorted(messages.items())),
        }
    return out


EMPTY_RESULT: dict[str, Any] = {
    "n_paired": 0,
    **dict.fromkeys(("a", "b", "delta", "ci95", "ci_method", "p_value", "test", "mde")),
}


def result_dict(res: PairedResult) -> dict[str, Any]:
    return {
        "n_paired": res.n,
        "a": res.a,
        "b": res.b,
        "delta": res.delta,
        "ci95": res.ci.as_list(),
        "ci_method": res.ci.method,
        "p_value": res.p_value,
        "test": res.test,
        "mde": res.mde,
    }


def _paired(cases: Sequence[PairedCase], alpha: float, seed: int) -> PairedResult | None:
    both = [c for c in cases if c.paired]
    a = [c.a.rate or 0.0 for c in both if c.a is not None]
    b = [c.b.rate or 0.0 for c in both if c.b is not None]
    return paired_test(a, b, alpha=alpha, seed=seed)


def _side(summary: dict[str, Any], model: str) -> dict[str, Any]:
    return next((m for m in summary["models"] if m["model"] == model), {})


def _cost_latency(sa: dict[str, Any], sb: dict[str, Any]) -> dict[str, Any]:
    ca, cb = sa.get("cost_usd"), sb.get("cost_usd")
    la, lb = sa.get("latency_ms") or {}, sb.get("latency_ms") or {}

    def diff(x: float | None, y: float | None) -> float | None:
        return None if x is None or y is None else y - x

    return {
        "cost_usd": {
            "a": ca,
            "b": cb,
            "delta": diff(ca, cb),
            "ratio": None if ca is None or cb is None or ca == 0 else cb / ca,
        },
        "latency_ms": {
            "a": la or None,
            "b": lb or None,
            **{f"delta_{k}": diff(la.get(k), lb.get(k)) for k in ("mean", "p50", "p95")},
        },
    }


def _by_category(cases: Sequence[PairedCase], alpha: float, seed: int) -> dict[str, Any]:
    groups: dict[str, list[PairedCase]] = defaultdict(list)
    for c in cases:
        if c.category is not None:
            groups[c.category].append(c)
    results = {name: _paired(group, alpha, seed) for name, group in sorted(groups.items())}
    tested = {name: r for name, r in results.items() if r is not None}
    adjusted = adjust([r.p_value for r in tested.values()], BH)
    out: dict[str, Any] = {}
    for (name, res), p_adj in zip(tested.items(), adjusted, strict=True):
        group = groups[name]
        cost_a = sum(c.a.cost_usd for c in group if c.a is not None)
        cost_b = sum(c.b.cost_usd for c in group if c.b is not None)
        out[name] = {
            **result_dict(res),
            "p_value_adjusted": p_adj,
            "verdict": verdict(res.delta, p_adj, alpha),
            "cost_usd": {"a": cost_a, "b": cost_b, "delta": cost_b - cost_a},
        }
    return out


def _scores(
    means_a: Sequence[ScoreMean],
    means_b: Sequence[ScoreMean],
    alpha: float,
    seed: int,
    errored: set[Key],
) -> dict[str, Any]:
    """Per scorer present in both runs: the paired difference of per-case mean values.

    Cases with an errored attempt on either side are left out, as in the pass/fail test.
    """
    a_by = {
        (m.scorer, m.suite, m.case_id): m.mean
        for m in means_a
        if (m.suite, m.case_id) not in errored
    }
    b_by = {
        (m.scorer, m.suite, m.case_id): m.mean
        for m in means_b
        if (m.suite, m.case_id) not in errored
    }
    out: dict[str, Any] = {}
    for scorer in sorted({k[0] for k in a_by} & {k[0] for k in b_by}):
        keys = sorted(k for k in a_by if k[0] == scorer and k in b_by)
        a = [a_by[k] for k in keys]
        b = [b_by[k] for k in keys]
        if not keys:
            continue
        lo, hi = scale_of(a + b)
        res = paired_test(a, b, alpha=alpha, seed=seed, scale=hi - lo)
        if res is not None:
            out[scorer] = result_dict(res)
    return out


class _CaseRows:
    """One side's per-case rows of one model (outcomes, errors, score means) as a compare
    reads them: kept with the run (store/run_summaries.py) while it is not running."""

    def __init__(self, store: Store, parts: RunParts, pass_no: int) -> None:
        self.store, self.parts, self.pass_no = store, parts, pass_no

    def _kept(self, name: str, row: type[T], compute: Callable[[], list[T]]) -> list[T]:
        return self.parts.get(
            name,
            compute,
            dump=lambda rows: [astuple(r) for r in rows],  # type: ignore[call-overload]
            load=lambda data: [row(*r) for r in data],
        )

    def outcomes(self, model: str) -> list[CaseRow]:
        run_id, pass_no = self.parts.run_id, self.pass_no
        return self._kept(
            f"cases/{pass_no}/{model}",
            CaseRow,
            lambda: case_outcomes(self.store, run_id, model=model, pass_no=pass_no),
        )

    def errors(self, model: str) -> list[CaseErrors]:
        run_id = self.parts.run_id
        return self._kept(
            f"case_errors/{model}",
            CaseErrors,
            lambda: case_errors(self.store, run_id, model=model),
        )

    def score_means(self, model: str) -> list[ScoreMean]:
        run_id, pass_no = self.parts.run_id, self.pass_no
        return self._kept(
            f"score_means/{pass_no}/{model}",
            ScoreMean,
            lambda: case_score_means(self.store, run_id, model=model, pass_no=pass_no),
        )


def compare_runs(
    store: Store,
    run_a: str,
    run_b: str,
    *,
    model: str | None = None,
    model_a: str | None = None,
    model_b: str | None = None,
    alpha: float = 0.05,
    seed: int = DEFAULT_SEED,
    pass_a: str | int | None = None,
    pass_b: str | int | None = None,
) -> Comparison:
    """`pass_a`/`pass_b`: each side's scoring pass (default its latest), so two passes of
    one run (judge A, judge B) compare like two runs."""
    if not 0.0 < alpha < 1.0:
        raise ConfigError(f"--alpha {alpha}: expected a level in (0, 1)")
    a, b = store.get_run(run_a), store.get_run(run_b)
    pairs = model_pairs(a, b, model=model, model_a=model_a, model_b=model_b)
    side_a = resolve_pass(store, a.id, pass_a, option="pass_a")
    side_b = resolve_pass(store, b.id, pass_b, option="pass_b")
    pa, pb = side_a.pass_no, side_b.pass_no
    parts_a, parts_b = RunParts(store, a.id), RunParts(store, b.id)
    summary_a = summarize_run(store, a.id, score_pass=pa, parts=parts_a)
    summary_b = summarize_run(store, b.id, score_pass=pb, parts=parts_b)
    rows_a, rows_b = _CaseRows(store, parts_a, pa), _CaseRows(store, parts_b, pb)
    compared: list[ModelComparison] = []
    p_values: list[float | None] = []
    for ma, mb in pairs:
        errors_a, errors_b = rows_a.errors(ma), rows_b.errors(mb)
        cases = pair_cases(rows_a.outcomes(ma), rows_b.outcomes(mb), errors_a, errors_b)
        name = mb if ma == mb else f"{ma} -> {mb}"
        _require_common(a, b, name, cases)
        res = _paired(cases, alpha, seed)
        sa, sb = _side(summary_a, ma), _side(summary_b, mb)
        errors = error_summary(cases, errors_a, errors_b)
        entry: dict[str, Any] = {
            "model": name,
            "model_a": ma,
            "model_b": mb,
            **(result_dict(res) if res is not None else EMPTY_RESULT),
            "flips": {
                "pass_to_fail": [c.label for c in cases if _moved(c) < 0],
                "fail_to_pass": [c.label for c in cases if _moved(c) > 0],
            },
            "only_in_a": [c.label for c in cases if c.b is None],
            "only_in_b": [c.label for c in cases if c.a is None],
            "errors": {side: len(errors[side]["cases"]) for side in ("a", "b")},
            "errored": errors,
            "unjudged": {side: _unjudged(cases, side) for side in ("a", "b")},
            "summary": {
                side: {k: s.get(k) for k in ("pass_rate", "ci95", "ci_method", "attempts")}
                for side, s in (("a", sa), ("b", sb))
            },
            **_cost_latency(sa, sb),
            "by_category": _by_category(cases, alpha, seed),
            "scores": _scores(
                rows_a.score_means(ma),
                rows_b.score_means(mb),
                alpha,
                seed,
                {(c.suite, c.case_id) for c in cases if c.errored},
            ),
        }
        p_values.append(res.p_value if res is not None else None)
        compared.append(ModelComparison(ma, mb, entry, cases))
    for item, p_adj in zip(compared, adjust(p_values, HOLM), strict=True):
        item.entry["p_value_adjusted"] = p_adj
        delta = item.entry.get("delta")
        item.entry["verdict"] = UNTESTED if delta is None else verdict(delta, p_adj, alpha)
    unmatched = {
        "a": [m for m in a.models if m not in {p[0] for p in pairs}],
        "b": [m for m in b.models if m not in {p[1] for p in pairs}],
    }
    return Comparison(a, b, alpha, compared, unmatched, {"a": side_a, "b": side_b})


def _unjudged(cases: Sequence[PairedCase], side: str) -> list[str]:
    """Cases in both runs with no verdict on this side and no error (e.g. no pass/fail scorer)."""
    out = []
    for c in cases:
        row = c.a if side == "a" else c.b
        if c.in_both and not c.errored and row is not None and not row.judged:
            out.append(c.label)
    return out


def _require_common(a: Run, b: Run, model: str, cases: Sequence[PairedCase]) -> None:
    """Two case sets with nothing in common cannot be compared: say what each run holds."""
    if any(c.in_both for c in cases):
        return

    def held(run: Run, side: str) -> str:
        rows = [c for c in cases if (c.a if side == "a" else c.b) is not None]
        suites = sorted({c.suite for c in rows})
        if not rows:
            return f"{run.id} has no attempt of it"
        return f"{run.id} has {len(rows)} cases of suite {', '.join(suites)}"

    raise ConfigError(
        f"runs {a.id} and {b.id} have no case in common for model {model} "
        f"({held(a, 'a')}; {held(b, 'b')}): nothing to compare"
    )


def _moved(c: PairedCase) -> int:
    """-1 when the case got worse in B, +1 when better, 0 when unchanged or unpaired."""
    if not c.paired or c.a is None or c.b is None:
        return 0
    ra, rb = c.a.rate or 0.0, c.b.rate or 0.0
    return (rb > ra) - (rb < ra)
