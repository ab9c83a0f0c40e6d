"""The Typer app and what every command shares: common options, JSON output, progress sinks."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from benchlab.engine.events import EventSink

app = typer.Typer(
    name="benchlab",
    help="Run benchmark suites against LLMs, score every answer, keep every run.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _group() -> None:
    """Keeps `benchlab` a group of commands when only one command module is loaded
    (Typer turns an app of a single command into that command)."""


DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite path (default: $BENCHLAB_DB or .benchlab/)"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
PassOpt = Annotated[
    str | None,
    typer.Option(
        "--pass",
        metavar="N|judge=MODEL",
        help="Which scoring pass to read: its number (0: the run's own scoring) or the "
        "judge's name; default the latest completed pass (`benchlab score` adds passes).",
    ),
]


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def parse_tags(tags: list[str]) -> dict[str, str]:
    from benchlab.errors import ConfigError

    out: dict[str, str] = {}
    for tag in tags:
        key, sep, value = tag.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--tag {tag!r}: expected KEY=VALUE")
        out[key.strip()] = value
    return out


def progress_sinks(json_mode: bool, quiet: bool) -> list[EventSink]:
    if quiet:
        return []
    from benchlab.engine.progress import LogProgress, RichProgress

    if sys.stderr.isatty():
        return [RichProgress()]
    return [LogProgress()]
