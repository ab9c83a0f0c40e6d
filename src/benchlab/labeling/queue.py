"""The labeling queue: which of a run's answers a labeler should label next.

Three orders, all deterministic for a given seed (the run's seed unless told),
so that colleagues labeling the same run meet the same attempts, which is
what gives their labels something to agree on:

- `random`: a seeded shuffle. Each attempt's place comes from a hash of
  (seed, attempt id), not from shuffling the remaining list, so labeling an
  attempt never reorders the rest between two fetches.
- `stratified`: balanced over the levels of a category, model, suite, grid
  factor or metadata key: the next attempt comes from the level this labeler
  has labeled least, so a small sample still covers every level.
- `disagreement`: attempts where labelers disagree, or labels and scorers
  disagree, or the scorers disagree among themselves, first (most first);
  then attempts someone else has labeled (to add overlap), then the rest.

Attempts this labeler has labeled are left out; errored attempts have no
answer and are never queued. Items carry what a labeler needs (prompt, answer,
reference, rubric) and deliberately not the scorers' verdicts, the other
labelers' labels or the model's name: a labeler who sees the judge's opinion
stops checking it, and one who sees "gpt-4.1" or "my-fine-tune" grades the
brand. Balanced over `model`, the levels are blind aliases ("model 1", ...,
in the run's model order).
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from benchlab.errors import ConfigError
from benchlab.labeling.kinds import Kind, kind_named, labeler_name, rubric, suggested_kind
from benchlab.labeling.views import LabelQueue, Mode, QueueItem, QueueKind, StratumLevel
from benchlab.store import Store, queries
from benchlab.store import labels as stored
from benchlab.store.labels import Candidate, ScoreCell

MODES: tuple[Mode, ...] = ("random", "stratified", "disagreement")
BUILTIN_STRATA = ("category", "model", "suite")
MAX_QUEUE = 200
NONE_LEVEL = "(none)"
_MAX_LEVELS = 50  # a metadata key with more distinct values than this is an id, not a stratum


def label_queue(
    store: Store,
    run_id: str,
    *,
    mode: str = "random",
    by: str | None = None,
    labeler: str | None = None,
    limit: int = 20,
    seed: int | None = None,
    kind: str | None = None,
) -> LabelQueue:
    """The next `limit` attempts for `labeler` to label, with what the page shows."""
    run = store.get_run(run_id)
    order_by = _mode(mode)
    if not 1 <= limit <= MAX_QUEUE:
        raise ConfigError(f"limit {limit}: expected 1-{MAX_QUEUE}")
    # an empty name is refused as every other is, not taken for nobody (as list_labels does)
    name = labeler_name(labeler) if labeler is not None else None
    chosen = active_kind(store, run.id, kind)
    seed = run.seed if seed is None else seed
    found = stored.candidates(store, run.id)
    values: dict[int, dict[str, float]] = defaultdict(dict)
    for lab in stored.run_labels(store, run.id):
        values[lab.attempt_id][lab.labeler] = lab.value
    mine = {aid for aid, by_labeler in values.items() if name is not None and name in by_labeler}
    pool = [c for c in found if c.id not in mine]

    def order(c: Candidate) -> bytes:
        return hashlib.blake2b(f"{seed}:{c.id}".encode(), digest_size=8).digest()

    levels: list[StratumLevel] | None = None
    level_of: Callable[[Candidate], str] | None = None
    disagreement: dict[int, float] = {}
    if order_by == "random":
        ordered = sorted(pool, key=order)
    elif order_by == "stratified":
        by = by or "category"
        level_of = stratum(store, run.id, by)
        done = Counter(level_of(c) for c in found if c.id in mine)
        ordered = _balanced(pool, level_of, done, order)
        totals = Counter(level_of(c) for c in found)
        levels = [
            StratumLevel(level=lv, attempts=totals[lv], labeled_by_you=done[lv])
            for lv in sorted(totals, key=_level_key)
        ]
    else:
        verdicts = stored.shown_scores(store, run.id)
        for c in pool:
            others = values.get(c.id, {})
            disagreement[c.id] = spread(chosen, list(others.values()), verdicts.get(c.id, {}))
        ordered = sorted(
            pool,
            key=lambda c: (-disagreement[c.id], -min(len(values.get(c.id, {})), 1), order(c)),
        )
    specs = stored.pass_specs(store, run.id)
    items = []
    for c in ordered[:limit]:
        item = _item(store, c, specs, len(values.get(c.id, {})))
        # set only in their modes: the API leaves an item's unset fields out
        if level_of is not None:
            item.stratum = level_of(c)
        if order_by == "disagreement":
            item.disagreement = round(disagreement[c.id], 4)
        items.append(item)
    return LabelQueue(
        run_id=run.id,
        mode=order_by,
        by=by if order_by == "stratified" else None,
        seed=seed,
        labeler=name,
        kind=QueueKind(
            kind=chosen.name,
            title=chosen.title,
            level=chosen.level,
            choices=[
                {"label": c.label, "value": c.value, "title": c.title} for c in chosen.choices
            ],
            fixed=stored.run_kind(store, run.id) is not None,
        ),
        attempts=len(found),
        labeled_by_you=len(mine),
        remaining=len(pool),
        levels=levels,
        items=items,
    )


def _mode(mode: str) -> Mode:
    for known in MODES:
        if known == mode:
            return known
    raise ConfigError(f"mode {mode!r}: expected one of {', '.join(MODES)}")


def active_kind(store: Store, run_id: str, asked: str | None = None) -> Kind:
    """The kind a run is labeled in: fixed by its first label, else the one asked for, else
    the one its scorers suggest."""
    fixed = stored.run_kind(store, run_id)
    if fixed is not None:
        if asked is not None and asked != fixed:
            raise ConfigError(
                f"kind {asked!r}: run {run_id} is already labeled {fixed} (one kind per run)"
            )
        return kind_named(fixed)
    if asked is not None:
        return kind_named(asked)
    specs = stored.pass_specs(store, run_id)
    return suggested_kind([specs] if specs else stored.case_scorer_lists(store, run_id))


def comparable(kind: Kind, cell: ScoreCell) -> float | None:
    """A scorer's verdict as a number on the label kind's scale, or None if it has none."""
    if kind.name == "pass_fail" and cell.passed is not None:
        return 1.0 if cell.passed else 0.0
    if cell.value is not None and kind.low <= cell.value <= kind.high:
        return float(cell.value)
    return None


def spread(kind: Kind, labels: list[float], verdicts: dict[str, ScoreCell]) -> float:
    """How much an attempt's judges disagree, 0..1: labelers among themselves, labels
    against each scorer, scorers among themselves; the largest of the three."""
    width = kind.width
    found = 0.0
    if len(labels) >= 2:
        found = (max(labels) - min(labels)) / width
    scored = [v for v in (comparable(kind, cell) for cell in verdicts.values()) if v is not None]
    if labels and scored:
        human = sum(labels) / len(labels)
        found = max(found, max(abs(human - v) for v in scored) / width)
    if len(scored) >= 2:
        found = max(found, (max(scored) - min(scored)) / width)
    passes = {cell.passed for cell in verdicts.values() if cell.passed is not None}
    if len(passes) == 2:
        found = max(found, 1.0)
    return min(1.0, found)


def _balanced(
    pool: list[Candidate],
    level_of: Callable[[Candidate], str],
    done: Counter[str],
    order: Callable[[Candidate], bytes],
) -> list[Candidate]:
    """Round-robin over levels, always from the level with the fewest labels so far."""
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in pool:
        groups[level_of(c)].append(c)
    for group in groups.values():
        group.sort(key=order, reverse=True)  # pop() from the end takes the first
    heap = [(done[lv], _level_key(lv), lv) for lv in groups]
    heapq.heapify(heap)
    out: list[Candidate] = []
    while heap:
        count, key, lv = heapq.heappop(heap)
        out.append(groups[lv].pop())
        if groups[lv]:
            heapq.heappush(heap, (count + 1, key, lv))
    return out


def _level_key(level: str) -> tuple[int, str]:
    return (1 if level == NONE_LEVEL else 0, level)


def _level(value: Any) -> str:
    return NONE_LEVEL if value is None or value == "" else str(value)


def strata_options(store: Store, run_id: str) -> list[str]:
    """What a run's attempts can be stratified by: category, model, suite, then grid
    factors and other case metadata keys with a handful of levels."""
    return [
        *BUILTIN_STRATA,
        *(k for k in _metadata_levels(store, run_id)[1] if k not in BUILTIN_STRATA),
    ]


def stratum(store: Store, run_id: str, by: str) -> Callable[[Candidate], str]:
    """A function giving each attempt its level of `by`."""
    if by == "category":
        return lambda c: _level(c.category)
    if by == "model":
        alias = {m: f"model {i}" for i, m in enumerate(store.get_run(run_id).models, start=1)}
        return lambda c: alias.get(c.model, "model ?")
    if by == "suite":
        return lambda c: c.suite
    meta, keys = _metadata_levels(store, run_id)
    if by not in keys and not any(by in m for m in meta.values()):
        raise ConfigError(
            f"by {by!r}: not a stratum of this run (known: "
            f"{', '.join([*BUILTIN_STRATA, *(k for k in keys if k not in BUILTIN_STRATA)])})"
        )
    return lambda c: _level(meta.get((c.suite, c.case_id), {}).get(by))


def _metadata_levels(
    store: Store, run_id: str
) -> tuple[dict[tuple[str, str], dict[str, Any]], list[str]]:
    """Each case's scalar metadata, and the keys worth offering as strata: a grid's
    factors first, then keys whose values repeat across cases."""
    meta: dict[tuple[str, str], dict[str, Any]] = {}
    factors: list[str] = []
    seen: dict[str, set[str]] = defaultdict(set)
    having: Counter[str] = Counter()
    for suite, suite_hash in sorted(store.run_suite_hashes(run_id).items()):
        header = store.suite_record(suite_hash)["header"] or {}
        factors.extend(f for f in header.get("factors") or {} if f not in factors)
        for case in store.iter_cases(suite_hash):
            scalars = {
                k: v
                for k, v in (case["metadata"] or {}).items()
                if isinstance(v, str | int | float | bool)
            }
            meta[(suite, case["id"])] = scalars
            having.update(scalars.keys())
            for k, v in scalars.items():
                if len(seen[k]) <= _MAX_LEVELS:
                    seen[k].add(str(v))
    others = sorted(  # keys whose levels repeat: a level per case (a URL, say) is no stratum
        k
        for k, vals in seen.items()
        if k not in factors and 2 <= len(vals) <= _MAX_LEVELS and 2 * len(vals) <= having[k]
    )
    return meta, [*factors, *others]


def _item(
    store: Store, c: Candidate, specs: list[dict[str, Any]] | None, n_labels: int
) -> QueueItem:
    attempt, case = queries.get_attempt(store, c.id)
    scorers = specs if specs is not None else ((case or {}).get("scorers") or [])
    return QueueItem(
        attempt_id=str(c.id),
        suite=c.suite,
        case_id=c.case_id,
        sample=c.sample,
        category=c.category,
        prompt=attempt.prompt,
        output=attempt.output,
        expected=attempt.expected,
        context=None if case is None else case["context"],
        metadata={} if case is None else case["metadata"],
        rubric=rubric(scorers),
        labels=n_labels,  # how many others labeled it (never what they said)
    )
