"""Agreement statistics: Krippendorff's alpha, Cohen's kappa, Spearman's rho, confusion matrices.

Human labels are how a judge is checked, so these numbers decide whether a
judge can be trusted; each comes with the n it rests on, and is None (not 0,
not NaN) where it is undefined: too few pairs, or no variation at all, where
any agreement figure would be a division by zero dressed up as a finding.

Krippendorff's alpha (between labelers) takes any number of labelers and
missing labels, and the level of measurement: nominal for pass/fail and
unordered bins, ordinal for a 1-5 scale or neg < neu < pos, interval for
numbers whose differences mean something. Cohen's kappa (judge against the
human consensus) is chance-corrected agreement on categories, weighted for
ordered ones. Spearman's rho compares continuous scores by rank, since a
judge's 0.7 and a human's 4 of 5 share an order, not a unit. Pure Python and
the standard library: no scipy at run time (tests check against it).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")
Weights = Literal["linear", "quadratic"]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# --- Krippendorff's alpha -----------------------------------------------------------------------
@dataclass(frozen=True)
class Alpha:
    """Krippendorff's alpha with what it rests on: units with at least two values
    (`n_units`), the values in them (`n_values`) and the labelers who gave them."""

    alpha: float | None
    level: str
    n_units: int
    n_values: int
    n_coders: int
    observed: float | None  # observed disagreement D_o
    expected: float | None  # disagreement expected by chance D_e

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def krippendorff_alpha(data: Sequence[Sequence[Any]], level: Level = "nominal") -> Alpha:
    """Alpha of a reliability matrix: one row per coder, one column per unit, None (or
    NaN) where a coder gave no value; the layout of the `krippendorff` package.

    Built on the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
    alpha-reliability"): alpha = 1 - D_o / D_e. Nominal values may be any hashable
    (strings, say); the other levels need numbers.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    n_units = max((len(row) for row in data), default=0)
    coders = sum(1 for row in data if any(not _missing(v) for v in row))
    pairable: list[list[Any]] = []
    for u in range(n_units):
        values = [row[u] for row in data if u < len(row) and not _missing(row[u])]
        if len(values) >= 2:
            pairable.append(values)
    n_values = sum(len(v) for v in pairable)
    empty = Alpha(None, level, len(pairable), n_values, coders, None, None)
    if not pairable:
        return empty
    domain = sorted({v for values in pairable for v in values}, key=_order_key)
    index = {v: i for i, v in enumerate(domain)}
    size = len(domain)
    coincidence = [[0.0] * size for _ in range(size)]
    for values in pairable:
        counts = Counter(index[v] for v in values)
        weight = 1.0 / (len(values) - 1)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                coincidence[c][k] += pairs * weight
    totals = [sum(row) for row in coincidence]
    n = sum(totals)
    delta = _distances(domain, totals, level)
    observed = sum(coincidence[c][k] * delta[c][k] for c in range(size) for k in range(size)) / n
    expected = sum(
        totals[c] * totals[k] * delta[c][k] for c in range(size) for k in range(size)
    ) / (n * (n - 1))
    if expected == 0:
        return Alpha(None, level, len(pairable), n_values, coders, observed, expected)
    return Alpha(
        1.0 - observed / expected, level, len(pairable), n_values, coders, observed, expected
    )


def _order_key(value: Any) -> tuple[int, Any]:
    return (0, value) if isinstance(value, int | float) else (1, str(value))


def _distances(domain: list[Any], totals: list[float], level: Level) -> list[list[float]]:
    """The squared difference function delta^2(c, k) of each level of measurement."""
    size = len(domain)
    if level == "nominal":
        return [[0.0 if c == k else 1.0 for k in range(size)] for c in range(size)]
    numbers = [float(v) for v in domain]
    if level == "interval":
        return [[(numbers[c] - numbers[k]) ** 2 for k in range(size)] for c in range(size)]
    if level == "ratio":
        return [
            [
                0.0
                if numbers[c] + numbers[k] == 0
                else ((numbers[c] - numbers[k]) / (numbers[c] + numbers[k])) ** 2
                for k in range(size)
            ]
            for c in range(size)
        ]
    # ordinal: how many values lie between c and k (half of c's and k's own count)
    cumulative = [0.0]
    for t in totals:
        cumulative.append(cumulative[-1] + t)
    out = [[0.0] * size for _ in range(size)]
    for c in range(size):
        for k in range(size):
            lo, hi = min(c, k), max(c, k)
            between = cumulative[hi + 1] - cumulative[lo] - (totals[c] + totals[k]) / 2
            out[c][k] = between**2
    return out


def percent_agreement(data: Sequence[Sequence[Any]]) -> float | None:
    """The share of agreeing pairs of values within units (no chance correction)."""
    agree = total = 0
    n_units = max((len(row) for row in data), default=0)
    for u in range(n_units):
        values = [row[u] for row in data if u < len(row) and not _missing(row[u])]
        for i in range(len(values)):
            for j in range(i + 1, len(values)):
                total += 1
                agree += values[i] == values[j]
    return agree / total if total else None


# --- Cohen's kappa ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa over `n` pairs; `observed` and `expected` are the agreement rates
    (weighted ones for a weighted kappa) it compares."""

    kappa: float | None
    n: int
    observed: float | None
    expected: float | None
    weights: str | None
    labels: list[Any]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pairs(a: Sequence[Any], b: Sequence[Any]) -> list[tuple[Any, Any]]:
    if len(a) != len(b):
        raise ValueError(f"the two raters rated different numbers of items ({len(a)}, {len(b)})")
    return [(x, y) for x, y in zip(a, b, strict=True) if not _missing(x) and not _missing(y)]


def _categories(pairs: list[tuple[Any, Any]], labels: Sequence[Hashable] | None) -> list[Hashable]:
    """The given labels in their order, else every value seen, sorted."""
    if labels is not None:
        return list(labels)
    return sorted({v for p in pairs for v in p}, key=_order_key)


def cohen_kappa(
    a: Sequence[Hashable | None],
    b: Sequence[Hashable | None],
    *,
    labels: Sequence[Hashable] | None = None,
    weights: Weights | None = None,
) -> Kappa:
    """Cohen's kappa of two raters over the same items (None: not rated, pair dropped).

    `labels` fixes the categories and, for `weights`, their order (default: the
    sorted values seen); linear or quadratic weights count a near miss on an
    ordered scale as part agreement.
    """
    pairs = _pairs(a, b)
    cats = _categories(pairs, labels)
    index = {v: i for i, v in enumerate(cats)}
    unknown = [v for p in pairs for v in p if v not in index]
    if unknown:
        raise ValueError(f"value {unknown[0]!r} is not one of the labels {cats}")
    n = len(pairs)
    if n == 0:
        return Kappa(None, 0, None, None, weights, cats)
    size = len(cats)
    matrix = [[0] * size for _ in range(size)]
    for x, y in pairs:
        matrix[index[x]][index[y]] += 1
    rows = [sum(r) / n for r in matrix]
    cols = [sum(matrix[i][j] for i in range(size)) / n for j in range(size)]
    if weights is None:
        agree = [[1.0 if i == j else 0.0 for j in range(size)] for i in range(size)]
    else:
        span = max(size - 1, 1)
        power = 1 if weights == "linear" else 2
        agree = [[1.0 - (abs(i - j) / span) ** power for j in range(size)] for i in range(size)]
    observed = sum(agree[i][j] * matrix[i][j] for i in range(size) for j in range(size)) / n
    expected = sum(agree[i][j] * rows[i] * cols[j] for i in range(size) for j in range(size))
    if expected >= 1.0 - 1e-12:
        return Kappa(None, n, observed, expected, weights, cats)
    return Kappa((observed - expected) / (1.0 - expected), n, observed, expected, weights, cats)


# --- Spearman's rho -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Correlation:
    """Spearman's rho over `n` pairs, its two-sided p-value (Student t with n - 2
    degrees of freedom, as scipy computes it) and a 95% interval (Fisher z with the
    Bonett-Wright standard error)."""

    rho: float | None
    n: int
    p_value: float | None
    ci95: list[float] | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def _pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def spearman(x: Sequence[float | None], y: Sequence[float | None]) -> Correlation:
    """Spearman's rank correlation of paired values (a pair with a None is dropped).

    None where it is undefined: fewer than 3 pairs, or one side constant.
    """
    pairs = _pairs(x, y)
    n = len(pairs)
    if n < 3:
        return Correlation(None, n, None, None)
    rho = _pearson(ranks([float(p[0]) for p in pairs]), ranks([float(p[1]) for p in pairs]))
    if rho is None:
        return Correlation(None, n, None, None)
    return Correlation(rho, n, _rho_p_value(rho, n), _rho_interval(rho, n))


def _rho_p_value(rho: float, n: int) -> float:
    if abs(rho) >= 1.0:
        return 0.0
    df = n - 2
    t = rho * math.sqrt(df / ((1.0 - rho) * (1.0 + rho)))
    return student_t_two_sided(t, df)


def _rho_interval(rho: float, n: int) -> list[float] | None:
    if n <= 3:
        return None
    if abs(rho) >= 1.0:
        return [rho, rho]
    z = math.atanh(rho)
    half = 1.959963984540054 * math.sqrt((1.0 + rho * rho / 2.0) / (n - 3))
    return [math.tanh(z - half), math.tanh(z + half)]


def student_t_two_sided(t: float, df: int) -> float:
    """P(|T| >= |t|) for Student's t with integer `df`, in closed form (Abramowitz and
    Stegun 26.7.3-4): exact without scipy, in about df/2 steps (fewer once the terms
    vanish), which is nothing next to collecting df + 2 human labels."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    t = abs(t)
    if t == 0.0:
        return 1.0
    theta = math.atan(t / math.sqrt(df))
    s, c = math.sin(theta), math.cos(theta)
    c2 = c * c
    if df % 2 == 1:
        total = 0.0
        if df > 1:
            term = total = c
            for k in range(1, (df - 3) // 2 + 1):
                term *= c2 * (2 * k) / (2 * k + 1)
                total += term
                if term < 1e-17 * total:
                    break
        inside = 2.0 / math.pi * (theta + s * total)
    else:
        term = total = 1.0
        for k in range(1, (df - 2) // 2 + 1):
            term *= c2 * (2 * k - 1) / (2 * k)
            total += term
            if term < 1e-17 * total:
                break
        inside = s * total
    return max(0.0, min(1.0, 1.0 - inside))


# --- confusion matrix ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Confusion:
    """How often each row category (first rater) met each column category (second)."""

    labels: list[Any]
    matrix: list[list[int]]
    n: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def confusion_matrix(
    a: Sequence[Hashable | None],
    b: Sequence[Hashable | None],
    *,
    labels: Sequence[Hashable] | None = None,
) -> Confusion:
    """Counts of (a, b) category pairs, rows a and columns b, in `labels` order."""
    pairs = _pairs(a, b)
    cats = _categories(pairs, labels)
    index = {v: i for i, v in enumerate(cats)}
    matrix = [[0] * len(cats) for _ in cats]
    for x, y in pairs:
        if x not in index or y not in index:
            raise ValueError(f"value {x if x not in index else y!r} is not one of {cats}")
        matrix[index[x]][index[y]] += 1
    return Confusion(cats, matrix, len(pairs))
