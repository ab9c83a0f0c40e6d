"""Human labels: `labels export`, `labels add`, and `agreement` (labelers vs each other and
the scorers). Labeling itself happens on the dashboard's label page (`benchlab serve`)."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from benchlab.cli.app import DbOpt, JsonOpt, PassOpt, app, print_json

if TYPE_CHECKING:
    from benchlab.labeling.views import Agreement

labels_app = typer.Typer(
    help="Human labels of a run's answers (label them on the dashboard: /runs/RUN_ID/label).",
    no_args_is_help=True,
)
app.add_typer(labels_app, name="labels")

RunArg = Annotated[str, typer.Argument(help="Run id (or a unique prefix).")]


@labels_app.command("export")
def export_labels(
    run_id: RunArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or csv")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Export a run's labels: one row per (attempt, labeler), keyed like `benchlab export`."""
    from benchlab.errors import ConfigError
    from benchlab.labeling import export_labels as write
    from benchlab.labeling.export import FORMATS
    from benchlab.store import Store

    if fmt not in FORMATS:
        raise ConfigError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    with Store(db, must_exist=True) as store:
        if output is None:
            write(store, run_id, fmt, sys.stdout)
            return
        tmp = output.with_name(output.name + ".part")
        try:
            with tmp.open("w", encoding="utf-8", newline="") as handle:
                count = write(store, run_id, fmt, handle)
            tmp.replace(output)  # never leave a half-written export under the real name
        except OSError as exc:
            raise ConfigError(f"--output {output}: cannot write: {exc.strerror}") from exc
        finally:
            tmp.unlink(missing_ok=True)
    sys.stderr.write(f"wrote {count} labels to {output}\n")


@labels_app.command("add")
def add_label(
    run_id: RunArg,
    attempt_id: Annotated[str, typer.Argument(help="Attempt id (see `export` or the API).")],
    label: Annotated[str, typer.Argument(help="pass|fail, 1-5, or neg|neu|pos.")],
    labeler: Annotated[str, typer.Option("--labeler", "-l", help="Who is labeling.")],
    note: Annotated[str | None, typer.Option(help="A note kept with the label.")] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Label one attempt (from a script); labeling it again replaces the label."""
    from benchlab.labeling import add_label as add
    from benchlab.store import Store

    with Store(db, must_exist=True) as store:
        saved = add(store, run_id, attempt_id, labeler, label, note=note)
    if json_out:
        print_json(saved.model_dump())
        return
    action = "replaced" if saved.replaced else "stored"
    sys.stderr.write(f"{action} {saved.label} by {saved.labeler} on attempt {saved.attempt_id}\n")


@app.command()
def agreement(
    run_id: RunArg,
    scorer: Annotated[
        str | None,
        typer.Option("--scorer", help="Only this scorer against the humans (default: every one)."),
    ] = None,
    score_pass: PassOpt = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """How far labelers agree (Krippendorff's alpha) and each scorer agrees with them
    (Cohen's kappa, Spearman's rho, confusion matrix), for one scoring pass (--pass)."""
    from benchlab.labeling import agreement_report
    from benchlab.store import Store

    with Store(db, must_exist=True) as store:
        report = agreement_report(store, run_id, scorer=scorer, score_pass=score_pass)
    if json_out:
        print_json(report.model_dump())
        return
    _print(report)


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _print(report: "Agreement") -> None:
    from benchlab.cli.display.tables import print_table
    from benchlab.store.passes import describe_pass

    labelers = ", ".join(f"{x['labeler']} ({x['labels']})" for x in report.labelers)
    sys.stdout.write(
        f"run {report.run_id}: {report.labels} {report.kind} labels on "
        f"{report.attempts_labeled} attempts by {labelers or 'nobody yet'}\n"
        f"{describe_pass(report.scores_from)}\n"
    )
    between = report.between_labelers
    print_table(
        "Between labelers",
        ["measure", "value", "n"],
        [
            {
                "measure": f"Krippendorff's alpha ({between['level']})",
                "value": _num(between["alpha"]),
                "n": f"{between['n_units']} attempts, {between['n_values']} labels",
            },
            {"measure": "percent agreement", "value": _num(between["percent_agreement"])},
            *(
                {
                    "measure": f"Cohen's kappa {p['a']} / {p['b']}",
                    "value": _num(p["kappa"]),
                    "n": p["n"],
                }
                for p in between["pairs"]
            ),
        ],
    )
    rows = []
    for s in report.scorers:
        weighted = s.get("kappa_weighted")
        rho = s["spearman"]
        rows.append(
            {
                "scorer": s["scorer"],
                "n": s["n"],
                "kappa": _num(s["kappa"]["kappa"]),
                "weighted kappa": "-" if weighted is None else _num(weighted["kappa"]),
                "spearman rho": _num(rho["rho"]),
                "p": _num(rho["p_value"], 4),
                "ties": s["ties"],
            }
        )
    columns = ["scorer", "n", "kappa", "weighted kappa", "spearman rho", "p", "ties"]
    print_table("Scorers against the humans' consensus", columns, rows)
    for s in report.scorers:
        confusion = s["confusion"]
        if not confusion["n"]:
            continue
        cols = [f"{s['scorer']}: {w}" for w in confusion["labels"]]
        print_table(
            f"humans (rows) vs {s['scorer']} (columns)",
            ["humans", *cols],
            [
                {"humans": w, **dict(zip(cols, line, strict=True))}
                for w, line in zip(confusion["labels"], confusion["matrix"], strict=True)
            ],
        )
