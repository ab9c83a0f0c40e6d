"""Judging stored runs and building grids: `score`, `pairwise`, `build`."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from benchlab.cli._standard import (
    CotOpt,
    DataOpt,
    ModeOpt,
    MultiturnOpt,
    ReleaseOpt,
    RevisionOpt,
    ShotsOpt,
    SinceOpt,
    SubsetOpt,
    UntilOpt,
    with_standard_options,
)
from benchlab.cli.app import DbOpt, JsonOpt, app, print_json

NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Ask the judge again instead of using cached replies.")
]
ConcurrencyOpt = Annotated[
    int | None,
    typer.Option("--concurrency", "-c", help="Judge requests in flight at most (default: run's)."),
]


@app.command()
def score(
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
    scorer: Annotated[
        list[str] | None,
        typer.Option(
            help="Scorer name or '{name: judge, criteria: [...]}' (repeatable); "
            "default: each case's recorded scorers."
        ),
    ] = None,
    judge_model: Annotated[
        str | None, typer.Option("--judge-model", help="The model judging scorers ask.")
    ] = None,
    concurrency: ConcurrencyOpt = None,
    no_cache: NoCacheOpt = False,
    db: DbOpt = None,
    json_out: JsonOpt = False,
    executor: Annotated[
        str | None,
        typer.Option(help="Where code runs: local (default) or ray ($RAY_ADDRESS)."),
    ] = None,
) -> None:
    """Score a run's stored answers again, as a new pass kept beside the old ones."""
    from benchlab import api
    from benchlab.engine.validation import parse_scorer

    if executor is not None:
        from benchlab.sandbox.executor import check_executor

        check_executor(executor)

    specs = [parse_scorer(s) for s in scorer] if scorer else None
    if concurrency is not None and concurrency < 1:
        from benchlab.errors import ConfigError

        raise ConfigError(f"--concurrency {concurrency}: must be at least 1")
    summary = _run(
        api.ascore(
            run_id,
            db=db,
            scorers=specs,
            judge_model=judge_model,
            concurrency=concurrency,
            cache=not no_cache,
            executor=executor,
        )
    )
    scoring = summary["scoring"]
    sys.stderr.write(
        f"scoring pass {scoring['pass_no']} of run {summary['run_id']}: "
        f"{scoring['scored']} answers scored, {scoring['errors']} scorer errors\n"
    )
    if json_out:
        print_json(summary)
        return
    from benchlab.cli.display.tables import print_summary

    print_summary(summary)


@app.command()
def pairwise(
    run_id: Annotated[str, typer.Argument(help="Run id (or a unique prefix).")],
    judge_model: Annotated[
        str, typer.Option("--judge-model", help="The model that compares the answers.")
    ],
    models: Annotated[
        str | None, typer.Option("--models", help="A,B,...: the run's models to compare.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for the bootstrap intervals.")] = 0,
    concurrency: ConcurrencyOpt = None,
    no_cache: NoCacheOpt = False,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Which model answered each case better, judged in both orders; win rates and ratings."""
    from benchlab import api

    chosen = [m.strip() for m in models.split(",") if m.strip()] if models else None
    report = _run(
        api.apairwise(
            run_id,
            judge_model,
            db=db,
            models=chosen,
            concurrency=concurrency,
            seed=seed,
            cache=not no_cache,
        )
    )
    if json_out:
        print_json(report)
        return
    from benchlab.cli.display.tables import print_table

    rows = [
        {
            **{k: p[k] for k in ("a", "b", "n", "wins_a", "wins_b", "ties", "inconsistent")},
            "win_rate_a": _fmt(p["win_rate_a"]),
            "ci95": _interval(p["ci95"]),
        }
        for p in report["pairs"]
    ]
    columns = ["a", "b", "n", "wins_a", "wins_b", "ties", "inconsistent", "win_rate_a", "ci95"]
    print_table(f"Pairwise, judged by {judge_model}", columns, rows)
    if report["ratings"]:
        ratings = [
            {"model": r["model"], "rating": f"{r['rating']:.0f}", "ci95": _interval(r["ci95"])}
            for r in report["ratings"]
        ]
        print_table("Bradley-Terry ratings", ["model", "rating", "ci95"], ratings)
    share = report["inconsistent_share"]
    sys.stdout.write(
        f"order-inconsistent verdicts: {_fmt(share)} of {report['judged']}"
        + (f"; {report['errors']} comparisons failed" if report["errors"] else "")
        + "\n"
    )


@app.command()
def build(
    suite: Annotated[str, typer.Argument(help="Built-in suite name or suite file.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSONL file to write (default: stdout).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(help="At most N cases (a grid keeps matched sets whole).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampling cases.")] = 0,
    data: DataOpt = None,
    revision: RevisionOpt = None,
    shots: ShotsOpt = None,
    subset: SubsetOpt = None,
    cot: CotOpt = False,
    fewshot_as_multiturn: MultiturnOpt = False,
    mode: ModeOpt = None,
    release: ReleaseOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> None:
    """Write a suite's cases as JSONL: a grid expanded, a standard suite rendered from its
    data (sampled like `run` would), so any suite can be read, diffed or frozen."""
    from benchlab import api
    from benchlab.errors import ConfigError

    (suite,) = with_standard_options(
        [suite],
        data=data,
        revision=revision,
        shots=shots,
        subset=subset,
        cot=cot,
        fewshot_as_multiturn=fewshot_as_multiturn,
        mode=mode,
        release=release,
        since=since,
        until=until,
    )

    if limit is not None and limit < 1:
        raise ConfigError(f"--limit {limit}: must be at least 1")
    if output is None:
        api.build_cases(suite, sys.stdout, limit=limit, seed=seed)
        return
    tmp = output.with_name(output.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            count = api.build_cases(suite, handle, limit=limit, seed=seed)
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)
    sys.stderr.write(f"wrote {count} cases to {output}\n")


def _run(coro: Any) -> Any:
    from benchlab.cli.run_cmd import _run_async

    return _run_async(coro)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _interval(ci: list[float] | None) -> str:
    return "-" if not ci else f"[{ci[0]:.3f}, {ci[1]:.3f}]"
