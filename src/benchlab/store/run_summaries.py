"""What is computed from a finished run and read on every view of it, kept.

A run summary reads every attempt of the run, every score of the shown pass
and the run's labels: ~50 ms for a run of 5,000 attempts, every time its page
is opened, twice for a compare (which also reads per-case rows). What such a
figure is changes only when what it reads changes, so for a run that is not
running it is kept under a name (`part`: "summary/0", "facets", ...) with a
fingerprint of everything that can change it afterwards: the run's status
and finish time (a resume or a re-import changes them), its scoring passes
(`benchlab score` adds one and rewrites the verdicts), its attempt count and
its labels (added, replaced or deleted at any time on the labeling page). A
part whose fingerprint no longer matches is recomputed on the next read; a
running run has no fingerprint and is always read live. Parts are written by
whoever reads first (as `run_stats` is), so the engine and the CLI need not
know the table exists; a database we may only read keeps nothing.

A part must be JSON, and come back from it equal to what was computed: floats
(Python writes the shortest text that reads back to the same float), ints,
str, None, lists and dicts with str keys. The tests compare each kept part with
a fresh computation.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

from sqlalchemy import and_, delete, func, select
from sqlalchemy.exc import DBAPIError

from benchlab.store.schema import attempts, labels, run_summaries, runs, score_passes
from benchlab.store.store import Store
from benchlab.store.writer import insert_ignoring_duplicates

# Part of every fingerprint: bump it when what a kept part holds changes shape or meaning,
# so that parts made by an older version are recomputed rather than shown.
FORMAT = 1

T = TypeVar("T")


def fingerprint(store: Store, run_id: str) -> str | None:
    """What a kept part of this run must have been made from to be read; None for a
    running run (or one that is not there), whose figures move. One statement."""
    r, a, p, lb = runs.c, attempts.c, score_passes.c, labels.c
    n_attempts = select(func.count()).select_from(attempts).where(a.run_id == run_id)
    of_passes = score_passes.select().where(p.run_id == run_id).subquery()
    passes = select(
        func.count(),
        func.max(of_passes.c.pass_no),
        func.max(of_passes.c.finished_at),
        func.count(of_passes.c.finished_at),  # finished passes (whatever their status)
    )
    of_labels = labels.select().where(lb.run_id == run_id).subquery()
    labelled = select(func.count(), func.max(of_labels.c.created_at), func.sum(of_labels.c.value))
    query = select(
        r.status,
        r.finished_at,
        r.labels_changed,  # the label figures below can come back to old values; this cannot
        n_attempts.scalar_subquery(),
        *(passes.with_only_columns(c).scalar_subquery() for c in passes.selected_columns),
        *(labelled.with_only_columns(c).scalar_subquery() for c in labelled.selected_columns),
    ).where(r.id == run_id)
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None or row[0] == "running":
        return None
    return json.dumps([FORMAT, *row])


class RunParts:
    """One run's kept parts, its fingerprint read once (on first use)."""

    def __init__(self, store: Store, run_id: str) -> None:
        self.store = store
        self.run_id = run_id
        self._made_from: str | None = None
        self._read = False

    @property
    def made_from(self) -> str | None:
        if not self._read:
            self._made_from = fingerprint(self.store, self.run_id)
            self._read = True
        return self._made_from

    def get(
        self,
        part: str,
        compute: Callable[[], T],
        *,
        dump: Callable[[T], Any] = lambda v: v,
        load: Callable[[Any], T] = lambda v: v,
    ) -> T:
        """The kept `part` if it was made from what the run holds now, else `compute()`
        (kept for the next reader when the run is not running). `dump`/`load` turn the
        value into JSON-able data and back."""
        made_from = self.made_from
        if made_from is None:
            return compute()
        found = self._load(part, made_from)
        if found is not None:
            return load(json.loads(found))
        value = compute()
        self._keep(part, made_from, json.dumps(dump(value)))
        return value

    def _load(self, part: str, made_from: str) -> str | None:
        t = run_summaries.c
        query = select(t.body).where(
            and_(t.run_id == self.run_id, t.part == part, t.fingerprint == made_from)
        )
        with self.store.engine.connect() as conn:
            found = conn.execute(query).scalar()
        return None if found is None else str(found)

    def _keep(self, part: str, made_from: str, body: str) -> None:
        t = run_summaries.c
        row = {
            "run_id": self.run_id,
            "part": part,
            "fingerprint": made_from,
            "body": body,
            "made_at": time.time(),
        }
        engine = self.store.engine
        with suppress(DBAPIError), engine.begin() as conn:
            conn.execute(delete(run_summaries).where(and_(t.run_id == self.run_id, t.part == part)))
            # two readers may make the same part at once: both made the same thing
            conn.execute(insert_ignoring_duplicates(engine, run_summaries), [row])
