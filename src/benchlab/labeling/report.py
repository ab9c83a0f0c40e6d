"""A run's agreement report: labelers among themselves, and each scorer against the humans.

Between labelers: Krippendorff's alpha at the kind's level of measurement
(and at the others, for reference), the raw share of agreeing pairs, and
Cohen's kappa for each pair of labelers. Against a scorer (and, for pass/fail
labels, against `verdict`: the attempt's own pass/fail over all its scorers,
which is what a run's pass rate counts): the humans'
consensus per attempt (the mean label, as the nearest label word; a tie
such as one pass and one fail has no consensus and is left out, counted)
compared with the scorer's verdict as a label word: Cohen's kappa (plus a
quadratic-weighted one on ordered scales), the confusion matrix (rows
humans, columns the scorer), Spearman's rho between the mean label and the
scorer's raw value, and kappa against each labeler alone.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

from benchlab.analysis.stats.agreement import (
    LEVELS,
    cohen_kappa,
    confusion_matrix,
    krippendorff_alpha,
    percent_agreement,
    spearman,
)
from benchlab.errors import ConfigError
from benchlab.labeling.kinds import PASS_FAIL, STANCE, Kind, kind_named
from benchlab.labeling.queue import active_kind, comparable
from benchlab.labeling.views import Agreement
from benchlab.store import Store
from benchlab.store import labels as stored
from benchlab.store.labels import ScoreCell

VERDICT = "verdict"  # pass/fail labels are also compared with each attempt's own verdict


def agreement_report(
    store: Store, run_id: str, *, scorer: str | None = None, score_pass: str | int | None = None
) -> Agreement:
    """Agreement between a run's labelers, and between each scorer (or `scorer`) and them.

    The scorers' verdicts are those of one scoring pass (`score_pass`: a number,
    `judge=MODEL`, or None for the latest), so two judges of one run can each be
    held against the same human labels; the report names the pass (`scoring`).
    """
    from benchlab.store.passes import resolve_pass

    run = store.get_run(run_id)
    shown = resolve_pass(store, run.id, score_pass)
    found = stored.run_labels(store, run.id)
    kind = kind_named(found[0].kind) if found else active_kind(store, run.id)
    by_attempt: dict[int, dict[str, float]] = defaultdict(dict)
    counts: dict[str, int] = defaultdict(int)
    for lab in found:
        by_attempt[lab.attempt_id][lab.labeler] = lab.value
        counts[lab.labeler] += 1
    labelers = sorted(counts)
    ids = sorted(by_attempt)
    verdicts = stored.shown_scores(store, run.id, ids, with_details=True, pass_no=shown.pass_no)
    names = sorted({s for cells in verdicts.values() for s in cells})
    if kind is PASS_FAIL:  # the attempt's own pass/fail (all its scorers), first
        own = stored.attempt_verdicts(store, ids, run_id=run.id, pass_no=shown.pass_no)
        for aid, passed in own.items():
            if passed is not None:
                verdicts.setdefault(aid, {})[VERDICT] = ScoreCell(float(passed), passed, None)
        if any(VERDICT in cells for cells in verdicts.values()):
            names.insert(0, VERDICT)
    if scorer is not None and scorer not in names:
        raise ConfigError(
            f"scorer {scorer!r}: not a scorer of this run's labeled attempts "
            f"(known: {', '.join(names) or 'none yet'})"
        )
    return Agreement(
        run_id=run.id,
        scores_from=shown.as_dict(),
        kind=kind.name,
        level=kind.level,
        labels=len(found),
        attempts_labeled=len(ids),
        labelers=[{"labeler": who, "labels": counts[who]} for who in labelers],
        between_labelers=_between(kind, labelers, ids, by_attempt),
        scorers=[
            _against(kind, name, labelers, ids, by_attempt, verdicts)
            for name in ([scorer] if scorer is not None else names)
        ],
    )


def _between(
    kind: Kind, labelers: list[str], ids: list[int], by_attempt: dict[int, dict[str, float]]
) -> dict[str, Any]:
    matrix = [[by_attempt[aid].get(who) for aid in ids] for who in labelers]
    primary = krippendorff_alpha(matrix, kind.level)
    pairs = []
    for a, b in combinations(labelers, 2):
        k = cohen_kappa(
            [_word(kind, by_attempt[aid].get(a)) for aid in ids],
            [_word(kind, by_attempt[aid].get(b)) for aid in ids],
            labels=[c.label for c in kind.choices],
        )
        pairs.append({"a": a, "b": b, "kappa": k.kappa, "n": k.n})
    return {
        **primary.as_dict(),
        "percent_agreement": percent_agreement(matrix),
        "by_level": {
            level: krippendorff_alpha(matrix, level).alpha for level in LEVELS if level != "ratio"
        },
        "pairs": pairs,
    }


def _word(kind: Kind, value: float | None) -> str | None:
    return None if value is None else kind.nearest(value).label


def consensus(kind: Kind, values: list[float]) -> str | None:
    """The humans' label word for an attempt: the choice nearest the mean label, or None
    when the mean lies exactly between two choices (one pass, one fail)."""
    mean = sum(values) / len(values)
    ranked = sorted(kind.choices, key=lambda c: abs(c.value - mean))
    if len(ranked) > 1 and abs(abs(ranked[0].value - mean) - abs(ranked[1].value - mean)) < 1e-9:
        return None
    return ranked[0].label


def scorer_word(kind: Kind, cell: ScoreCell) -> str | None:
    """A scorer's verdict as one of the kind's label words (a stance scorer's own bin)."""
    if kind is STANCE and cell.details and cell.details.get("bin") in ("neg", "neu", "pos"):
        return str(cell.details["bin"])
    if kind is PASS_FAIL and cell.passed is not None:
        return "pass" if cell.passed else "fail"
    value = comparable(kind, cell)
    return None if value is None else kind.nearest(value).label


def _against(
    kind: Kind,
    name: str,
    labelers: list[str],
    ids: list[int],
    by_attempt: dict[int, dict[str, float]],
    verdicts: dict[int, dict[str, ScoreCell]],
) -> dict[str, Any]:
    words = [c.label for c in kind.choices]
    human: list[str | None] = []
    judged: list[str | None] = []
    means: list[float | None] = []
    raw: list[float | None] = []
    ties = 0
    for aid in ids:
        cell = verdicts.get(aid, {}).get(name)
        values = list(by_attempt[aid].values())
        word = consensus(kind, values)
        ties += word is None
        human.append(word)
        judged.append(None if cell is None else scorer_word(kind, cell))
        means.append(sum(values) / len(values))
        raw.append(None if cell is None else cell.value)
    entry: dict[str, Any] = {
        "scorer": name,
        "n": sum(1 for h, j in zip(human, judged, strict=True) if h is not None and j is not None),
        "ties": ties,
        "kappa": cohen_kappa(human, judged, labels=words).as_dict(),
    }
    if kind.level == "ordinal":
        entry["kappa_weighted"] = cohen_kappa(
            human, judged, labels=words, weights="quadratic"
        ).as_dict()
    entry["spearman"] = spearman(means, raw).as_dict()
    confusion = confusion_matrix(human, judged, labels=words)
    entry["confusion"] = {**confusion.as_dict(), "rows": "humans", "columns": name}
    entry["by_labeler"] = [
        {
            "labeler": who,
            **{
                k: v
                for k, v in cohen_kappa(
                    [_word(kind, by_attempt[aid].get(who)) for aid in ids], judged, labels=words
                )
                .as_dict()
                .items()
                if k in ("kappa", "n")
            },
        }
        for who in labelers
    ]
    return entry
