"""The standard benchmarks' datasets: the catalog, `data pull`, the local copy, `--data` files.

The layer below suites: a standard suite asks `dataset_rows(NAME, splits)`
for its rows and their provenance, and renders cases from them; this
package knows nothing of cases, scorers or runs (it imports only our
errors). `huggingface_hub` and `pyarrow` are imported when data is pulled
or read, never at import.
"""

from __future__ import annotations

from benchlab.datasets.catalog import CATALOG, DatasetSpec, dataset_spec, hub_url
from benchlab.datasets.errors import DatasetError
from benchlab.datasets.hub import LocalCopy, local_copy, pull
from benchlab.datasets.provenance import Provenance
from benchlab.datasets.rows import DatasetRows, data_files, dataset_rows
from benchlab.datasets.status import catalog_status

__all__ = [
    "CATALOG",
    "DatasetError",
    "DatasetRows",
    "DatasetSpec",
    "LocalCopy",
    "Provenance",
    "catalog_status",
    "data_files",
    "dataset_rows",
    "dataset_spec",
    "hub_url",
    "local_copy",
    "pull",
]
