"""Chosen production samples as an ordinary benchlab suite file (YAML).

What the file holds, beyond the cases' inputs:

- `version`: the build's UTC date and the first 12 hex digits of the content
  hash (`2026-12-07+3f2a9c01b7de`); the full hash is in the header metadata.
  The hash covers the name, the default scorers and the cases, not the date,
  so two builds that chose the same cases hash alike.
- per case, `metadata.production`: where the sample came from (source file
  and line, format, sample id, content hash), its original timestamp, model,
  feedback, and how many logged samples it stands for (`dedupe_count`).
- the production output as the case's `expected` answer, a *candidate*:
  `metadata.review: unreviewed` on every case and `review_required: true` in
  the header, so `benchlab run` asks only accepted cases until someone has
  reviewed them (suites/review.py; `--include-unreviewed` overrides).
- a default scorer chosen from the references (`choose_scorer`).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchlab.errors import UserError
from benchlab.samples.pool import PoolSample, iso_time
from benchlab.samples.suite_marks import REVIEW_REQUIRED, UNREVIEWED, content_hash

if TYPE_CHECKING:
    from benchlab.samples.carried_reviews import Carried

__all__ = [
    "REVIEW_REQUIRED",
    "UNREVIEWED",
    "case_document",
    "choose_scorer",
    "content_hash",
    "suite_document",
    "write_suite",
]


# Word counts that decide the default scorer (see choose_scorer).
SHORT_WORDS = 3
FUZZY_MEDIAN_WORDS = 40
SEMANTIC_MEDIAN_WORDS = 200

_ROLES = {"system", "user", "assistant", "tool"}
_ROLE_ALIASES = {"developer": "system", "function": "tool", "human": "user", "ai": "assistant"}


def choose_scorer(references: Sequence[str]) -> tuple[str, str]:
    """The default scorer for these references, and the rule that chose it.

    Every reference at most 3 words (labels, yes/no, ids): `exact`. Otherwise by
    the median length: up to 40 words (short prose, where wording repeats)
    `fuzzy`; up to 200 words `semantic` (same meaning, other words; needs the
    `semantic` extra); longer, open answers `judge`.
    """
    words = [len(text.split()) for text in references]
    if not words or max(words) <= SHORT_WORDS:
        return "exact", f"every reference has at most {SHORT_WORDS} words"
    median = statistics.median(words)
    if median <= FUZZY_MEDIAN_WORDS:
        return "fuzzy", f"median reference length {median:g} words (<= {FUZZY_MEDIAN_WORDS})"
    if median <= SEMANTIC_MEDIAN_WORDS:
        return "semantic", f"median reference length {median:g} words (<= {SEMANTIC_MEDIAN_WORDS})"
    return "judge", f"median reference length {median:g} words (> {SEMANTIC_MEDIAN_WORDS})"


def _messages(value: list[dict[str, str]]) -> list[dict[str, str]]:
    """Chat messages with roles a suite accepts (a log's `developer` is a system message)."""
    out = []
    for message in value:
        role = str(message.get("role", "user"))
        role = _ROLE_ALIASES.get(role, role if role in _ROLES else "user")
        out.append({"role": role, "content": str(message.get("content", ""))})
    return out


def case_document(sample: PoolSample) -> dict[str, Any]:
    """One case: the input as logged, the output as an unreviewed candidate reference."""
    feedback = None
    if (
        sample.feedback_score is not None
        or sample.feedback_label is not None
        or sample.feedback_comment is not None
    ):
        feedback = {
            "score": sample.feedback_score,
            "label": sample.feedback_label,
            "comment": sample.feedback_comment,
        }
    production: dict[str, Any] = {
        "sample_id": sample.sample_id,
        "hash": sample.hash,
        "source": sample.source,
        "source_line": sample.source_line,
        "source_format": sample.source_format,
        "timestamp": iso_time(sample.timestamp),
        "model": sample.model,
        "feedback": feedback,
        "dedupe_count": sample.dedupe_count,
        "metadata": sample.metadata,
    }
    metadata: dict[str, Any] = {}
    category = sample.field_value("category")
    if category is not None:
        metadata["category"] = category
    metadata["review"] = UNREVIEWED
    metadata["production"] = production
    value = sample.input
    return {
        "id": f"p-{sample.hash[:16]}",
        "input": value if isinstance(value, str) else _messages(value),
        "expected": sample.output,
        "metadata": metadata,
    }


def suite_document(
    name: str,
    samples: Sequence[PoolSample],
    *,
    build: dict[str, Any],
    now: datetime | None = None,
) -> dict[str, Any]:
    """The whole suite file as a mapping: header, provenance of the build, cases."""
    cases = [case_document(sample) for sample in samples]
    scorer, rule = choose_scorer([sample.output for sample in samples])
    scorers: list[Any] = [scorer]
    digest = content_hash(name, scorers, cases)
    moment = now or datetime.now(UTC)
    return {
        "name": name,
        "version": f"{moment.strftime('%Y-%m-%d')}+{digest[:12]}",
        "description": f"{len(cases)} production samples drawn by `benchlab samples build` "
        f"({build.get('strategy')}); expected answers are the production outputs, "
        "unreviewed until accepted.",
        "scorers": scorers,
        "metadata": {
            REVIEW_REQUIRED: True,
            "production_samples": {
                **build,
                "built_at": moment.isoformat().replace("+00:00", "Z"),
                "content_hash": digest,
                "cases": len(cases),
                "scorer_rule": f"{scorer}: {rule}",
            },
        },
        "cases": cases,
    }


def write_suite(path: Path, document: dict[str, Any]) -> Carried:
    """Write the suite as YAML; atomically, so a reader never sees half a suite, and under
    the file's lock, so a reviewer's write in progress is not silently dropped: the file
    it replaces is read under that lock, and the reviews of the cases drawn again are
    carried into `document` (samples/carried_reviews.py), which is changed in place."""
    import yaml

    from benchlab.samples.carried_reviews import carry_reviews
    from benchlab.samples.suite_lock import locked, replace_atomically
    from benchlab.samples.suite_yaml import dump_suite, load_suite_yaml

    with locked(path):  # which makes the folder, or says why it cannot
        previous = None
        if path.is_file():
            try:
                previous = load_suite_yaml(path.read_bytes())
            except yaml.YAMLError:
                previous = None  # not a suite a reviewer wrote into: nothing to keep
        carried = carry_reviews(previous, document)
        try:
            replace_atomically(path, dump_suite(document))
        except OSError as exc:  # a full disk, a file where the suite should go
            raise UserError(f"{path}: cannot write the suite ({exc.strerror or exc})") from None
    return carried
