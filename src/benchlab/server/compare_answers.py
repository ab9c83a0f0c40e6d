"""The compare page's flipped cases, each side rendered like the attempt panel renders it.

Both answers go through `attempt_view` (safe markdown, highlighted code), each
side keeps only the scores of the scoring pass the comparison used (the
verdict the flip is about), and the two answers are diffed A → B.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from benchlab.analysis.compare_view import CompareDocument
from benchlab.analysis.flip_answers import FlipPair, flip_answers
from benchlab.domain import Score
from benchlab.server.answer_diff import diff_html
from benchlab.server.attempt_view import AttemptView, attempt_view
from benchlab.store import Store

__all__ = ["FlipView", "Side", "flip_views"]


@dataclass(frozen=True)
class Side:
    view: AttemptView
    scores: list[Score]  # the compared pass's scores


@dataclass(frozen=True)
class FlipView:
    pair: FlipPair
    a: Side | None
    b: Side | None
    diff: Markup | None


def _side(view: AttemptView | None, pass_no: object) -> Side | None:
    if view is None:
        return None
    scores = [s for s in view.detail.scores if s.pass_no == pass_no or s.scorer == "human"]
    return Side(view, scores)


def flip_views(store: Store, doc: CompareDocument) -> dict[str, list[FlipView]]:
    """Per model: its flipped cases with both answers, their scores and their diff."""
    pass_a = doc.scores_from.get("a", {}).get("pass", 0)
    pass_b = doc.scores_from.get("b", {}).get("pass", 0)
    out: dict[str, list[FlipView]] = {}
    for model, pairs in flip_answers(store, doc).items():
        views = []
        for pair in pairs:
            a = attempt_view(pair.a, others=False) if pair.a else None
            b = attempt_view(pair.b, others=False) if pair.b else None
            diff = None
            if pair.a is not None and pair.b is not None:
                diff = diff_html(pair.a.output, pair.b.output)
            views.append(FlipView(pair, _side(a, pass_a), _side(b, pass_b), diff))
        out[model] = views
    return out
