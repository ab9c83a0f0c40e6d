"""Errors that reach the user as one clear line and exit code 2.

Everything a user can get wrong (a suite file, a flag, a models file, a missing
key) raises a `UserError` subclass whose message names the file, case, line or
flag. The CLI prints the message and exits 2; nothing else is caught there, so
a real bug still shows its traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user; the message is the whole story."""

    exit_code = 2


class SuiteError(UserError):
    """A suite file (or built-in name) is missing or malformed."""


class ConfigError(UserError):
    """A flag, models file or run configuration is wrong."""


class MissingCredentials(ConfigError):
    """A provider needs an API key that is not in the environment."""


class NotFound(UserError):
    """A run, attempt or other stored thing does not exist."""


class ImportConflict(UserError):
    """An imported run collides with stored data (its attempt ids are another run's)."""
