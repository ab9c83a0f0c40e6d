"""Terminal rendering of summaries and listings with rich (imported only when printing)."""

from __future__ import annotations

from typing import Any

from benchlab.format import money, percent, signed, signed_interval


def make_console() -> Any:
    """A console for stdout. Off a terminal (a pipe, a file, a CI log) rich assumes 80
    columns and cuts run ids and model names short ("20261204-0207…"); there, lines are as
    wide as $COLUMNS says, else 200, so what is printed can be copied and grepped whole."""
    import os
    import sys

    from rich.console import Console

    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return Console()
    return Console(width=200)


def new_table(title: str | None, columns: list[str], *, left: tuple[str, ...] = ()) -> Any:
    """A table whose cells wrap instead of being cut: the first column and `left` ones are
    left-aligned, the rest (numbers) right-aligned. Print it with `print_fitting`."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for index, col in enumerate(columns):
        table.add_column(
            col, justify="left" if index == 0 or col in left else "right", overflow="fold"
        )
    return table


def print_fitting(console: Any, table: Any, *, wrap_words: bool = False) -> None:
    """Print a table whole at any width, never cutting a cell short.

    A table wider than the terminal is printed as several, each repeating the
    first column (the model, the run id) with as many of the others as fit: at
    80 columns two models of one provider (`anthropic/claude-...-4-1`,
    `...-4-5`) must not both become `anthro…`, nor a count `79/…`. What still
    does not fit wraps (every cell folds) instead of losing characters.
    `wrap_words`: a table of text (lists of names, descriptions) is split only
    when even with every cell wrapped at its spaces it would not fit.
    """
    columns = list(table.columns)
    if len(columns) <= 2 or _width(console, table, wrap_words) <= console.width:
        console.print(table)
        return
    first, rest = columns[0], columns[1:]
    groups: list[list[Any]] = [[]]
    for column in rest:
        trial = _sub_table(table, [first, *groups[-1], column], None)
        if groups[-1] and _width(console, trial, wrap_words) > console.width:
            groups.append([column])
        else:
            groups[-1].append(column)
    for index, group in enumerate(groups):
        sub = _sub_table(table, [first, *group], table.title if index == 0 else None)
        if index == len(groups) - 1 and table.caption:  # e.g. how the intervals were made
            sub.caption, sub.caption_justify = table.caption, table.caption_justify
        console.print(sub)


def _width(console: Any, table: Any, wrap_words: bool) -> int:
    """How wide the table is when nothing wraps, or when only spaces do (`wrap_words`).
    (Measured unbounded: a measure at the console's width is capped by it.)"""
    found = console.measure(table, options=console.options.update_width(10_000))
    return int(found.minimum if wrap_words else found.maximum)


def _sub_table(table: Any, columns: list[Any], title: Any) -> Any:
    from rich.table import Table

    sub = Table(title=title, title_justify=table.title_justify)
    for column in columns:
        sub.add_column(column.header, justify=column.justify, overflow="fold")
    for cells in zip(*(list(column.cells) for column in columns), strict=True):
        sub.add_row(*cells)
    return sub


def _interval(ci: list[float] | None) -> str:
    return signed_interval(ci)


def _ci(ci: list[float] | None) -> str:
    return "-" if not ci else f"[{100 * ci[0]:.1f}, {100 * ci[1]:.1f}]"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def print_summary(summary: dict[str, Any]) -> None:

    console = make_console()
    title = f"run {summary['run_id']} · {summary['status']} · {', '.join(summary['suites'])}"
    table = new_table(
        title,
        [
            "model",
            "attempts",
            "errors",
            "pass rate",
            "95% CI",
            "mean ms",
            "p50 ms",
            "p95 ms",
            "tokens in/out",
            "cost",
        ],
    )
    for m in summary["models"]:
        lat = m["latency_ms"]
        table.add_row(
            m["model"],
            str(m["attempts"]),
            str(m["errors"]),
            percent(m["pass_rate"]),
            _ci(m["ci95"]),
            _ms(lat["mean"]),
            _ms(lat["p50"]),
            _ms(lat["p95"]),
            f"{m['tokens']['input']:,}/{m['tokens']['output']:,}",
            money(m["cost_usd"]),
        )
    methods = sorted({str(m["ci_method"]) for m in summary["models"] if m.get("ci_method")})
    if methods:  # every interval says how it was made
        table.caption, table.caption_justify = f"95% CI by {', '.join(methods)}", "left"
    print_fitting(console, table)
    _print_errors(console, summary)
    from benchlab.analysis.cache_use import cache_note

    reused = cache_note(summary.get("cache"))
    if reused:
        console.print(f"[yellow]{reused}[/yellow]", highlight=False)
    for m in summary["models"]:
        cats = m.get("by_category")
        if not cats:
            continue
        cat_table = new_table(f"{m['model']} by category", ["category", "n", "pass rate", "95% CI"])
        for name, c in cats.items():
            cat_table.add_row(name, str(c["n"]), percent(c["pass_rate"]), _ci(c["ci95"]))
        print_fitting(console, cat_table)
    _print_scores_and_judges(console, summary)
    if summary.get("error"):
        console.print(f"[red]run error:[/red] {summary['error']}")


def _print_errors(console: Any, summary: dict[str, Any]) -> None:
    """Errored attempts per model and kind, with the first message: they have no verdict,
    so the pass rates above leave them out, and this says what they were."""

    rows = [
        (m["model"], kind, info)
        for m in summary["models"]
        for kind, info in (m.get("errors_by_kind") or {}).items()
    ]
    if not rows:
        return
    table = new_table(
        "Errors (no verdict; pass rates are over judged attempts)",
        ["model", "kind", "count", "first message"],
        left=("kind", "first message"),
    )
    for model, kind, info in rows:
        table.add_row(model, kind, str(info["count"]), info["first_message"])
    print_fitting(console, table, wrap_words=True)


def _print_scores_and_judges(console: Any, summary: dict[str, Any]) -> None:
    """Mean per scorer (a stance or judge score says more than a pass rate) and judge spend."""

    rows = [
        (m["model"], name, block)
        for m in summary["models"]
        for name, block in (m.get("scores") or {}).items()
    ]
    if rows:
        table = new_table(
            "Scores (mean over cases)",
            ["model", "scorer", "n", "mean", "95% CI", "method"],
            left=("scorer",),
        )
        for model, name, block in rows:
            table.add_row(
                model,
                name,
                str(block["n"]),
                f"{block['mean']:+.3f}",
                _interval(block.get("ci95")),
                str(block.get("ci_method") or "-"),
            )
        print_fitting(console, table)
    for m in summary["models"]:
        if "judge_calls" in m:
            tokens = m["judge_tokens"]
            console.print(
                f"judge spend on {m['model']}: {money(m['judge_cost_usd'])} "
                f"({m['judge_calls']} calls, {tokens['input']:,}/{tokens['output']:,} tokens)"
            )
    if summary.get("scores_from"):
        from benchlab.store.passes import describe_pass

        console.print(describe_pass(summary["scores_from"]), highlight=False)


def print_failures(found: dict[str, Any]) -> None:
    """`show --failures`: one row per failing or errored attempt, with its reason."""
    console = make_console()
    title = (
        f"run {found['run_id']} · {found['failures']} failed · {found['errors']} errors "
        "(errors got no verdict: they say nothing about the answers)"
    )
    if not found["attempts"]:
        console.print(f"run {found['run_id']}: every attempt passed", highlight=False)
        return
    table = new_table(
        title, ["model", "case", "sample", "verdict", "reason"], left=("case", "verdict", "reason")
    )
    for row in found["attempts"]:
        case = row["case_id"] if not row["suite"] else f"{row['suite']}/{row['case_id']}"
        table.add_row(row["model"], case, str(row["sample"]), row["verdict"], row["reason"])
    print_fitting(console, table, wrap_words=True)


# A sort key the default columns do not show: the column it adds, and how its value reads.
_SORT_COLUMNS: dict[str, tuple[str, Any]] = {
    "pass_rate": ("pass_rate", percent),
    "cost": ("cost_usd", money),
    "attempts": ("attempts", str),
    "errors": ("errors", str),
    "duration": ("duration_s", lambda s: "-" if s is None else f"{s:.1f} s"),
}


def print_runs(rows: list[dict[str, Any]], sort: str = "-created") -> None:
    """The runs in `sort`'s order (one of RUN_SORTS), with the column sorted by shown."""
    key = sort.lstrip("-")
    if key == "created":
        title = "Runs (newest first)" if sort.startswith("-") else "Runs (oldest first)"
    else:
        title = f"Runs (by {key}, {'descending' if sort.startswith('-') else 'ascending'})"
    columns = ["run_id", "status", "suites", "models", "created_at"]
    extra = _SORT_COLUMNS.get(key)
    if extra is not None:
        columns.insert(2, extra[0])
    shown = []
    for r in rows:
        row = {
            **r,
            "suites": ", ".join(r["suites"]),
            "models": ", ".join(r["models"]),
            "created_at": r["created_at"][:19].replace("T", " "),
        }
        if extra is not None:
            row[extra[0]] = extra[1](r[extra[0]])
        shown.append(row)
    print_table(title, columns, shown)


def print_table(title: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    table = new_table(title, columns, left=tuple(columns))
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    print_fitting(make_console(), table, wrap_words=True)


def print_dry_run(report: Any) -> None:
    data = report.as_dict()
    console = make_console()
    columns = ["model", "requests", "input_tokens", "output_tokens", "cost_usd"]
    if data["judges"]:
        console.print(
            f"dry run: {data['cases']} cases, {data['requests']} requests "
            f"+ {data['judge_requests']} judge calls, estimated cost "
            f"{money(data['total_cost_usd'])} (models {money(data['cost_usd'])}, "
            f"judges {money(data['judge_cost_usd'])}; estimates: ~4 chars/token)"
        )
    else:
        console.print(
            f"dry run: {data['cases']} cases, {data['requests']} requests, "
            f"estimated cost {money(data['cost_usd'])} (estimates: ~4 chars/token)"
        )
    print_table(
        "Estimate per model",
        columns,
        [{**m, "cost_usd": money(m["cost_usd"])} for m in data["models"]],
    )
    if data["judges"]:
        print_table(
            "Estimate per judge (one call per attempt and judging scorer, no re-asks)",
            ["model", "scorer", *columns[1:]],
            [{**j, "cost_usd": money(j["cost_usd"])} for j in data["judges"]],
        )
    if data["example_prompt"]:
        console.print("[bold]first prompt:[/bold]")
        from rich.text import Text

        for message in data["example_prompt"]:
            console.print(Text.assemble((f"{message['role']}: ", "cyan"), message["content"]))


def _num(value: float | None) -> str:
    return signed(value)


def print_factors(report: dict[str, Any]) -> None:
    """`show --by`: one table per model, levels as rows, then the paired uplifts."""

    console = make_console()
    if report.get("scores_from"):
        from benchlab.store.passes import describe_pass

        console.print(describe_pass(report["scores_from"]), highlight=False)
    for entry in report["models"]:
        title = f"run {report['run_id']} · {entry['model']} · {report['scorer']} by {report['by']}"
        table = new_table(
            title, ["level", "n", "mean", "95% CI", "method", "neg", "neu", "pos"], left=("method",)
        )
        for row in entry["levels"]:
            bins = row["bins"]
            table.add_row(
                str(row["level"]),
                str(row["n"]),
                _num(row["mean"]),
                _interval(row["ci95"]),
                row["ci_method"] if row["ci95"] is not None else "-",
                *(percent(bins[b]) for b in ("neg", "neu", "pos")),
            )
        print_fitting(console, table)
        if "uplift" in entry:
            uplift = new_table(
                f"paired uplift by {report['paired_by']}",
                ["levels", "sets", "mean", "95% CI", "method"],
                left=("method",),
            )
            for pair, found in entry["uplift"].items():
                uplift.add_row(
                    pair,
                    str(found["n"]),
                    _num(found["mean"]),
                    _interval(found["ci95"]),
                    found["ci_method"] if found["ci95"] is not None else "-",
                )
            print_fitting(console, uplift)


def print_pivot(pivot: dict[str, Any]) -> None:
    """`show --pivot A,B`: per model, levels of A as rows, levels of B as columns; each cell
    the mean with its number of cases and interval (as the dashboard's factor view)."""
    console = make_console()
    if pivot.get("scores_from"):
        from benchlab.store.passes import describe_pass

        console.print(describe_pass(pivot["scores_from"]), highlight=False)
    for entry in pivot["models"]:
        title = (
            f"run {pivot['run_id']} · {entry['model']} · {pivot['scorer']} by "
            f"{pivot['rows']} x {pivot['cols']}"
        )
        head = [f"{pivot['rows']} \\ {pivot['cols']}", *(str(c) for c in pivot["col_levels"])]
        table = new_table(title, head)
        for level, cells in zip(pivot["row_levels"], entry["cells"], strict=True):
            table.add_row(
                str(level),
                *(
                    "-"
                    if not c["n"]
                    else f"{_num(c['mean'])} n={c['n']}"
                    + (f" {_interval(c['ci95'])}" if c["ci95"] else "")
                    for c in cells
                ),
            )
        print_fitting(console, table)
