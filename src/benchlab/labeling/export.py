"""`benchlab labels export`: a run's labels, one row per (attempt, labeler), as CSV or JSONL.

Each row names its attempt both by id and by (suite, case_id, model, sample),
the key `benchlab export` rows carry, so the two files join without the store.
"""

from __future__ import annotations

import csv
import json
from typing import IO

from benchlab.errors import ConfigError
from benchlab.labeling.record import iso
from benchlab.store import Store
from benchlab.store import labels as stored

FORMATS = ("jsonl", "csv")
FIELDS = [
    "run_id",
    "attempt_id",
    "suite",
    "case_id",
    "model",
    "sample",
    "category",
    "labeler",
    "kind",
    "label",
    "value",
    "passed",
    "note",
    "created_at",
]


def export_labels(store: Store, run_id: str, fmt: str, out: IO[str]) -> int:
    """Write a run's labels to `out`; returns how many were written."""
    if fmt not in FORMATS:
        raise ConfigError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    run = store.get_run(run_id)
    writer = csv.DictWriter(out, fieldnames=FIELDS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    count = 0
    for row in stored.iter_export_rows(store, run.id):
        record = {
            **row,
            "run_id": run.id,
            "attempt_id": str(row["attempt_id"]),
            "created_at": iso(row["created_at"]),
        }
        if writer is not None:
            writer.writerow(record)
        else:
            out.write(json.dumps({k: record[k] for k in FIELDS}, ensure_ascii=False) + "\n")
        count += 1
    return count
