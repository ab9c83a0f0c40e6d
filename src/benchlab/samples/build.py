"""`samples build`: stored production samples -> a suite file, in four steps.

load (every stored row) -> clean (dedupe and redaction, samples/clean.py;
the pool then in canonical order) -> filter (time, feedback, category) -> sample (one strategy,
seeded) -> write (suite_file.py). Cleaning comes before the filter so that a
kept representative counts every duplicate it stands for, whatever the
filter later leaves out.

Embeddings for `diverse` are a parameter (`embed`: texts -> vectors), so this
module needs no model: the command passes the offline MiniLM or the hashed
trigrams of hashed_vectors.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from benchlab.errors import UserError
from benchlab.samples.clean import CleanResult, clean
from benchlab.samples.dedupe import DEFAULT_NEAR_THRESHOLD
from benchlab.samples.pool import PoolSample, SampleFilter, filter_pool, prompt_text, sort_pool
from benchlab.samples.redact import DEFAULT_PHONE_REGION
from benchlab.samples.sampling import (
    Allocation,
    Strategy,
    diverse,
    feedback_weighted,
    random_sample,
    stratified,
)
from benchlab.samples.suite_file import suite_document, write_suite

if TYPE_CHECKING:
    from benchlab.store import Store

__all__ = ["BuildOptions", "BuildResult", "Embed", "build_suite", "choose", "clean_pool"]

Embed = Callable[[Sequence[str]], NDArray[np.float64]]


@dataclass(frozen=True)
class BuildOptions:
    name: str
    count: int
    strategy: Strategy = "random"
    seed: int = 0
    where: SampleFilter = field(default_factory=SampleFilter)
    stratify_by: str = "category"
    allocation: Allocation = "proportional"
    embeddings: str | None = None  # what `embed` is, as the suite states it (diverse only)
    near_threshold: float | None = DEFAULT_NEAR_THRESHOLD  # None: exact duplicates only
    keep_pii: bool = False  # an explicit opt-out: PII is then counted, not redacted
    phone_region: str | None = DEFAULT_PHONE_REGION


@dataclass
class BuildResult:
    """What a build did: the suite written and the counts at each step."""

    path: Path
    document: dict[str, Any]
    stored: int
    after_clean: int
    matching: int
    chosen: int
    allocation: dict[str, int] | None = None
    cleaning: dict[str, Any] | None = None  # CleanResult.document(): duplicates, PII per kind
    reviews_kept: int = 0  # cases drawn again whose review the replaced file had
    reviewed_dropped: list[str] = field(default_factory=list)  # reviewed, not drawn again

    def summary(self) -> dict[str, Any]:
        return {
            "suite": str(self.path),
            "name": self.document["name"],
            "version": self.document["version"],
            "stored": self.stored,
            "after_clean": self.after_clean,
            "matching": self.matching,
            "cases": self.chosen,
            "scorers": self.document["scorers"],
            "allocation": self.allocation,
            "cleaning": self.cleaning,
            "reviews_kept": self.reviews_kept,
            "reviewed_dropped": self.reviewed_dropped,
        }


def clean_pool(
    rows: Iterable[Mapping[str, Any]], options: BuildOptions
) -> tuple[list[PoolSample], CleanResult]:
    """The stored rows de-duplicated and redacted (samples/clean.py), as the pool to draw
    from in canonical order; each kept sample carries how many samples it stands for."""
    result = clean(
        rows,
        near_threshold=options.near_threshold,
        keep_pii=options.keep_pii,
        phone_region=options.phone_region,
    )
    pool = [PoolSample.from_row(row).with_count(int(row["dedupe_count"])) for row in result.kept]
    return sort_pool(pool), result


def _no_such_field(name: str, pool: Sequence[PoolSample]) -> str:
    seen = sorted({key for sample in pool for key in sample.metadata})
    fields = ", ".join(seen[:12]) + (", ..." if len(seen) > 12 else "") if seen else "none"
    return (
        f"--stratify-by {name}: no matching sample has that metadata field (their fields: {fields})"
    )


def choose(
    pool: Sequence[PoolSample], options: BuildOptions, embed: Embed | None = None
) -> tuple[list[int], dict[str, int] | None]:
    """Positions in `pool` the strategy picks (ascending), and a stratified allocation."""
    if options.strategy == "random":
        return random_sample(len(pool), options.count, options.seed), None
    if options.strategy == "stratified":
        keys = [sample.field_value(options.stratify_by) for sample in pool]
        if pool and all(key is None for key in keys):  # one stratum, "(none)": not stratified
            raise UserError(_no_such_field(options.stratify_by, pool))
        return stratified(keys, options.count, options.seed, options.allocation)
    if options.strategy == "feedback-weighted":
        scores = [sample.feedback_score for sample in pool]
        return feedback_weighted(scores, options.count, options.seed), None
    if options.strategy == "diverse":
        if embed is None:
            raise UserError("--strategy diverse needs embeddings")
        vectors = embed([prompt_text(sample.input) for sample in pool])
        return diverse(vectors, options.count, options.seed), None
    raise UserError(f"--strategy {options.strategy}: not a strategy")


def build_suite(
    store: Store,
    options: BuildOptions,
    out: Path,
    *,
    embed: Embed | None = None,
    now: datetime | None = None,
) -> BuildResult:
    """Draw the suite and write it to `out`; UserError when no sample is left to draw."""
    if options.count < 1:
        raise UserError(f"--count {options.count}: must be at least 1")
    from benchlab.store.samples import iter_samples

    rows = list(iter_samples(store))
    stored = len(rows)
    if not rows:
        raise UserError("no production samples stored (benchlab samples import FILE...)")
    cleaned, cleaning = clean_pool(rows, options)
    del rows
    matching = filter_pool(cleaned, options.where)
    if not matching:
        raise UserError(
            f"none of the {len(cleaned)} distinct stored samples matches the filters "
            f"({_describe(options.where.document())})"
        )
    positions, allocation = choose(matching, options, embed)
    chosen = [matching[i] for i in positions]
    build: dict[str, Any] = {
        "strategy": options.strategy,
        "seed": options.seed,
        "count_asked": options.count,
        "filters": options.where.document(),
        "stored": stored,
        "after_clean": len(cleaned),
        "matching": len(matching),
        "cleaned": True,
        "cleaning": cleaning.document(),
    }
    if options.strategy == "stratified":
        build["stratify_by"] = options.stratify_by
        build["allocation"] = options.allocation
        build["allocated"] = allocation
    if options.strategy == "diverse":
        build["embeddings"] = options.embeddings
    document = suite_document(options.name, chosen, build=build, now=now)
    carried = write_suite(out, document)
    return BuildResult(
        path=out,
        document=document,
        stored=stored,
        after_clean=len(cleaned),
        matching=len(matching),
        chosen=len(chosen),
        allocation=allocation,
        cleaning=cleaning.document(),
        reviews_kept=carried.kept,
        reviewed_dropped=carried.dropped,
    )


def _describe(filters: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in filters.items()) or "none"
