"""Production samples: `samples import FILE...` (what an application logged, into the store).

Not to be confused with `import-samples` (samples_cmd.py), which scores another
harness's code samples.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from benchlab.cli._sample_options import NearThresholdOpt, PhoneRegionOpt, phone_region_code
from benchlab.cli.app import DbOpt, JsonOpt, app, print_json

samples_app = typer.Typer(
    help="Production samples: what your application sent and answered, with user feedback "
    "(log them with benchlab.log_sample, or import the logs you have).",
    no_args_is_help=True,
)
app.add_typer(samples_app, name="samples")

# Bad records printed one per line on stderr; the rest are only counted.
BAD_LINES_SHOWN = 20


@samples_app.command("import")
def import_samples(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Files to import: our JSONL (benchlab.log_sample), CSV, OpenAI-style "
            "request/response JSON lines, or OTLP JSON of GenAI spans.",
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="jsonl|csv|openai|otlp",
            help="The files' format (default: told from each file's name and first records).",
        ),
    ] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Import samples into the store, once each (a sample already stored is a duplicate).

    Bad records are reported by file and line and skipped. Exit 0 when something was
    imported or everything was already stored, 1 when nothing could be imported,
    2 for a missing file or an unknown format.
    """
    from benchlab.samples.importer import import_files, plan_files
    from benchlab.store import Store

    plan_files(files, fmt)  # a missing file or unknown format: one line, before the store opens
    shown = 0

    def on_bad(path: Path, line: int, reason: str) -> None:
        nonlocal shown
        shown += 1
        if shown <= BAD_LINES_SHOWN:
            sys.stderr.write(f"{path}:{line}: {reason}\n")

    with Store(db) as store:
        results = import_files(store, files, fmt=fmt, on_bad=on_bad)
        url = store.display_url
    if shown > BAD_LINES_SHOWN:
        sys.stderr.write(f"... and {shown - BAD_LINES_SHOWN} more bad records (not shown)\n")
    keys = ("read", "imported", "duplicates", "bad", "skipped", "fallback_decoded")
    total = {key: sum(getattr(r, key) for r in results) for key in keys}
    if json_out:
        print_json({"db": url, "files": [r.document() for r in results], "total": total})
    else:
        for r in results:
            extra = f", {r.skipped} skipped (not model calls)" if r.skipped else ""
            if r.fallback_decoded:
                extra += f", {r.fallback_decoded} lines not UTF-8 (read as Windows-1252)"
            sys.stdout.write(
                f"{r.file} ({r.format}): {r.read} read, {r.imported} imported, "
                f"{r.duplicates} duplicates, {r.bad} bad{extra}\n"
            )
        if len(results) > 1:
            sys.stdout.write(
                f"total: {total['read']} read, {total['imported']} imported, "
                f"{total['duplicates']} duplicates, {total['bad']} bad\n"
            )
    everything_known = total["read"] > 0 and total["duplicates"] == total["read"]
    if total["imported"] == 0 and not everything_known:
        raise typer.Exit(1)


@samples_app.command("stats")
def samples_stats(
    period: Annotated[
        str, typer.Option("--period", metavar="day|week", help="Volume per UTC day or ISO week.")
    ] = "day",
    category_field: Annotated[
        str,
        typer.Option("--category-field", help="The metadata field that names a sample's category."),
    ] = "category",
    near_threshold: NearThresholdOpt = 0.8,
    no_near: Annotated[
        bool, typer.Option("--no-near", help="Count exact duplicates only (faster).")
    ] = False,
    no_pii: Annotated[
        bool,
        typer.Option("--no-pii", help="Do not scan for personal data and secrets (the slow part)."),
    ] = False,
    phone_region: PhoneRegionOpt = "US",
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """What the stored samples look like: volume over time, categories, models, feedback,
    duplicates (exact and near) and personal data found per kind (what cleaning removes)."""
    from benchlab.errors import UserError
    from benchlab.samples.stats import PERIODS, sample_stats
    from benchlab.store import Store

    if period not in PERIODS:
        raise UserError(f"--period {period}: not one of {', '.join(PERIODS)}")
    region = phone_region_code(phone_region)
    with Store(db, must_exist=True) as store:
        stats = sample_stats(
            store,
            period=period,
            category_field=category_field,
            near_threshold=None if no_near else near_threshold,
            pii=not no_pii,
            phone_region=region,
        )
        url = store.display_url
    if json_out:
        print_json({"db": url, **stats.document()})
        return
    out = sys.stdout.write
    out(f"{stats.total} samples in {url}\n")
    if not stats.total:
        return

    def table(title: str, counts: dict[str, int]) -> None:
        out(f"\n{title}\n")
        width = max(len(key) for key in counts)
        for key, count in counts.items():
            out(f"  {key:<{width}}  {count:>8}\n")

    table(f"volume per {period}", stats.volume)
    table(f"categories (metadata.{category_field})", stats.categories)
    table("models", stats.models)
    mean = "" if stats.mean_score is None else f", mean score {stats.mean_score:.3g}"
    rated = stats.total - stats.without_feedback
    out(f"\nfeedback: {rated} with, {stats.without_feedback} without{mean}\n")
    if stats.feedback_labels:
        table("feedback labels", stats.feedback_labels)
    if stats.feedback_scores:
        table("feedback scores", stats.feedback_scores)
    near = (
        "near: not counted"
        if stats.near_duplicates is None
        else f"{stats.near_duplicates} near (threshold {stats.near_threshold:g})"
    )
    out(f"\nduplicates: {stats.exact_duplicates} exact, {near}\n")
    if stats.pii is not None:
        found = ", ".join(f"{kind} {count}" for kind, count in stats.pii.items())
        out(f"personal data and secrets: {found} (in {stats.samples_with_pii} samples)\n")


# `samples build` lives in its own module (the sampling work of issue 15).
from benchlab.cli.samples_build import build_samples  # noqa: E402

samples_app.command("build")(build_samples)
