"""`benchlab samples build NAME -o suite.yaml`: draw a suite from the stored production samples.

The handler of the `build` command of the `samples` group (registered by
production_samples_cmd.py, which owns the group); the drawing itself is
benchlab.samples.build.
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from benchlab.cli._sample_options import (
    KeepPiiOpt,
    NearThresholdOpt,
    PhoneRegionOpt,
    phone_region_code,
)
from benchlab.cli.app import DbOpt, JsonOpt, print_json

__all__ = ["build_samples"]


def build_samples(
    name: Annotated[str, typer.Argument(help="The suite's name.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The suite file to write (YAML).")],
    count: Annotated[int, typer.Option("--count", "-n", min=1, help="Cases to draw.")] = 50,
    strategy: Annotated[
        str,
        typer.Option(
            metavar="random|stratified|feedback-weighted|diverse",
            help="How to draw: uniformly; per stratum of --stratify-by; poorly rated samples "
            "likelier; one per cluster of similar inputs.",
        ),
    ] = "random",
    since: Annotated[
        str | None,
        typer.Option(help="Only samples logged since: an age (30d, 12h, 2w) or an ISO date."),
    ] = None,
    min_feedback: Annotated[
        float | None, typer.Option("--min-feedback", help="Only samples scored at least S.")
    ] = None,
    max_feedback: Annotated[
        float | None, typer.Option("--max-feedback", help="Only samples scored at most S.")
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option(help="Only samples of this metadata category (repeatable)."),
    ] = None,
    stratify_by: Annotated[
        str,
        typer.Option("--stratify-by", help="--strategy stratified: the metadata field."),
    ] = "category",
    allocation: Annotated[
        str,
        typer.Option(
            metavar="equal|proportional",
            help="--strategy stratified: the same number per stratum, or shares by size.",
        ),
    ] = "proportional",
    embeddings: Annotated[
        str,
        typer.Option(
            metavar="minilm|hashed|PROVIDER/MODEL",
            help="--strategy diverse: the offline MiniLM (the `semantic` extra), hashed "
            "character trigrams (no model; wording, not meaning), or an OpenAI-compatible "
            "embeddings model (openai/text-embedding-3-small; OPENAI_BASE_URL is honoured).",
        ),
    ] = "minilm",
    seed: Annotated[int, typer.Option(min=0, help="Seed of the draw: same seed, same cases.")] = 0,
    near_threshold: NearThresholdOpt = 0.8,  # samples.dedupe.DEFAULT_NEAR_THRESHOLD
    no_near: Annotated[
        bool, typer.Option("--no-near", help="Fold exact duplicates only, not near ones.")
    ] = False,
    keep_pii: KeepPiiOpt = False,
    phone_region: PhoneRegionOpt = "US",  # samples.redact.DEFAULT_PHONE_REGION
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Draw COUNT stored samples into a suite file whose expected answers are the production
    outputs, marked unreviewed: `benchlab run` asks only accepted cases (--include-unreviewed
    to ask them all). Exit 2 for bad flags or when no stored sample matches."""
    from benchlab.cli._sample_embeddings import embedder, embeddings_label
    from benchlab.errors import UserError
    from benchlab.samples.build import BuildOptions, build_suite
    from benchlab.samples.pool import SampleFilter, parse_since
    from benchlab.samples.sampling import ALLOCATIONS, STRATEGIES
    from benchlab.samples.suite_lock import ensure_writable
    from benchlab.store import Store

    if strategy not in STRATEGIES:
        raise UserError(f"--strategy {strategy}: not one of {', '.join(STRATEGIES)}")
    if allocation not in ALLOCATIONS:
        raise UserError(f"--allocation {allocation}: not one of {', '.join(ALLOCATIONS)}")
    region = phone_region_code(phone_region)
    ensure_writable(out)  # before the draw, which may take minutes (diverse)
    where = SampleFilter(
        since=None if since is None else parse_since(since),
        min_feedback=min_feedback,
        max_feedback=max_feedback,
        categories=tuple(category or ()),
    )
    embed = embedder(embeddings) if strategy == "diverse" else None
    options = BuildOptions(
        name=name,
        count=count,
        strategy=strategy,  # checked against STRATEGIES above
        seed=seed,
        where=where,
        stratify_by=stratify_by,
        allocation=allocation,  # checked against ALLOCATIONS above
        embeddings=embeddings_label(embeddings) if strategy == "diverse" else None,
        near_threshold=None if no_near else near_threshold,
        keep_pii=keep_pii,
        phone_region=region,
    )
    with Store(db, must_exist=True) as store:
        result = build_suite(store, options, out, embed=embed)
    if result.chosen < count:
        sys.stderr.write(
            f"only {result.matching} samples match the filters: all {result.chosen} taken\n"
        )
    if result.reviews_kept:
        sys.stderr.write(
            f"kept the reviews of {result.reviews_kept} case(s) drawn again from the {out} "
            "this build replaced\n"
        )
    if result.reviewed_dropped:
        sys.stderr.write(
            f"warning: {len(result.reviewed_dropped)} reviewed case(s) of the replaced {out} "
            f"are not in this draw, and their verdicts not in the new file: "
            f"{', '.join(result.reviewed_dropped[:5])}"
            f"{', ...' if len(result.reviewed_dropped) > 5 else ''}\n"
        )
    if json_out:
        print_json(result.summary())
        return
    cleaning = result.cleaning or {}
    pii = ", ".join(f"{kind} {n}" for kind, n in (cleaning.get("pii") or {}).items() if n)
    sys.stdout.write(
        f"cleaned {result.stored} stored samples: {cleaning.get('exact_duplicates', 0)} exact "
        f"and {cleaning.get('near_duplicates', 0)} near duplicates folded; personal data "
        + ("kept (--keep-pii): " if keep_pii else "redacted: ")
        + (pii or "none found")
        + "\n"
    )
    how: str = strategy
    if result.allocation is not None:
        shares = ", ".join(f"{k} {v}" for k, v in result.allocation.items())
        how = f"stratified by {stratify_by}, {allocation} allocation: {shares}"
    sys.stdout.write(
        f"wrote {out}: {name} version {result.document['version']}, {result.chosen} cases "
        f"({how}) from {result.matching} matching of {result.after_clean} distinct samples; "
        f"scorer {result.document['scorers'][0]}\n"
        + (
            f"{result.reviews_kept} case(s) keep their review, the others are unreviewed"
            if result.reviews_kept
            else "every case is unreviewed"
        )
        + ": `benchlab run` asks only accepted cases (--include-unreviewed to ask them now)\n"
    )
