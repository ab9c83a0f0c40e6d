"""`benchlab compare`: run B against run A, case by case, with a verdict per model."""

from typing import Annotated, Any

import typer

from benchlab.cli.app import DbOpt, JsonOpt, app, print_json
from benchlab.format import money, percent, points, points_interval

AlphaOpt = Annotated[
    float, typer.Option("--alpha", help="Significance level for verdicts (after adjustment).")
]


@app.command()
def compare(
    run_a: Annotated[str, typer.Argument(help="The baseline run (id or unique prefix).")],
    run_b: Annotated[
        str | None,
        typer.Argument(help="The run judged against it (default RUN_A: compare its passes)."),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Only this model (in both runs).")
    ] = None,
    model_a: Annotated[str | None, typer.Option("--model-a", help="Model of RUN_A ...")] = None,
    model_b: Annotated[
        str | None, typer.Option("--model-b", help="... compared with this model of RUN_B.")
    ] = None,
    alpha: AlphaOpt = 0.05,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap and permutation draws.")] = 0,
    pass_a: Annotated[
        str | None,
        typer.Option(
            "--pass-a", metavar="N|judge=MODEL", help="Scoring pass of RUN_A (default latest)."
        ),
    ] = None,
    pass_b: Annotated[
        str | None,
        typer.Option(
            "--pass-b", metavar="N|judge=MODEL", help="Scoring pass of RUN_B (default latest)."
        ),
    ] = None,
    db: DbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Paired per-case comparison: delta with 95% CI, McNemar p-value, flips, verdict.

    Two scoring passes of one run compare like two runs: `compare RUN --pass-a 1
    --pass-b 2` (judge A against judge B on the very same answers)."""
    from benchlab import api
    from benchlab.errors import ConfigError

    if run_b is None and pass_a is None and pass_b is None:
        raise ConfigError("RUN_B: give a second run, or --pass-a/--pass-b to compare passes")
    data = api.compare(
        run_a,
        run_b or run_a,
        db=db,
        model=model,
        model_a=model_a,
        model_b=model_b,
        alpha=alpha,
        seed=seed,
        pass_a=pass_a,
        pass_b=pass_b,
    )
    if json_out:
        print_json(data)
        return
    print_comparison(data)


# The table's headers carry the unit ("Δ pp"), so its cells drop it.
def _delta_cell(x: float | None) -> str:
    return points(x).removesuffix(" pp")


def _ci_cell(ci: list[float] | None) -> str:
    return points_interval(ci).removesuffix(" pp")


def _p(x: float | None) -> str:
    return "-" if x is None else f"{x:.3g}"


STYLE = {
    "regression": "bold red",
    "improvement": "bold green",
    "no_change": "dim",
    "untested": "bold yellow",
}


COMPARE_HEAD = ["model", "paired", "A", "B", "Δ pp", "95% CI pp", "p", "verdict", "MDE pp"]
COMPARE_HEAD += ["cost A → B", "p50 ms A → B"]


def print_comparison(data: dict[str, Any]) -> None:
    from benchlab.cli.display import tables as render

    console = render.make_console()
    table = render.new_table(
        f"{data['run_b']} against {data['run_a']} (alpha {data['alpha']:g}, "
        f"p Holm-adjusted over models)",
        COMPARE_HEAD,
        left=("verdict",),
    )
    for m in data["models"]:
        lat_a, lat_b = m["latency_ms"]["a"] or {}, m["latency_ms"]["b"] or {}
        p50 = (
            "-"
            if lat_a.get("p50") is None or lat_b.get("p50") is None
            else f"{lat_a['p50']:,.0f} → {lat_b['p50']:,.0f}"
        )
        table.add_row(
            m["model"],
            str(m["n_paired"]),
            percent(m["a"]),
            percent(m["b"]),
            _delta_cell(m["delta"]),
            _ci_cell(m["ci95"]),
            _p(m.get("p_value_adjusted")),
            f"[{STYLE[m['verdict']]}]{m['verdict']}[/]",
            "-" if m["mde"] is None else f"±{100 * m['mde']:.1f}",
            f"{money(m['cost_usd']['a'])} → {money(m['cost_usd']['b'])}",
            p50,
        )
    render.print_fitting(console, table)
    methods = sorted({m["ci_method"] for m in data["models"] if m.get("ci_method")})
    if methods:
        console.print(f"95% CI by {', '.join(methods)}", highlight=False)
    if data.get("scores_from"):
        from benchlab.store.passes import describe_pass

        for side in ("a", "b"):
            run = data[f"run_{side}"]
            line = describe_pass(data["scores_from"][side])
            console.print(f"{side.upper()} {run}: {line}", highlight=False)
    for m in data["models"]:
        cats = m["by_category"]
        if cats:
            cat_table = render.new_table(
                f"{m['model']} by category (p Benjamini-Hochberg-adjusted)",
                ["category", "paired", "A", "B", "Δ pp", "95% CI pp", "p", "verdict"],
            )
            for name, c in cats.items():
                cat_table.add_row(
                    name,
                    str(c["n_paired"]),
                    percent(c["a"]),
                    percent(c["b"]),
                    _delta_cell(c["delta"]),
                    _ci_cell(c["ci95"]),
                    _p(c["p_value_adjusted"]),
                    f"[{STYLE[c['verdict']]}]{c['verdict']}[/]",
                )
            render.print_fitting(console, cat_table)
        for key, arrow in (("pass_to_fail", "pass → fail"), ("fail_to_pass", "fail → pass")):
            ids = m["flips"][key]
            if ids:
                shown = ", ".join(ids[:20]) + (f" … (+{len(ids) - 20})" if len(ids) > 20 else "")
                console.print(f"{m['model']}: {len(ids)} {arrow}: {shown}", highlight=False)
        for side in ("a", "b"):
            errored = m["errored"][side]
            if errored["attempts"]:
                kinds = ", ".join(f"{k}: {n}" for k, n in errored["by_kind"].items())
                n = len(errored["cases"])
                console.print(
                    f"{m['model']}: {n} case{'' if n == 1 else 's'} left out for errors in run "
                    f"{side.upper()} ({errored['attempts']} errored attempts; {kinds})",
                    highlight=False,
                )
        for key, side in (("only_in_a", "A"), ("only_in_b", "B")):
            if m[key]:
                console.print(
                    f"{m['model']}: {len(m[key])} cases only in run {side} (left out of the test)"
                )
    unmatched = data["unmatched_models"]
    if unmatched["a"] or unmatched["b"]:
        console.print(
            f"not compared: only in A: {', '.join(unmatched['a']) or '-'}; "
            f"only in B: {', '.join(unmatched['b']) or '-'}"
        )
