"""Terminal rendering of summaries and listings with rich (imported only when printing)."""

from __future__ import annotations

from typing import Any


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


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _interval(ci: list[float] | None) -> str:
    return "-" if not ci else f"[{ci[0]:+.3f}, {ci[1]:+.3f}]"


def _ci(ci: list[float] | None) -> str:
    return "-" if not ci else f"[{100 * ci[0]:.1f}, {100 * ci[1]:.1f}]"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _usd(value: float | None) -> str:
    return "unknown" if value is None else f"${value:,.4f}"


def print_summary(summary: dict[str, Any]) -> None:
    from rich.table import Table

    console = make_console()
    title = f"run {summary['run_id']} · {summary['status']} · {', '.join(summary['suites'])}"
    table = Table(title=title, title_justify="left")
    for col in (
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
    ):
        table.add_column(col, justify="left" if col == "model" else "right")
    for m in summary["models"]:
        lat = m["latency_ms"]
        table.add_row(
            m["model"],
            str(m["attempts"]),
            str(m["errors"]),
            _pct(m["pass_rate"]),
            _ci(m["ci95"]),
            _ms(lat["mean"]),
            _ms(lat["p50"]),
            _ms(lat["p95"]),
            f"{m['tokens']['input']:,}/{m['tokens']['output']:,}",
            _usd(m["cost_usd"]),
        )
    methods = sorted({str(m["ci_method"]) for m in summary["models"] if m.get("ci_method")})
    if methods:  # every interval says how it was made
        table.caption, table.caption_justify = f"95% CI by {', '.join(methods)}", "left"
    console.print(table)
    _print_errors(console, summary)
    from benchlab.analysis.cache_use import cache_note

    reused = cache_note(summary.get("cache"))
    if reused:
        console.print(f"[yellow]{reused}[/yellow]", highlight=False)
    for m in summary["models"]:
        cats = m.get("by_category")
        if not cats:
            continue
        cat_table = Table(title=f"{m['model']} by category", title_justify="left")
        for col in ("category", "n", "pass rate", "95% CI"):
            cat_table.add_column(col, justify="left" if col == "category" else "right")
        for name, c in cats.items():
            cat_table.add_row(name, str(c["n"]), _pct(c["pass_rate"]), _ci(c["ci95"]))
        console.print(cat_table)
    _print_scores_and_judges(console, summary)
    if summary.get("error"):
        console.print(f"[red]run error:[/red] {summary['error']}")


def _print_errors(console: Any, summary: dict[str, Any]) -> None:
    """Errored attempts per model and kind, with the first message: they have no verdict,
    so the pass rates above leave them out, and this says what they were."""
    from rich.table import Table

    rows = [
        (m["model"], kind, info)
        for m in summary["models"]
        for kind, info in (m.get("errors_by_kind") or {}).items()
    ]
    if not rows:
        return
    table = Table(
        title="Errors (no verdict; pass rates are over judged attempts)", title_justify="left"
    )
    for col in ("model", "kind", "count", "first message"):
        table.add_column(col, justify="right" if col == "count" else "left")
    for model, kind, info in rows:
        table.add_row(model, kind, str(info["count"]), info["first_message"])
    console.print(table)


def _print_scores_and_judges(console: Any, summary: dict[str, Any]) -> None:
    """Mean per scorer (a stance or judge score says more than a pass rate) and judge spend."""
    from rich.table import Table

    rows = [
        (m["model"], name, block)
        for m in summary["models"]
        for name, block in (m.get("scores") or {}).items()
    ]
    if rows:
        table = Table(title="Scores (mean over cases)", title_justify="left")
        for col in ("model", "scorer", "n", "mean", "95% CI", "method"):
            table.add_column(col, justify="left" if col in ("model", "scorer") else "right")
        for model, name, block in rows:
            table.add_row(
                model,
                name,
                str(block["n"]),
                f"{block['mean']:+.3f}",
                _interval(block.get("ci95")),
                str(block.get("ci_method") or "-"),
            )
        console.print(table)
    for m in summary["models"]:
        if "judge_calls" in m:
            tokens = m["judge_tokens"]
            console.print(
                f"judge spend on {m['model']}: {_usd(m['judge_cost_usd'])} "
                f"({m['judge_calls']} calls, {tokens['input']:,}/{tokens['output']:,} tokens)"
            )
    if summary.get("scores_from"):
        from benchlab.store.passes import describe_pass

        console.print(describe_pass(summary["scores_from"]), highlight=False)


def print_runs(rows: list[dict[str, Any]]) -> None:
    print_table(
        "Runs (newest first)",
        ["run_id", "status", "suites", "models", "created_at"],
        [
            {
                **r,
                "suites": ", ".join(r["suites"]),
                "models": ", ".join(r["models"]),
                "created_at": r["created_at"][:19].replace("T", " "),
            }
            for r in rows
        ],
    )


def print_table(title: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    make_console().print(table)


def print_dry_run(report: Any) -> None:
    data = report.as_dict()
    console = make_console()
    columns = ["model", "requests", "input_tokens", "output_tokens", "cost_usd"]
    if data["judges"]:
        console.print(
            f"dry run: {data['cases']} cases, {data['requests']} requests "
            f"+ {data['judge_requests']} judge calls, estimated cost "
            f"{_usd(data['total_cost_usd'])} (models {_usd(data['cost_usd'])}, "
            f"judges {_usd(data['judge_cost_usd'])}; estimates: ~4 chars/token)"
        )
    else:
        console.print(
            f"dry run: {data['cases']} cases, {data['requests']} requests, "
            f"estimated cost {_usd(data['cost_usd'])} (estimates: ~4 chars/token)"
        )
    print_table(
        "Estimate per model",
        columns,
        [{**m, "cost_usd": _usd(m["cost_usd"])} for m in data["models"]],
    )
    if data["judges"]:
        print_table(
            "Estimate per judge (one call per attempt and judging scorer, no re-asks)",
            ["model", "scorer", *columns[1:]],
            [{**j, "cost_usd": _usd(j["cost_usd"])} for j in data["judges"]],
        )
    if data["example_prompt"]:
        console.print("[bold]first prompt:[/bold]")
        from rich.text import Text

        for message in data["example_prompt"]:
            console.print(Text.assemble((f"{message['role']}: ", "cyan"), message["content"]))


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:+.3f}"


def print_factors(report: dict[str, Any]) -> None:
    """`show --by`: one table per model, levels as rows, then the paired uplifts."""
    from rich.table import Table

    console = make_console()
    if report.get("scores_from"):
        from benchlab.store.passes import describe_pass

        console.print(describe_pass(report["scores_from"]), highlight=False)
    for entry in report["models"]:
        title = f"run {report['run_id']} · {entry['model']} · {report['scorer']} by {report['by']}"
        table = Table(title=title, title_justify="left")
        for col in ("level", "n", "mean", "95% CI", "method", "neg", "neu", "pos"):
            table.add_column(col, justify="left" if col in ("level", "method") else "right")
        for row in entry["levels"]:
            bins = row["bins"]
            table.add_row(
                str(row["level"]),
                str(row["n"]),
                _num(row["mean"]),
                _interval(row["ci95"]),
                row["ci_method"] if row["ci95"] is not None else "-",
                *(_pct(bins[b]) for b in ("neg", "neu", "pos")),
            )
        console.print(table)
        if "uplift" in entry:
            uplift = Table(title=f"paired uplift by {report['paired_by']}", title_justify="left")
            for col in ("levels", "sets", "mean", "95% CI", "method"):
                uplift.add_column(col, justify="left" if col in ("levels", "method") else "right")
            for pair, found in entry["uplift"].items():
                uplift.add_row(
                    pair,
                    str(found["n"]),
                    _num(found["mean"]),
                    _interval(found["ci95"]),
                    found["ci_method"] if found["ci95"] is not None else "-",
                )
            console.print(uplift)
