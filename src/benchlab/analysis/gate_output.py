"""What a gate leaves for humans and CI: a pull-request comment (markdown) and JUnit XML.

The markdown is written to be posted as is: the verdict first, one table a
reviewer can read in seconds, the checks, then the flipped cases folded away
with links to the dashboard when `BENCHLAB_URL` is known. The JUnit file has
one test case per case and model, so any CI's test view lists which cases
fail, and says whether each failure is new (passed in the baseline) or old.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlencode

from benchlab.analysis.compare import PairedCase
from benchlab.analysis.gate import GateResult

MAX_LISTED = 50
VERDICT_MARK = {
    "regression": "🔴 regression",
    "improvement": "🟢 improvement",
    "no_change": "⚪ no change",
}


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _pp(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:+.1f} pp"


def _usd(x: float | None) -> str:
    return "unknown" if x is None else f"${x:,.4f}"


def _ms(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


class Links:
    """Dashboard links, or plain text when no dashboard URL is known."""

    def __init__(self, base_url: str | None) -> None:
        self.base = base_url.rstrip("/") if base_url else None

    def run(self, run_id: str) -> str:
        return f"[`{run_id}`]({self.base}/runs/{quote(run_id)})" if self.base else f"`{run_id}`"

    def case(self, run_id: str, label: str) -> str:
        if not self.base:
            return f"`{label}`"
        return f"[`{label}`]({self.base}/runs/{quote(run_id)}?{urlencode({'case': label})})"

    def compare(self, a: str, b: str) -> str | None:
        return f"{self.base}/compare?{urlencode({'a': a, 'b': b})}" if self.base else None


def _listing(labels: Sequence[str], render: Any) -> str:
    shown = ", ".join(render(x) for x in labels[:MAX_LISTED])
    more = len(labels) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def gate_markdown(result: GateResult, base_url: str | None = None) -> str:
    comp = result.comparison
    a, b = comp.run_a.id, comp.run_b.id
    links = Links(base_url)
    head = "✅ passed" if result.passed else "❌ failed"
    lines = [f"## benchlab gate: {head}", ""]
    intro = f"Candidate {links.run(b)} against baseline {links.run(a)}"
    compare_url = links.compare(a, b)
    if compare_url:
        intro += f" · [side by side]({compare_url})"
    n_models = len(comp.models)
    lines += [
        intro
        + f" · alpha {comp.alpha:g}, p-values Holm-adjusted across {n_models} "
        + ("model" if n_models == 1 else "models"),
        "",
        "| model | cases | baseline | candidate | Δ | 95% CI | p (adj.) | verdict |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for item in comp.models:
        e = item.entry
        ci = e["ci95"]
        ci_text = "-" if not ci else f"[{100 * ci[0]:+.1f}, {100 * ci[1]:+.1f}] pp"
        p = e.get("p_value_adjusted")
        lines.append(
            f"| {e['model']} | {e['n_paired']} | {_pct(e['a'])} | {_pct(e['b'])} | "
            f"{_pp(e['delta'])} | {ci_text} | {'-' if p is None else f'{p:.3g}'} | "
            f"{VERDICT_MARK[e['verdict']]} |"
        )
    lines += ["", "**Checks**", ""]
    for check in result.checks:
        mark = "✅" if check.passed else "❌"
        lines.append(f"- {mark} `{check.model}` {check.name.replace('_', ' ')}: {check.detail}")
    lines += ["", "| model | cost baseline | cost candidate | p50 ms baseline | p50 ms candidate |"]
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for item in comp.models:
        e = item.entry
        la, lb = e["latency_ms"]["a"] or {}, e["latency_ms"]["b"] or {}
        lines.append(
            f"| {e['model']} | {_usd(e['cost_usd']['a'])} | {_usd(e['cost_usd']['b'])} | "
            f"{_ms(la.get('p50'))} | {_ms(lb.get('p50'))} |"
        )
    for item in comp.models:
        e = item.entry
        worse, better = e["flips"]["pass_to_fail"], e["flips"]["fail_to_pass"]
        if worse or better:
            lines += [
                "",
                f"<details><summary>{e['model']}: {len(worse)} pass → fail, "
                f"{len(better)} fail → pass</summary>",
                "",
            ]
            if worse:
                lines.append("pass → fail: " + _listing(worse, lambda x: links.case(b, x)))
                lines.append("")
            if better:
                lines.append("fail → pass: " + _listing(better, lambda x: links.case(b, x)))
                lines.append("")
            lines.append("</details>")
        only = [(k, e[k]) for k in ("only_in_a", "only_in_b") if e[k]]
        for key, labels in only:
            side = "baseline" if key == "only_in_a" else "candidate"
            lines += [
                "",
                f"{e['model']}: {len(labels)} cases only in the {side}, left out of the test: "
                + _listing(labels, lambda x: f"`{x}`"),
            ]
        if e.get("mde") is not None:
            lines += [
                "",
                f"<sub>{e['model']}: with {e['n_paired']} paired cases the smallest difference "
                f"this comparison detects with 80% power is ±{100 * e['mde']:.1f} pp.</sub>",
            ]
    return "\n".join(lines) + "\n"


def _case_status(case: PairedCase) -> tuple[str, str, str] | None:
    """(element, type, message) for a failing case of the candidate, None when it passes."""
    b, a = case.b, case.a
    if b is None:
        return ("skipped", "", "not in the candidate run")
    if b.passed == b.judged:
        return None
    if b.errors and b.errors == b.attempts:
        return ("error", "attempt-error", f"every attempt errored ({b.errors})")
    share = f"passed {b.passed}/{b.judged} samples" if b.judged > 1 else "failed"
    if a is None:
        return ("failure", "failure", f"{share}; not in the baseline")
    before = "passed" if a.judged == 1 else f"passed {a.passed}/{a.judged} samples"
    if (b.rate or 0.0) < (a.rate or 0.0):
        return ("failure", "regression", f"regression: {share}, {before} in the baseline")
    return ("failure", "failure", f"{share}; also failing in the baseline")


def gate_junit(result: GateResult) -> str:
    """JUnit XML: a suite per model with a test case per case, plus the gate's own checks."""
    comp = result.comparison
    root = ET.Element("testsuites", name="benchlab gate")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for item in comp.models:
        model = item.model_b
        suite = ET.SubElement(root, "testsuite", name=f"benchlab.{model}")
        props = ET.SubElement(suite, "properties")
        for name, run_id in (("baseline", comp.run_a.id), ("candidate", comp.run_b.id)):
            ET.SubElement(props, "property", name=name, value=run_id)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for case in item.cases:
            tc = ET.SubElement(
                suite, "testcase", classname=f"{model}.{case.suite}", name=case.case_id
            )
            _add_status(tc, _case_status(case), counts)
        for check in (c for c in result.checks if c.model in (item.entry["model"], "*")):
            tc = ET.SubElement(suite, "testcase", classname=f"{model}.gate", name=check.name)
            _add_status(tc, None if check.passed else ("failure", check.name, check.detail), counts)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _add_status(
    tc: ET.Element, status: tuple[str, str, str] | None, counts: dict[str, int]
) -> None:
    counts["tests"] += 1
    if status is None:
        return
    element, kind, message = status
    child = ET.SubElement(tc, element, message=message)
    if kind:
        child.set("type", kind)
    counts[{"failure": "failures", "error": "errors", "skipped": "skipped"}[element]] += 1
