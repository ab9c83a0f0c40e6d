"""The two attempts behind each flipped case of a comparison, for side-by-side reading.

`compare_view` says which cases changed verdict between run A and run B; this
fetches, per model and direction, the attempt of each side (its first sample)
so a reader sees both answers, their scores and their difference. Only the
first `limit` flips per model and direction are fetched: a comparison of two
very different runs can flip thousands of cases, and the page lists the rest
as links.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from benchlab.analysis.attempt_views import AttemptDetail, attempt_detail
from benchlab.analysis.compare_view import CompareDocument
from benchlab.store import Store, queries

__all__ = ["FLIPS_SHOWN", "FlipPair", "flip_answers"]

FLIPS_SHOWN = 25
Direction = Literal["pass_to_fail", "fail_to_pass"]


class FlipPair(BaseModel):
    """One flipped case: A's attempt and B's (None where a side has no attempt for it)."""

    model: str
    direction: Direction
    suite: str | None
    case_id: str
    a: AttemptDetail | None
    b: AttemptDetail | None


def _attempt(
    store: Store, run_id: str, model: str, suite: str | None, case_id: str
) -> AttemptDetail | None:
    where = queries.AttemptFilter(model=model, suite=suite, case_id=case_id)
    page = queries.attempts_page(store, run_id, where, limit=1)
    return attempt_detail(store, int(page.items[0]["id"])) if page.items else None


def flip_answers(
    store: Store, doc: CompareDocument, limit: int = FLIPS_SHOWN
) -> dict[str, list[FlipPair]]:
    """Per model (as `doc.models` names it): its flipped cases' attempts, pass→fail first."""
    out: dict[str, list[FlipPair]] = {}
    for m in doc.models:
        pairs = []
        directions: tuple[Direction, ...] = ("pass_to_fail", "fail_to_pass")
        for direction in directions:
            for link in getattr(m.flips, direction)[:limit]:
                pairs.append(
                    FlipPair(
                        model=m.model,
                        direction=direction,
                        suite=link.suite,
                        case_id=link.case_id,
                        a=_attempt(store, doc.a, m.model_a, link.suite, link.case_id),
                        b=_attempt(store, doc.b, m.model_b, link.suite, link.case_id),
                    )
                )
        if pairs:
            out[m.model] = pairs
    return out
