"""Factorial grids: a suite that declares factors and a template instead of cases.

Every combination of levels becomes a case whose id joins them
(`rent=900|quality=good|perspective=landlord`), whose metadata holds them, and
whose input is the suite's template rendered with the levels as variables
(macros inside the template are fine; the suite file stays data). The
template is rendered once, at expansion, so `benchlab build` writes exactly
the prompts a run sends.

Cases that differ only in the factors outside `matched_by` form a matched
set (the same dispute told by the landlord, the tenant and a bystander), and
a study compares answers within a set. So `--limit N --seed S` samples whole
sets, never parts of one, and balances the sampled sets across the levels
of every matched factor: counts per level differ by at most one, which a
uniform draw of sets would not promise.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from typing import Any

from benchlab.domain import SuiteHeader
from benchlab.errors import SuiteError

Level = str | int | float | bool
MAX_CASES = 100_000
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = frozenset({"input", "context", "metadata", "id", "levels", "matched_set"})


def level_text(level: Level) -> str:
    if isinstance(level, bool):
        return "true" if level else "false"
    return str(level)


def join_levels(pairs: list[tuple[str, Level]]) -> str:
    return "|".join(f"{name}={level_text(level)}" for name, level in pairs)


def matched_factors(header: SuiteHeader) -> list[str]:
    """The factors that identify a matched set (all of them when `matched_by` is absent)."""
    factors = header.factors or {}
    return list(factors) if header.matched_by is None else list(header.matched_by)


def check_grid(header: SuiteHeader, display: str) -> dict[str, list[Level]]:
    """The factors, after every check a grid needs; each mistake is one SuiteError line."""
    factors = header.factors
    if not factors:
        raise SuiteError(f"{display}: factors: give at least one factor with its levels")
    total = 1
    for name, levels in factors.items():
        if not _NAME.match(name) or name in _RESERVED:
            raise SuiteError(
                f"{display}: factors: {name!r} must be a plain identifier and not one of "
                f"{', '.join(sorted(_RESERVED))} (it becomes a template variable)"
            )
        if not levels:
            raise SuiteError(f"{display}: factors.{name}: give at least one level")
        texts = [level_text(level) for level in levels]
        for text in texts:
            if "|" in text or "=" in text or not text.strip():
                raise SuiteError(
                    f"{display}: factors.{name}: level {text!r} must be non-empty and hold "
                    "no '|' or '=' (levels are joined into case ids)"
                )
        dupes = sorted({t for t in texts if texts.count(t) > 1})
        if dupes:
            raise SuiteError(f"{display}: factors.{name}: level {dupes[0]!r} is given twice")
        total *= len(levels)
    if total > MAX_CASES:
        raise SuiteError(f"{display}: factors: {total} combinations (at most {MAX_CASES})")
    matched = header.matched_by
    if matched is not None:
        unknown = [m for m in matched if m not in factors]
        if unknown:
            raise SuiteError(
                f"{display}: matched_by: {unknown[0]!r} is not a factor "
                f"(factors: {', '.join(factors)})"
            )
        if len(set(matched)) != len(matched):
            raise SuiteError(f"{display}: matched_by: a factor is named twice")
    if header.template.strip() == "{{ input }}":
        raise SuiteError(f"{display}: a grid needs a template that uses its factors")
    return factors


def expand_grid(header: SuiteHeader, display: str) -> list[dict[str, Any]]:
    """Every combination of levels as a raw case (validated by the loader like any other)."""
    from jinja2 import TemplateError

    from benchlab.suites.template import _RENDER_ERRORS, _compile, _one_line

    factors = check_grid(header, display)
    template = _compile(header.template, header.name)
    errors: tuple[type[Exception], ...] = (TemplateError, *_RENDER_ERRORS)
    names = list(factors)
    matched = matched_factors(header)
    cases: list[dict[str, Any]] = []
    for combo in itertools.product(*(factors[n] for n in names)):
        levels = dict(zip(names, combo, strict=True))
        case_id = join_levels(list(levels.items()))
        try:
            text = template.render({**levels, "levels": levels, "id": case_id})
        except errors as exc:
            raise SuiteError(
                f"{display}: case {case_id!r}: template error: {_one_line(exc)}"
            ) from None
        metadata: dict[str, Any] = dict(levels)
        if header.matched_by is not None:
            metadata["matched_set"] = join_levels([(n, levels[n]) for n in matched])
        cases.append({"id": case_id, "input": text.strip(), "metadata": metadata})
    return cases


def balanced_order(sizes: list[int]) -> list[tuple[int, ...]]:
    """All combinations of level indices, ordered so that every prefix is balanced.

    In any prefix, the counts of one factor's levels differ by at most one, for
    every factor at once. Built two factors at a time: step i pairs entry
    i mod p of the order so far (which cycles, so its balance carries over)
    with level (i + i // lcm(p, q)) mod q of the next factor (which cycles too,
    shifted by one after each lcm block so that the pairs never repeat).
    """
    order: list[tuple[int, ...]] = [()]
    for q in sizes:
        p = len(order)
        block = math.lcm(p, q)
        order = [(*order[i % p], (i + i // block) % q) for i in range(p * q)]
    return order


def select_grid(header: SuiteHeader, limit: int | None, seed: int) -> list[str]:
    """Case ids of a seeded sample of whole matched sets, balanced across levels.

    `limit` counts cases and is rounded down to whole sets (at least one set).
    """
    factors = header.factors or {}
    names = list(factors)
    matched = matched_factors(header)
    free = [n for n in names if n not in matched]
    all_ids = [
        join_levels(list(zip(names, combo, strict=True)))
        for combo in itertools.product(*(factors[n] for n in names))
    ]
    if limit is None or limit >= len(all_ids):
        return all_ids
    set_size = math.prod(len(factors[n]) for n in free)
    rng = random.Random(json.dumps(["grid", seed]))
    order = list(matched)
    rng.shuffle(order)
    relabel = {n: rng.sample(range(len(factors[n])), len(factors[n])) for n in order}
    wanted = max(1, limit // set_size)
    chosen = set()
    for indices in balanced_order([len(factors[n]) for n in order])[:wanted]:
        levels = {n: factors[n][relabel[n][i]] for n, i in zip(order, indices, strict=True)}
        chosen.add(join_levels([(n, levels[n]) for n in matched]))
    out = []
    for combo in itertools.product(*(factors[n] for n in names)):
        levels = dict(zip(names, combo, strict=True))
        if join_levels([(n, levels[n]) for n in matched]) in chosen:
            out.append(join_levels(list(levels.items())))
    return out
