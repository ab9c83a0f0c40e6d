"""The per-run summary CSV of a grid run: level means and bin mix, and paired uplifts.

A study's numbers usually end up in a notebook or a spreadsheet next to other
runs', so they are written as one tidy table (one observation per row, a
`kind` column saying which), not as the nested JSON `show --by` prints. The
statistics are exactly `show --by F --paired-by F --json`'s (same functions,
same bootstrap seed): this module only lays them out.

Columns (`COLUMNS`), one row per (every row also names the scoring pass its
scores come from, `score_pass`, and that pass's `judge_model`)

- `kind=level`: (model, factor, level): `n` cases, `mean` score and its 95%
  interval (`ci_low`, `ci_high`, made by `ci_method`: Student's `t` over
  cases; empty below two cases), and for a stance scorer the shares of cases'
  samples in each bin (`neg`, `neu`, `pos`, summing to 1; empty for other
  scorers, whose values have no sides);
- `kind=uplift`: (model, factor, level vs baseline): `mean` of score(level) -
  score(baseline) over the `n` matched sets holding both, with its 95% interval
  (`ci_method` `t`: Student's t over the sets' differences); `baseline` is
  the later level in the suite's order, as in `show --paired-by`'s
  `"landlord-tenant"`; bins empty.

`export --format summary-csv` writes level rows for every factor and uplift
rows for every factor a matched set varies (those outside the suite's
`matched_by`; every factor when it has none); `show --by F --paired-by G --csv
FILE` writes the rows of the report it shows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import IO, Any

from benchlab.analysis.factors import BINS, STANCE, factor_report
from benchlab.errors import ConfigError
from benchlab.store.store import Store
from benchlab.suites.grid import level_text

COLUMNS = [
    "kind",
    "run_id",
    "score_pass",
    "judge_model",
    "model",
    "scorer",
    "factor",
    "level",
    "baseline",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "ci_method",
    *BINS,
]


def _cell(value: Any) -> Any:
    """Empty for a missing number; floats as repr, so a reader gets the very same value."""
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else value


def _interval(found: list[float] | None) -> tuple[Any, Any]:
    return ("", "") if found is None else (_cell(found[0]), _cell(found[1]))


def report_rows(report: dict[str, Any], paired_levels: list[str]) -> Iterator[dict[str, Any]]:
    """The rows of one `factor_report` (what `show --by/--paired-by --json` prints);
    `paired_levels` are the paired factor's levels as text, to split "a-b" keys."""
    scorer = report["scorer"]
    stance = scorer == STANCE
    scoring = report.get("scores_from") or {}
    common = {
        "run_id": report["run_id"],
        "score_pass": scoring.get("pass", ""),
        "judge_model": scoring.get("judge_model") or "",
        "scorer": scorer,
    }
    for entry in report["models"]:
        model = entry["model"]
        for row in entry["levels"]:
            low, high = _interval(row["ci95"])
            yield {
                **common,
                "kind": "level",
                "model": model,
                "factor": report["by"],
                "level": level_text(row["level"]),
                "baseline": "",
                "n": row["n"],
                "mean": _cell(row["mean"]),
                "ci_low": low,
                "ci_high": high,
                "ci_method": row["ci_method"] if row["ci95"] is not None else "",
                **{b: _cell(row["bins"][b]) if stance else "" for b in BINS},
            }
        for pair, found in entry.get("uplift", {}).items():
            level, baseline = _split_pair(pair, paired_levels)
            low, high = _interval(found["ci95"])
            yield {
                **common,
                "kind": "uplift",
                "model": model,
                "factor": report["paired_by"],
                "level": level,
                "baseline": baseline,
                "n": found["n"],
                "mean": _cell(found["mean"]),
                "ci_low": low,
                "ci_high": high,
                "ci_method": found["ci_method"] if found["ci95"] is not None else "",
                **dict.fromkeys(BINS, ""),
            }


def _split_pair(pair: str, levels: list[str]) -> tuple[str, str]:
    """An uplift key `a-b` back into (a, b) by the factor's levels: a level may hold a '-'
    itself ("one-sided"), so splitting at the first '-' would be wrong."""
    for a in levels:
        if pair.startswith(a + "-") and pair[len(a) + 1 :] in levels:
            return a, pair[len(a) + 1 :]
    raise ValueError(f"uplift pair {pair!r} does not join two levels of {levels}")


def _grid_factors(store: Store, run_id: str) -> tuple[dict[str, list[str]], list[str]]:
    """The run's factors with their levels as text (suite order), and those a matched set
    varies, i.e. the ones an uplift can be paired on."""
    levels: dict[str, list[str]] = {}
    paired: list[str] = []
    for _suite, suite_hash in sorted(store.run_suite_hashes(run_id).items()):
        header = store.suite_record(suite_hash)["header"] or {}
        factors: dict[str, list[Any]] = header.get("factors") or {}
        for name, values in factors.items():
            known = levels.setdefault(name, [])
            known.extend(t for t in map(level_text, values) if t not in known)
        matched = header.get("matched_by")
        varied = list(factors) if matched is None else [f for f in factors if f not in matched]
        paired.extend(f for f in varied if f not in paired)
    return levels, paired


def factor_summary(
    store: Store, run_id: str, score_pass: str | int | None = None
) -> list[dict[str, Any]]:
    """Every row of the run's summary: levels of every factor, uplifts of the paired ones.

    A run with no grid suite, or with no scores yet (`run --no-score`), is a
    ConfigError: an empty summary would look like a result.
    """
    run = store.get_run(run_id)
    levels, paired = _grid_factors(store, run.id)
    if not levels:
        raise ConfigError(f"run {run.id} has no grid suite (no factors): a summary CSV needs one")
    rows: list[dict[str, Any]] = []
    for name in levels:
        report = factor_report(
            store, run.id, name, paired_by=name if name in paired else None, score_pass=score_pass
        )
        rows.extend(_rows_checked(report, levels))
    return rows


def report_summary(store: Store, report: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a report `show --by/--paired-by` has already computed (`show --csv`)."""
    levels, _ = _grid_factors(store, report["run_id"])
    return _rows_checked(report, levels)


def _rows_checked(report: dict[str, Any], levels: dict[str, list[str]]) -> list[dict[str, Any]]:
    if not report["models"]:
        run_id = report["run_id"]
        raise ConfigError(
            f"run {run_id} has no scores to summarise (run with --no-score? "
            f"score it with `benchlab score {run_id}`)"
        )
    return list(report_rows(report, levels.get(report["paired_by"] or "", [])))


def write_csv(rows: list[dict[str, Any]], out: IO[str]) -> int:
    """Write the rows with a header; returns how many rows."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


def export_summary(
    store: Store, run_id: str, out: IO[str], *, score_pass: str | int | None = None
) -> int:
    """`export --format summary-csv`: the whole run's summary (one scoring pass); returns
    the number of rows."""
    return write_csv(factor_summary(store, run_id, score_pass), out)
