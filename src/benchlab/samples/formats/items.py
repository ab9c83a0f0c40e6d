"""What a format reader yields for each record of a file: a sample, a bad record, or a skip."""

from __future__ import annotations

from dataclasses import dataclass

from benchlab.samples.record import ImportedSample

__all__ = ["Bad", "Item", "Parsed", "Skipped"]


@dataclass(frozen=True, slots=True)
class Parsed:
    line: int
    sample: ImportedSample


@dataclass(frozen=True, slots=True)
class Bad:
    """A record that is not a sample; `reason` is one line the user can act on."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """A well-formed record that is not a model call (an HTTP span beside the GenAI ones)."""

    line: int


Item = Parsed | Bad | Skipped
