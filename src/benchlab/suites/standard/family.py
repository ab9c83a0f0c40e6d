"""A standard suite's entry in the table: its dataset, size, defaults and the options it takes.

Kept apart from the building (`base.py`), which needs the suite loader: the
loader lists the standard names from this table, so the table must not
import the loader back.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from benchlab.datasets import DatasetRows
from benchlab.domain import Case, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites.standard.options import StandardOptions

__all__ = ["COMMON_OPTIONS", "Built", "Family", "Loader", "chosen_groups"]

# Options every family takes; the others only where a family lists them in `options`.
COMMON_OPTIONS = frozenset({"data", "revision", "shots", "fewshot_seed"})

Loader = Callable[[list[str]], DatasetRows]


@dataclass(frozen=True)
class Built:
    """A family's output: the header (without provenance) and the cases in dataset order."""

    header: SuiteHeader
    cases: Iterable[Case]


@dataclass(frozen=True)
class Family:
    """One standard suite as `benchlab suites` lists it and `benchlab run NAME` builds it."""

    name: str
    dataset: str  # the datasets catalog entry
    size: int  # cases in the scored split as published
    description: str
    builder: str  # module:function taking (Loader, StandardOptions) -> Built
    default_shots: int = 0
    options: frozenset[str] = field(default_factory=frozenset)
    modes: tuple[str, ...] = ("generate",)

    def build(self, load: Loader, options: StandardOptions) -> Built:
        module, _, function = self.builder.partition(":")
        made: Built = getattr(importlib.import_module(module), function)(load, options, self)
        return made

    def mode(self, options: StandardOptions) -> str:
        """The mode asked for, else the family's first (TruthfulQA MC2 has only loglikelihood)."""
        return options.mode or self.modes[0]

    def shots(self, options: StandardOptions) -> int:
        return self.default_shots if options.shots is None else options.shots


def chosen_groups(
    family: Family,
    options: StandardOptions,
    groups: Iterable[str],
    pool: Mapping[str, Sequence[Any]],
    *,
    unknown: str,
    lack: str,
) -> list[str]:
    """The groups a run asks (MMLU's subjects, MMLU-Pro's categories), sorted: all, or
    those `--subset` names, each checked to have the shots its few-shot split must give.

    `unknown` words the refusal of a name that is not there ("no such subject in the
    data (subjects: {known})"); `lack` the refusal of a group short of shots ("the dev
    split has {n} questions about {group}").
    """
    names = sorted(groups)
    if options.subset:
        missing = [g for g in options.subset if g not in names]
        if missing:
            raise SuiteError(
                f"{family.name}: --subset {','.join(missing)}: "
                + unknown.format(known=", ".join(names))
            )
        names = [g for g in names if g in set(options.subset)]
    shots = family.shots(options)
    for group in names:
        have = len(pool.get(group, []))
        if shots and have < shots:
            raise SuiteError(f"{family.name}: --shots {shots}: " + lack.format(n=have, group=group))
    return names
