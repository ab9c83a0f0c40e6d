"""The report as one self-contained HTML page: inline CSS and SVG, no script, no CDN.

It has to open from an e-mail attachment or a CI artifact on a machine with
no network, so everything it shows is in the file; all text from runs (model
names, case ids, tags) is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from benchlab.analysis.render.markdown import (
    ERRORS_HEAD,
    FAILURE_HEAD,
    HISTORY_HEAD,
    SUMMARY_HEAD,
    alert_lines,
    category_table,
    ci_text_raw,
    error_rows,
    errors_note,
    failure_note,
    failure_rows,
    history_rows,
    report_meta,
    summary_rows,
)
from benchlab.analysis.render.svg import Bar, Point, rate_bars, trend_chart

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#111}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ddd;padding:.25rem .55rem;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f5f5f5}
.meta{color:#555}.alert{color:#b91c1c}.ok{color:#15803d}
svg{display:block;margin:.75rem 0;max-width:100%;height:auto}
svg .t{font-size:13px;font-weight:600}svg .l{font-size:12px}svg .a{font-size:11px;fill:#555}
svg .g{stroke:#e5e7eb}svg .w{stroke:#111;stroke-width:1.5;fill:none}
"""


def _plain(text: str) -> str:
    """Verdict marks as glyphs every font has (an offline machine may lack an emoji font)."""
    return text.replace("🔴 ", "▼ ").replace("🟢 ", "▲ ")


def _table(head: list[str], rows: list[list[str]]) -> str:
    out = ["<table><thead><tr>", *(f"<th>{escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{escape(_plain(c))}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _summary_chart(report: dict[str, Any]) -> str:
    bars = []
    for m in report["summary"]["models"]:
        ci = m["ci95"] or [None, None]
        bars.append(Bar(m["model"], m["pass_rate"], ci[0], ci[1]))
    return rate_bars(bars, title="Pass rate with 95% interval")


def _category_charts(report: dict[str, Any]) -> str:
    out = []
    for m in report["summary"]["models"]:
        cats = m.get("by_category") or {}
        if len(cats) < 2:
            continue
        bars = [Bar(name, c["pass_rate"], *(c["ci95"] or [None, None])) for name, c in cats.items()]
        out.append(rate_bars(bars, title=f"{m['model']} by category"))
    return "".join(out)


def _history_chart(report: dict[str, Any], suite: str) -> str:
    series = []
    for entry in report["history"]:
        if entry["suite"] != suite:
            continue
        alerts = {a["run_id"]: a["verdict"] for a in entry["alerts"]}
        points = [
            Point(
                p["run_id"],
                p["pass_rate"],
                low=(p["ci95"] or [None, None])[0],
                high=(p["ci95"] or [None, None])[1],
                alert=alerts.get(p["run_id"]),
                tick=p["created_at"][5:16].replace("T", " "),
            )
            for p in entry["points"]
        ]
        series.append((entry["model"], points))
    if not any(len(points) > 1 for _, points in series):
        return ""
    return trend_chart(series, title=f"{suite}: pass rate over runs (95% band; ringed = alert)")


def report_html(report: dict[str, Any]) -> str:
    run = report["run"]
    title = f"benchlab report: run {run['run_id']}"
    meta = report_meta(report)
    body = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(meta)}</p>',
        "<h2>Summary</h2>",
        _summary_chart(report),
        _table(SUMMARY_HEAD, summary_rows(report)),
    ]
    if report["summary"].get("errors"):
        body += [
            "<h2>Errors</h2>",
            f'<p class="alert">{escape(_plain(errors_note(report)))}</p>',
            _table(ERRORS_HEAD, error_rows(report)),
        ]
    head, rows = category_table(report)
    if rows:
        body += ["<h2>By category</h2>", _category_charts(report), _table(head, rows)]
    score_rows = [
        [m["model"], name, f"{s['mean']:.3f}", ci_text_raw(s["ci95"]), s["ci_method"], str(s["n"])]
        for m in report["summary"]["models"]
        for name, s in (m.get("scores") or {}).items()
    ]
    if score_rows:
        body += [
            "<h2>Scores (mean over cases)</h2>",
            _table(["model", "scorer", "mean", "95% CI", "method", "cases"], score_rows),
        ]
    body += ["<h2>Failures and errors</h2>", f"<p>{escape(failure_note(report))}</p>"]
    if report["failures"]["attempts"]:
        body.append(_table(FAILURE_HEAD, failure_rows(report)))
    css_class = "alert" if report["alerts"] else "ok"
    body += ["<h2>Alerts</h2>", "<ul>"]
    body += [f'<li class="{css_class}">{escape(_plain(line))}</li>' for line in alert_lines(report)]
    body.append("</ul>")
    for suite in run["suites"]:
        entries = [e for e in report["history"] if e["suite"] == suite]
        if not entries:
            continue
        body += [f"<h2>History: {escape(suite)}</h2>", _history_chart(report, suite)]
        for entry in entries:
            body += [
                f"<h3>{escape(entry['model'])}</h3>",
                _table(HISTORY_HEAD, history_rows(entry)),
            ]
    body.append(f'<p class="meta">Generated {escape(report["generated_at"])} by benchlab.</p>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
