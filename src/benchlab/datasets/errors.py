"""The one exception of the dataset layer: a user-facing line, exit code 2."""

from __future__ import annotations

from benchlab.errors import UserError

__all__ = ["DatasetError"]


class DatasetError(UserError):
    """A standard dataset cannot be had: unknown name, no data and no network, a gated
    dataset without access, or a `--data` file without the dataset's fields."""
