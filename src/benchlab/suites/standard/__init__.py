"""The standard benchmarks: MMLU, GSM8K, MATH-500, GPQA, ARC, HellaSwag, TruthfulQA, ...

Each is built from its dataset as published on the Hugging Face Hub (see
`benchlab.datasets`), with the prompt format and grading of the reference
harness named in its module. `FAMILIES` is the table `benchlab suites`
lists and `benchlab run NAME` resolves; a family's module is imported only
when that suite is built (by `base.standard_suite`, which the
suite loader reaches by name, as it reaches the other generated suites).
"""

from __future__ import annotations

from benchlab.suites.standard.family import Built, Family
from benchlab.suites.standard.options import StandardOptions, parse_ref, standard_ref
from benchlab.suites.standard.table import FAMILIES, is_standard

__all__ = [
    "FAMILIES",
    "Built",
    "Family",
    "StandardOptions",
    "is_standard",
    "parse_ref",
    "standard_ref",
]
