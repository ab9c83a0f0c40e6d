"""A built report (`analysis.report.build_report`) as markdown, and the rows and notes
the HTML page (`render.html`) and the CLI's history table share with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchlab.format import money, percent, points, points_interval

VERDICT = {"regression": "🔴 regression", "improvement": "🟢 improvement", "no_change": "no change"}


def ci_text(ci: list[float] | None) -> str:
    return "-" if not ci else f"[{100 * ci[0]:.1f}, {100 * ci[1]:.1f}]"


def ms(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def summary_rows(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    for m in report["summary"]["models"]:
        lat = m["latency_ms"]
        rows.append(
            [
                m["model"],
                percent(m["pass_rate"]),
                ci_text(m["ci95"]),
                m.get("ci_method", "wilson"),
                str(m["attempts"]),
                str(m["errors"]),
                money(m["cost_usd"]),
                ms(lat["mean"]),
                ms(lat["p50"]),
                ms(lat["p95"]),
            ]
        )
    return rows


def error_rows(report: dict[str, Any]) -> list[list[str]]:
    """Errored attempts per model and kind with the first message (empty: none)."""
    return [
        [m["model"], kind, str(e["count"]), e["first_message"]]
        for m in report["summary"]["models"]
        for kind, e in (m.get("errors_by_kind") or {}).items()
    ]


def errors_note(report: dict[str, Any]) -> str:
    """What errors mean for the numbers above, and how to finish the run."""
    summary = report["summary"]
    return (
        f"{summary['errors']} of {summary['attempts']} attempts errored and have no verdict: "
        "every pass rate here is over the judged attempts only. Finish them with "
        f"`benchlab resume {summary['run_id']} --retry-errors`."
    )


ERRORS_HEAD = ["model", "kind", "count", "first message"]
SUMMARY_HEAD = ["model", "pass rate", "95% CI", "method", "attempts", "errors", "cost"]
SUMMARY_HEAD += ["mean ms", "p50 ms", "p95 ms"]
HISTORY_HEAD = [
    "run",
    "date (UTC)",
    "cases",
    "pass rate",
    "95% CI",
    "Δ vs previous",
    "p (BH)",
    "verdict",
]


def category_table(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    models = report["summary"]["models"]
    names = sorted({c for m in models for c in (m.get("by_category") or {})})
    rows = []
    for name in names:
        row = [name]
        for m in models:
            c = (m.get("by_category") or {}).get(name)
            row.append(
                "-" if c is None else f"{percent(c['pass_rate'])} {ci_text(c['ci95'])} n={c['n']}"
            )
        rows.append(row)
    return ["category", *(m["model"] for m in models)], rows


def history_rows(entry: dict[str, Any]) -> list[list[str]]:
    changes = {c["run_id"]: c for c in entry["changes"]}
    rows = []
    for p in entry["points"]:
        change = changes.get(p["run_id"])
        p_adj = None if change is None else change.get("p_value_adjusted")
        rows.append(
            [
                p["run_id"],
                p["created_at"][:16].replace("T", " "),
                str(p["cases"]),
                percent(p["pass_rate"]),
                ci_text(p["ci95"]),
                "-" if change is None else points(change["delta"]),
                "-" if p_adj is None else f"{p_adj:.3g}",
                "-" if change is None else VERDICT[change["verdict"]],
            ]
        )
    return rows


def alert_lines(report: dict[str, Any]) -> list[str]:
    if not report["alerts"]:
        return ["No significant change between consecutive runs in the history shown."]
    return [
        f"{VERDICT[a['verdict']]}: {a['model']} on {a['suite']}, run {a['run_id']} against "
        f"{a['previous_run_id']}: {points(a['delta'])}, 95% CI {points_interval(a['ci95'])}, "
        f"p = {a['p_value_adjusted']:.3g} (BH), {a['flips']['pass_to_fail']} pass→fail, "
        f"{a['flips']['fail_to_pass']} fail→pass"
        for a in report["alerts"]
    ]


FAILURE_HEAD = ["model", "case", "sample", "verdict", "reason"]


def failure_rows(report: dict[str, Any]) -> list[list[str]]:
    return [
        [r["model"], f"{r['suite']}/{r['case_id']}", str(r["sample"]), r["verdict"], _one_line(r)]
        for r in report["failures"]["attempts"]
    ]


def _one_line(row: dict[str, Any], limit: int = 300) -> str:
    """A reason fit for a table cell: one line (a test's stderr has many), at most `limit`."""
    text = " ".join(str(row["reason"]).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failure_note(report: dict[str, Any]) -> str:
    """How many failed and errored, and how many of them are listed."""
    found = report["failures"]
    total = found["failures"] + found["errors"]
    if not total:
        return "Every attempt passed."
    note = f"{found['failures']} failed, {found['errors']} errors (no verdict)."
    if found["shown"] < total:
        note += (
            f" The first {found['shown']} are listed; all of them: "
            f"`benchlab show {report['run']['run_id']} --failures`."
        )
    return note


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    def cell(x: str) -> str:
        return x.replace("|", "\\|")

    out = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    out += ["| " + " | ".join(cell(x) for x in row) + " |" for row in rows]
    return out


@dataclass
class ReportSection:
    """One section of the report, in the order every reader shows them: a title, notes
    (paragraphs), bullet items, then a table. The markdown below and the dashboard's
    report page (server/page_report.py) both lay out these, so they hold the same text."""

    key: str  # summary, errors, categories, scores, failures, alerts, history
    title: str
    notes: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    suite: str | None = None  # history: whose pass rates the rows are
    model: str | None = None


SCORES_HEAD = ["model", "scorer", "mean", "95% CI", "method", "cases"]


def report_meta(report: dict[str, Any]) -> str:
    """The line under the title: suites, status, when, seed, version, tags."""
    run = report["run"]
    tags = ", ".join(f"{k}={v}" for k, v in run["tags"].items())
    return (
        f"Suites {', '.join(run['suites'])} · status {run['status']} · created "
        f"{run['created_at'][:19].replace('T', ' ')} UTC · seed {run['seed']} · benchlab "
        f"{run['benchlab_version']}" + (f" · tags {tags}" if tags else "")
    )


def report_sections(report: dict[str, Any]) -> list[ReportSection]:
    sections = [ReportSection("summary", "Summary", head=SUMMARY_HEAD, rows=summary_rows(report))]
    if report["summary"].get("errors"):
        sections.append(
            ReportSection(
                "errors",
                "Errors",
                notes=[errors_note(report)],
                head=ERRORS_HEAD,
                rows=error_rows(report),
            )
        )
    head, rows = category_table(report)
    if rows:
        sections.append(ReportSection("categories", "By category", head=head, rows=rows))
    score_rows = [
        [m["model"], name, f"{s['mean']:.3f}", ci_text_raw(s["ci95"]), s["ci_method"], str(s["n"])]
        for m in report["summary"]["models"]
        for name, s in (m.get("scores") or {}).items()
    ]
    if score_rows:
        sections.append(
            ReportSection("scores", "Scores (mean over cases)", head=SCORES_HEAD, rows=score_rows)
        )
    failed = failure_rows(report)
    sections.append(
        ReportSection(
            "failures",
            "Failures and errors",
            notes=[failure_note(report)],
            head=FAILURE_HEAD if failed else [],
            rows=failed,
        )
    )
    sections.append(ReportSection("alerts", "Alerts", items=alert_lines(report)))
    for entry in report["history"]:
        sections.append(
            ReportSection(
                "history",
                f"History: {entry['model']} on {entry['suite']}",
                head=HISTORY_HEAD,
                rows=history_rows(entry),
                suite=entry["suite"],
                model=entry["model"],
            )
        )
    return sections


def report_markdown(report: dict[str, Any]) -> str:
    lines = [f"# benchlab report: run {report['run']['run_id']}", "", report_meta(report)]
    for section in report_sections(report):
        blocks = [[note] for note in section.notes]
        if section.items:
            blocks.append([f"- {x}" for x in section.items])
        if section.rows:
            blocks.append(_md_table(section.head, section.rows))
        lines += ["", f"## {section.title}"]
        for block in blocks:
            lines += ["", *block]
    lines += ["", f"<sub>Generated {report['generated_at']} by benchlab.</sub>"]
    return "\n".join(lines) + "\n"


def ci_text_raw(ci: list[float] | None) -> str:
    return "-" if not ci else f"[{ci[0]:.3f}, {ci[1]:.3f}]"
