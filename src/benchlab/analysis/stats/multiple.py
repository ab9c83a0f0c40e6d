"""Adjusted p-values for many tests judged at once (models in a comparison, categories, history).

Twenty categories compared at alpha 0.05 flag one by chance on average; a
verdict that holds up must account for how many were looked at. Holm controls
the family-wise error rate (the chance of any false alarm) and is what
verdicts that fail a build use; Benjamini-Hochberg controls the false
discovery rate (the expected share of false alarms among those raised) and is
what exploratory breakdowns and alert lists use, where some noise is cheaper
than missing real changes. `None` (no test possible) passes through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

HOLM = "holm"
BH = "benjamini-hochberg"


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjustment: the i-th smallest p times (m - i), made monotone."""
    present = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(present)
    out: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, index) in enumerate(present):
        running = max(running, min(1.0, (m - rank) * p))
        out[index] = running
    return out


def benjamini_hochberg(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg step-up adjustment: p times m / rank, made monotone from the top."""
    present = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(present)
    out: list[float | None] = [None] * len(p_values)
    running = 1.0
    for rank in range(m, 0, -1):
        p, index = present[rank - 1]
        running = min(running, p * m / rank)
        out[index] = min(1.0, running)
    return out


METHODS: dict[str, Callable[[Sequence[float | None]], list[float | None]]] = {
    HOLM: holm,
    BH: benjamini_hochberg,
}


def adjust(p_values: Sequence[float | None], method: str) -> list[float | None]:
    return METHODS[method](p_values)
