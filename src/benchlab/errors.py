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


# The CLI's name for an option where it is not `--` and the option's name with dashes.
_CLI_FLAG = {"suites": "SUITE", "models": "--model", "scorers": "--scorer", "tags": "--tag"}


def cli_flag(option: str) -> str:
    """How the CLI spells a run or view option (`judge_model` -> `--judge-model`)."""
    return _CLI_FLAG.get(option, "--" + option.replace("_", "-"))


class OptionError(ConfigError):
    """A wrong value of one option that the CLI and the API both take but spell apart: the
    CLI's `--judge-model` is the API's `judge_model`. Code both share raises it with the
    option's API name and a message template holding `{option}`; str() is the CLI's text
    (the CLI prints str()), `api_text` the server's."""

    def __init__(self, option: str, template: str) -> None:
        self.option = option
        self.template = template
        super().__init__(self._spelled(cli_flag(option)))

    def _spelled(self, name: str) -> str:
        # replace, not format(): the template holds values the user gave, braces and all
        return self.template.replace("{option}", name)

    @property
    def api_text(self) -> str:
        return self._spelled(self.option)

    def __reduce__(self) -> tuple[type[OptionError], tuple[str, str]]:
        return type(self), (self.option, self.template)


def api_text(exc: UserError) -> str:
    """A user error's message as the API says it: options by the API's names."""
    return exc.api_text if isinstance(exc, OptionError) else str(exc)


class MissingCredentials(ConfigError):
    """A provider needs an API key that is not in the environment."""


class NotFound(UserError):
    """A run, attempt or other stored thing does not exist."""


class ImportConflict(UserError):
    """An imported run collides with stored data (its attempt ids are another run's)."""
