"""`benchlab samples stats`: what the stored production samples look like, in one pass.

Volume over time (per UTC day or ISO week), categories (a metadata field),
feedback (labels, scores, how many have none), duplicates (exact and near,
as `clean` would remove them) and personal data found per kind (as `clean`
would redact it, in the metadata too). The store is read once, streaming; duplicates are
grouped from each sample's key and signature (stored at import, see sketch.py) in
temporary files a block at a time (grouping.py), so nothing grows with the
store but the counters. Scanning
for personal data is the slow part (tens of microseconds to a millisecond
per sample): `pii=False` skips it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from benchlab.samples.clean import dedupe_rows, input_text, redact_texts
from benchlab.samples.dedupe import DEFAULT_NEAR_THRESHOLD
from benchlab.samples.redact import DEFAULT_PHONE_REGION, PII_KINDS, find_pii

if TYPE_CHECKING:
    from benchlab.store import Store

__all__ = ["PERIODS", "SampleStats", "sample_stats", "score_table"]

PERIODS = ("day", "week")
MAX_DISTINCT_SCORES = 12  # more distinct feedback scores than this are shown as ranges
SCORE_BINS = 10
NO_VALUE = "(none)"


@dataclass
class SampleStats:
    """The counts `samples stats` prints."""

    total: int = 0
    period: str = "day"
    volume: dict[str, int] = field(default_factory=dict)  # period -> samples, in order
    category_field: str = "category"
    categories: dict[str, int] = field(default_factory=dict)  # most common first
    models: dict[str, int] = field(default_factory=dict)
    feedback_labels: dict[str, int] = field(default_factory=dict)
    # score (or score range, see score_table) -> samples, ascending
    feedback_scores: dict[str, int] = field(default_factory=dict)
    without_feedback: int = 0
    mean_score: float | None = None
    exact_duplicates: int = 0
    near_duplicates: int | None = None  # None: near matching was off
    near_threshold: float | None = None
    pii: dict[str, int] | None = None  # None: not scanned
    samples_with_pii: int | None = None

    def document(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "period": self.period,
            "volume": self.volume,
            "category_field": self.category_field,
            "categories": self.categories,
            "models": self.models,
            "feedback": {
                "labels": self.feedback_labels,
                "scores": self.feedback_scores,
                "without": self.without_feedback,
                "mean_score": self.mean_score,
            },
            "duplicates": {
                "exact": self.exact_duplicates,
                "near": self.near_duplicates,
                "near_threshold": self.near_threshold,
            },
            "pii": self.pii,
            "samples_with_pii": self.samples_with_pii,
        }


def _period(stamp: float | None, period: str) -> str:
    if stamp is None:
        return NO_VALUE
    when = datetime.fromtimestamp(stamp, UTC)
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year}-W{week:02d}"
    return when.date().isoformat()


def _score_key(score: float) -> str:
    return f"{score:g}"


def score_table(scores: Counter[float]) -> dict[str, int]:
    """The feedback distribution: each score with its count when the scale has few values
    (thumbs, stars); else SCORE_BINS equal ranges from the lowest score to the highest,
    `[low, high)` and the last one closed. A 0-1 score from a model or a slider has as many
    values as samples, and a table of each one's count (mostly 1) shows no distribution."""
    if len(scores) <= MAX_DISTINCT_SCORES:
        return {_score_key(s): n for s, n in sorted(scores.items())}
    low, high = min(scores), max(scores)
    width = (high - low) / SCORE_BINS
    counts = [0] * SCORE_BINS
    for score, n in scores.items():
        counts[min(int((score - low) / width), SCORE_BINS - 1)] += n
    edges = [_score_key(low + width * i) for i in range(SCORE_BINS)] + [_score_key(high)]
    return {
        f"[{edges[i]}, {edges[i + 1]}{']' if i == SCORE_BINS - 1 else ')'}": counts[i]
        for i in range(SCORE_BINS)
    }


def sample_stats(
    store: Store,
    *,
    period: str = "day",
    category_field: str = "category",
    near_threshold: float | None = DEFAULT_NEAR_THRESHOLD,
    pii: bool = True,
    phone_region: str | None = DEFAULT_PHONE_REGION,
) -> SampleStats:
    """The statistics of every stored sample (see the module's docstring)."""
    from benchlab.store.samples import iter_samples

    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {period!r}")
    stats = SampleStats(period=period, category_field=category_field)
    volume: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    models: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    scores: Counter[float] = Counter()
    found: Counter[str] = Counter()
    with_pii = 0
    score_sum = 0.0

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal with_pii, score_sum
        for row in iter_samples(store):
            stats.total += 1
            volume[_period(row["timestamp"], period)] += 1
            try:
                metadata = json.loads(row["metadata"] or "{}")
            except ValueError:
                metadata = {}
            value = metadata.get(category_field) if isinstance(metadata, dict) else None
            categories[NO_VALUE if value is None else str(value)] += 1
            models[row["model"] or NO_VALUE] += 1
            score, label = row["feedback_score"], row["feedback_label"]
            if score is None and label is None:
                stats.without_feedback += 1
            if label is not None:
                labels[label] += 1
            if score is not None:
                scores[score] += 1
                score_sum += score
            if pii:
                text = input_text(row["input"])
                findings = find_pii(text, phone_region=phone_region) + find_pii(
                    row["output"], phone_region=phone_region
                )
                if row["feedback_comment"]:
                    findings += find_pii(row["feedback_comment"], phone_region=phone_region)
                in_metadata: Counter[str] = Counter()  # what the build redacts there too
                redact_texts(metadata, in_metadata, phone_region)
                found.update(f.kind for f in findings)
                found.update(in_metadata)
                with_pii += bool(findings or in_metadata)
            yield row

    groups = dedupe_rows(rows(), near_threshold=near_threshold)
    stats.volume = dict(sorted(volume.items()))
    stats.categories = dict(categories.most_common())
    stats.models = dict(models.most_common())
    stats.feedback_labels = dict(labels.most_common())
    stats.feedback_scores = score_table(scores)
    rated = sum(scores.values())
    stats.mean_score = score_sum / rated if rated else None
    stats.exact_duplicates = groups.exact_duplicates
    stats.near_duplicates = None if near_threshold is None else groups.near_duplicates
    stats.near_threshold = near_threshold
    if pii:
        stats.pii = {kind: found[kind] for kind in PII_KINDS}
        stats.samples_with_pii = with_pii
    return stats
