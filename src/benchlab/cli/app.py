"""The Typer app and what every command shares: common options, JSON output, progress sinks."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

if TYPE_CHECKING:
    from benchlab.engine.events import EventSink


class _PlainHelpGroup(TyperGroup):
    """The group, with help that shows what to type rather than Python annotations.

    Typer labels every parameter with its annotation (`<bool>` beside a flag,
    `<list[str]>` beside a repeatable option); a user reading `--help` wants
    `--seed INTEGER`, `--model TEXT` and nothing beside a flag, as Click prints.
    """

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None:
            return None
        if isinstance(command, TyperGroup) and not isinstance(command, _PlainHelpGroup):
            command.__class__ = _PlainHelpGroup  # a sub-app (`labels`): the same help
        plain_metavars([*command.params, command.get_help_option(ctx)], ctx)
        return command

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)
        plain_metavars(params, ctx)
        return params


_LABELS = {"int": "INTEGER", "float": "FLOAT", "str": "TEXT", "path": "PATH", "file": "PATH"}


def plain_metavars(params: list[Any], ctx: Any) -> None:
    """Give each parameter a Click-style label (INTEGER, TEXT, PATH, a|b; none for flags)."""
    for param in params:
        if isinstance(param, TyperArgument):
            # An argument's name is its label (SUITES...); its type adds nothing.
            param.display_type_rich = _no_type  # type: ignore[method-assign]
            if param.metavar is None and param.name:
                param.metavar = param.name.upper()
            continue
        if param.metavar is not None or not isinstance(param, TyperOption):
            continue
        if param.is_flag or param.count:
            param.metavar = ""
            continue
        label = param.display_type(ctx).strip("<>")
        if label.startswith("list[") and label.endswith("]"):  # a repeatable option
            label = label[5:-1]
        param.metavar = _LABELS.get(label, label.upper())


def _no_type(ctx: Any) -> None:
    return None


def _print_version(value: bool) -> None:
    if value:
        from benchlab import __version__

        sys.stdout.write(f"benchlab {__version__}\n")
        raise typer.Exit()


app = typer.Typer(
    cls=_PlainHelpGroup,
    name="benchlab",
    help="Run benchmark suites against LLMs, score every answer, keep every run.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _group(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print benchlab's version and exit.",
        ),
    ] = False,
) -> None:
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


def progress_sinks(json_mode: bool, quiet: bool) -> list[EventSink]:
    if quiet:
        return []
    from benchlab.cli.display.progress import LogProgress, RichProgress

    if sys.stderr.isatty():
        return [RichProgress()]
    return [LogProgress()]
