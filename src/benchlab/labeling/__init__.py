"""Human labels of a run's answers, and how far labelers and scorers agree.

The library the `benchlab labels` / `benchlab agreement` commands and the
dashboard's labeling page are thin over; every function takes an open
`Store` and answers in the typed models of `labeling.views`:

>>> from benchlab.store import Store
>>> from benchlab import labeling
>>> with Store(db) as store:                                    # doctest: +SKIP
...     queue = labeling.label_queue(store, run_id, mode="disagreement", labeler="ana")
...     labeling.add_label(store, run_id, queue.items[0].attempt_id, "ana", "pass")
...     labeling.agreement_report(store, run_id).between_labelers["alpha"]
"""

from __future__ import annotations

from benchlab.labeling.export import export_labels
from benchlab.labeling.kinds import KINDS, Kind, labeler_name, parse_label
from benchlab.labeling.queue import MODES, active_kind, label_queue, strata_options
from benchlab.labeling.record import add_label, list_labels, remove_label
from benchlab.labeling.report import agreement_report

__all__ = [
    "KINDS",
    "MODES",
    "Kind",
    "active_kind",
    "add_label",
    "agreement_report",
    "export_labels",
    "label_queue",
    "labeler_name",
    "list_labels",
    "parse_label",
    "remove_label",
    "strata_options",
]
