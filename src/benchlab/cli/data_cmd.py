"""The standard benchmarks' data: `data pull NAME`, `data list`."""

import sys
from typing import Annotated

import typer

from benchlab.cli.app import JsonOpt, app, print_json

data_app = typer.Typer(
    help="Datasets of the standard benchmarks (MMLU, GSM8K, ...): pull them from the "
    "Hugging Face Hub (HF_ENDPOINT, HF_TOKEN, HF_HOME apply), list the local copies.",
    no_args_is_help=True,
)
app.add_typer(data_app, name="data")


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} B"  # pragma: no cover - the loop always returns


@data_app.command("pull")
def pull_data(
    name: Annotated[str, typer.Argument(help="Dataset name (see `benchlab data list`).")],
    revision: Annotated[
        str | None,
        typer.Option(help="Hub revision (commit, branch or tag); default: the pinned one."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Download a dataset's split files into the local Hugging Face cache (once)."""
    from benchlab.datasets import dataset_spec, pull

    spec = dataset_spec(name)
    copy = pull(spec, revision)
    files = copy.files()
    if json_out:
        print_json(
            {
                "name": spec.name,
                "dataset": spec.repo_id,
                "revision": copy.commit,
                "files": [p.relative_to(copy.folder).as_posix() for p in files],
                "size": copy.size,
                "path": str(copy.folder),
            }
        )
        return
    sys.stdout.write(
        f"{spec.name}: {spec.repo_id}@{copy.commit}, {len(files)} files, "
        f"{_size(copy.size)} in {copy.folder}\n"
    )


@data_app.command("list")
def list_data(json_out: JsonOpt = False) -> None:
    """Each standard dataset: its Hub id, whether it is local, its revision and size."""
    from benchlab.datasets import catalog_status

    rows = catalog_status()
    if json_out:
        print_json(rows)
        return
    from benchlab.cli.display.tables import make_console, new_table, print_fitting

    table = new_table(
        "Standard datasets",
        ["name", "dataset", "local", "revision", "size"],
        left=("dataset", "revision"),
    )
    for row in rows:
        table.add_row(
            row["name"],
            row["dataset"] + (" (gated)" if row["gated"] else ""),
            "yes" if row["present"] else "no",
            row["revision"],
            _size(row["size"]) if row["present"] else "",
        )
    print_fitting(make_console(), table)
