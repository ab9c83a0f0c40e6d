"""What is built in: `suites`, `models`, `version`."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from benchlab.cli.app import JsonOpt, app, print_json


@app.command()
def suites(json_out: JsonOpt = False) -> None:
    """List the built-in suites: packaged ones, and the standard benchmarks with their size
    and source dataset (built from the local copy, `benchlab data pull NAME`, or --data)."""
    from benchlab.datasets import CATALOG, hub_url
    from benchlab.suites import load_suite
    from benchlab.suites.loader import builtin_names
    from benchlab.suites.standard import FAMILIES

    rows = []
    for name in builtin_names():
        family = FAMILIES.get(name)
        if family is not None:
            spec = CATALOG[family.dataset]
            rows.append(
                {
                    "name": name,
                    "version": "1",
                    "cases": family.size,
                    "source": spec.repo_id + (" (gated)" if spec.gated else ""),
                    "url": hub_url(spec),
                    "shots": family.default_shots,
                    "description": family.description,
                }
            )
            continue
        suite = load_suite(name)
        rows.append(
            {
                "name": name,
                "version": suite.header.version,
                "cases": suite.n_cases,
                "source": str(suite.header.metadata.get("source") or "packaged"),
                "description": suite.header.description,
            }
        )
    if json_out:
        print_json(rows)
        return
    from benchlab.cli.display.tables import print_table

    print_table("Built-in suites", ["name", "cases", "source", "description"], rows)


@app.command()
def models(
    models_file: Annotated[
        Path | None, typer.Option("--models", help="Also list this file.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """List provider families, priced models and the profiles of a models file."""
    from benchlab.providers.pricing import priced_models
    from benchlab.providers.profiles import load_models_file
    from benchlab.providers.registry import all_families

    families = [
        {
            "provider": f.name,
            "description": f.description,
            "key": f.key_env or "",
            "base_url": f.base_url_env or "",
        }
        for f in all_families()
    ]
    prices = [
        {"model": spec, "input_per_1m": p.input, "output_per_1m": p.output}
        for spec, p in sorted(priced_models().items())
    ]
    profiles = (
        [p.model_dump(mode="json", exclude_none=True) for p in load_models_file(models_file)]
        if models_file
        else []
    )
    if json_out:
        print_json({"providers": families, "prices": prices, "profiles": profiles})
        return
    from benchlab.cli.display.tables import print_table

    print_table("Providers", ["provider", "description", "key", "base_url"], families)
    print_table(
        "Built-in prices (US$ per 1M tokens)", ["model", "input_per_1m", "output_per_1m"], prices
    )
    if profiles:
        print_table("Profiles", ["name", "spec"], profiles)


@app.command()
def version() -> None:
    """Print benchlab's version."""
    from benchlab import __version__

    sys.stdout.write(__version__ + "\n")
