"""Recording labels: validate what a labeler says, then hand it to the store.

The CLI, the JSON API and Python callers all come through here, so a bad
label, labeler name or attempt id gets the same one-line message everywhere
(a `UserError`: exit 2 in the CLI, a 4xx in the API).
"""

from __future__ import annotations

from datetime import UTC, datetime

from benchlab.errors import ConfigError
from benchlab.labeling.kinds import PASS_FAIL, kind_named, labeler_name, parse_label
from benchlab.labeling.views import LabelRow, SavedLabel
from benchlab.store import Store
from benchlab.store import labels as stored

MAX_NOTE = 2000
MAX_ATTEMPT_ID = 2**63 - 1


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def attempt_id_of(raw: int | str) -> int:
    """An attempt id from a number or its decimal text (the API sends 63-bit ids as text)."""
    text = str(raw).strip()
    if not text.isdigit() or int(text) > MAX_ATTEMPT_ID:
        raise ConfigError(f"attempt id {raw!r}: expected a whole number")
    return int(text)


def add_label(
    store: Store,
    run_id: str,
    attempt_id: int | str,
    labeler: str,
    label: str,
    *,
    kind: str | None = None,
    note: str | None = None,
) -> SavedLabel:
    """Label one attempt of a run as one labeler; labeling it again replaces the label."""
    run = store.get_run(run_id)
    aid = attempt_id_of(attempt_id)
    name = labeler_name(labeler)
    found_kind, choice = parse_label(label, kind)
    text = (note or "").strip() or None
    if text is not None and len(text) > MAX_NOTE:
        raise ConfigError(f"note: at most {MAX_NOTE} characters, got {len(text)}")
    passed = (choice.value == 1.0) if found_kind is PASS_FAIL else None
    replaced = stored.put_label(
        store,
        run_id=run.id,
        attempt_id=aid,
        labeler=name,
        kind=found_kind.name,
        label=choice.label,
        value=choice.value,
        passed=passed,
        note=text,
    )
    return SavedLabel(
        run_id=run.id,
        attempt_id=str(aid),
        labeler=name,
        kind=found_kind.name,
        label=choice.label,
        value=choice.value,
        passed=passed,
        note=text,
        replaced=replaced,
    )


def remove_label(store: Store, run_id: str, attempt_id: int | str, labeler: str) -> bool:
    """Withdraw a labeler's label of an attempt (undo); False when there was none."""
    run = store.get_run(run_id)
    return stored.delete_label(store, run.id, attempt_id_of(attempt_id), labeler_name(labeler))


def list_labels(store: Store, run_id: str, *, labeler: str | None = None) -> list[LabelRow]:
    """A run's labels (one labeler's, if named), attempt ids as text."""
    run = store.get_run(run_id)
    name = labeler_name(labeler) if labeler is not None else None
    return [
        LabelRow(
            attempt_id=str(lab.attempt_id),
            labeler=lab.labeler,
            kind=kind_named(lab.kind).name,
            label=lab.label,
            value=lab.value,
            passed=lab.passed,
            note=lab.note,
            created_at=iso(lab.created_at),
        )
        for lab in stored.run_labels(store, run.id, labeler=name)
    ]
