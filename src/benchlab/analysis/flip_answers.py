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

from benchlab.analysis.attempt_views import AttemptDetail, attempt_details
from benchlab.analysis.compare_view import CaseLink, CompareDocument
from benchlab.store import Store, queries

__all__ = ["FLIPS_SHOWN", "FlipPair", "flip_answers"]

FLIPS_SHOWN = 25
Direction = Literal["pass_to_fail", "fail_to_pass"]
Key = tuple[str | None, str]  # (suite, case_id) of a flip


class FlipPair(BaseModel):
    """One flipped case: A's attempt and B's (None where a side has no attempt for it)."""

    model: str
    direction: Direction
    suite: str | None
    case_id: str
    a: AttemptDetail | None
    b: AttemptDetail | None


def flip_answers(
    store: Store, doc: CompareDocument, limit: int = FLIPS_SHOWN
) -> dict[str, list[FlipPair]]:
    """Per model (as `doc.models` names it): its flipped cases' attempts, pass→fail first,
    without the other models' answers (`others` is empty: the compare page shows none).
    Read in a few queries per model, not a few per attempt."""
    directions: tuple[Direction, ...] = ("pass_to_fail", "fail_to_pass")
    found: dict[str, tuple[list[tuple[Direction, CaseLink]], dict[Key, int], dict[Key, int]]] = {}
    for m in doc.models:
        shown = [
            (direction, link)
            for direction in directions
            for link in getattr(m.flips, direction)[:limit]
        ]
        keys = [(link.suite, link.case_id) for _, link in shown]
        ids_a = queries.first_attempt_ids(store, doc.a, m.model_a, keys)
        ids_b = queries.first_attempt_ids(store, doc.b, m.model_b, keys)
        found[m.model] = (shown, ids_a, ids_b)
    details = attempt_details(
        store, [i for _, ids_a, ids_b in found.values() for i in (*ids_a.values(), *ids_b.values())]
    )
    out: dict[str, list[FlipPair]] = {}
    for model, (shown, ids_a, ids_b) in found.items():

        def side(ids: dict[Key, int], key: Key) -> AttemptDetail | None:
            return details.get(ids[key]) if key in ids else None

        pairs = [
            FlipPair(
                model=model,
                direction=direction,
                suite=link.suite,
                case_id=link.case_id,
                a=side(ids_a, (link.suite, link.case_id)),
                b=side(ids_b, (link.suite, link.case_id)),
            )
            for direction, link in shown
        ]
        if pairs:
            out[model] = pairs
    return out
