"""How a standard suite is asked for: its name and the options that change its cases.

A run stores its suites as text references and `resume` loads them again
from that text, so a standard suite's options live in its reference:
`mmlu?shots=5&subset=anatomy,virology`. The command line builds these from
its flags (`--shots 5 --subset anatomy,virology`); a schedule file or a
notebook may write them directly. `--data` paths are made absolute here,
so a resumed run reads the same files from any working directory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, quote

from benchlab.errors import SuiteError

__all__ = ["Mode", "StandardOptions", "parse_ref", "standard_ref"]

Mode = Literal["generate", "loglikelihood"]
_MODES = ("generate", "loglikelihood")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class StandardOptions:
    """Everything that may change a standard suite's cases; None: the suite's default.

    `shots` None means the reference harness's default for the suite (5 for
    gsm8k, 0 for mmlu); `fewshot_seed` is lm-eval's default seed, so random
    few-shot draws are the same for every model and every run.
    """

    data: str | None = None
    revision: str | None = None
    shots: int | None = None
    subset: tuple[str, ...] | None = None
    cot: bool = False
    fewshot_as_multiturn: bool = False
    mode: Mode | None = None  # None: the family's own (generate, or its only mode)
    release: str | None = None
    since: str | None = None
    until: str | None = None
    fewshot_seed: int = 1234

    def __post_init__(self) -> None:
        if self.shots is not None and self.shots < 0:
            raise SuiteError(f"--shots {self.shots}: must be 0 or more")
        if self.mode is not None and self.mode not in _MODES:
            raise SuiteError(f"--mode {self.mode}: use one of {', '.join(_MODES)}")
        for flag, value in (("--since", self.since), ("--until", self.until)):
            if value is not None:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise SuiteError(f"{flag} {value}: not a date (YYYY-MM-DD)") from None
        if self.data is not None and not Path(self.data).is_absolute():
            object.__setattr__(self, "data", str(Path(self.data).resolve()))

    def given(self) -> dict[str, Any]:
        """The options that differ from the defaults, by field name."""
        default = StandardOptions()
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }

    def with_changes(self, **changes: Any) -> StandardOptions:
        return replace(self, **changes)


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _value(name: str, text: str, ref: str) -> Any:
    if name in ("shots", "fewshot_seed"):
        try:
            return int(text)
        except ValueError:
            raise SuiteError(f"{ref}: {name}={text!r} is not a whole number") from None
    if name in ("cot", "fewshot_as_multiturn"):
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise SuiteError(f"{ref}: {name}={text!r} is not true or false")
    if name == "subset":
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return text


def parse_ref(ref: str) -> tuple[str, StandardOptions]:
    """`NAME?key=value&...` -> (NAME, options); one line naming the bad key or value."""
    name, _, query = ref.partition("?")
    known = {f.name for f in fields(StandardOptions)}
    values: dict[str, Any] = {}
    for key, text in parse_qsl(query, keep_blank_values=True, strict_parsing=False):
        field = key.replace("-", "_")
        if field not in known:
            raise SuiteError(f"{ref}: unknown option {key!r} (known: {', '.join(sorted(known))})")
        values[field] = _value(field, text, ref)
    return name, StandardOptions(**values)


def standard_ref(name: str, options: StandardOptions) -> str:
    """The reference that `parse_ref` reads back as (name, options); a bare name for defaults."""
    parts = []
    for key, value in options.given().items():
        if isinstance(value, tuple):
            text = ",".join(value)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = str(value)
        parts.append(f"{key}={quote(text, safe='/,:-_.')}")
    return name + ("?" + "&".join(parts) if parts else "")


def flag_of(field: str) -> str:
    """The command-line flag that sets `field` (for messages)."""
    return _flag(field)
