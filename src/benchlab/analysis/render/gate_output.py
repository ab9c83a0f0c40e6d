"""What a gate leaves for humans and CI: a pull-request comment (markdown) and JUnit XML.

The markdown is written to be posted as is: the verdict first, one table a
reviewer can read in seconds, the case counts, the checks, then the cases
folded away with links to the dashboard when `BENCHLAB_URL` is known. The
JUnit file has one test case per case and model plus one per gate check.

Both are written from the same `GateResult` and the same per-case outcomes
(`gate.classify`), so they always agree: a JUnit <failure> is exactly a case
the markdown counts as "pass → fail" (or a failed check), a JUnit <error> is
exactly a case it counts as errored (errors are never failures), and a case
failing in both runs is a <skipped type="known-failure"> (as pytest writes an
expected failure), because a change that did not make it worse did not fail it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlencode

from benchlab.analysis.compare import ModelComparison
from benchlab.analysis.gate import (
    ERRORED,
    KNOWN_FAILURE,
    LEFT_OUT,
    PASS,
    REGRESSED,
    CaseOutcome,
    Check,
    GateResult,
)
from benchlab.format import money, percent, points, points_interval

MAX_LISTED = 50
VERDICT_MARK = {
    "regression": "🔴 regression",
    "improvement": "🟢 improvement",
    "no_change": "⚪ no change",
    "untested": "⚫ untested",
}
OUTCOME_WORDS = {
    PASS: "pass",
    REGRESSED: "pass → fail",
    KNOWN_FAILURE: "failing in both runs",
    ERRORED: "errored (left out)",
    LEFT_OUT: "not compared",
}


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


def _counts(outcomes: Sequence[CaseOutcome]) -> dict[str, list[CaseOutcome]]:
    grouped: dict[str, list[CaseOutcome]] = {kind: [] for kind in OUTCOME_WORDS}
    for o in outcomes:
        grouped[o.outcome].append(o)
    return grouped


def _check_line(check: Check) -> str:
    mark = "✅" if check.passed else "❌"
    return f"- {mark} `{check.model}` {check.name.replace('_', ' ')}: {check.detail}"


def gate_markdown(result: GateResult, base_url: str | None = None) -> str:
    comp = result.comparison
    a, b = comp.run_a.id, comp.run_b.id
    links = Links(base_url)
    failed = [c for c in result.checks if not c.passed]
    head = "✅ passed" if result.passed else "❌ failed"
    if failed:
        head += " (" + ", ".join(dict.fromkeys(c.name.replace("_", " ") for c in failed)) + ")"
    lines = [f"## benchlab gate: {head}", ""]
    if any(c.name == "errors" for c in result.checks):
        lines += [
            "> ⚠️ **Errored attempts** (failed requests, missing answers, scorer errors) are "
            "not counted as failures: the cases they touch are left out of the comparison"
            + (
                " (accepted by --allow-errors)."
                if result.options.allow_errors
                else ", and the gate fails until they are resolved (see the errors check)."
            ),
            "",
        ]
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
        ci_text = points_interval(ci)
        p = e.get("p_value_adjusted")
        lines.append(
            f"| {e['model']} | {e['n_paired']} | {percent(e['a'])} | {percent(e['b'])} | "
            f"{points(e['delta'])} | {ci_text} | {'-' if p is None else f'{p:.3g}'} | "
            f"{VERDICT_MARK[e['verdict']]} |"
        )
    lines += ["", "**Cases**", ""]
    for item in comp.models:
        grouped = _counts(result.outcomes(item))
        counts = " · ".join(f"{len(grouped[kind])} {word}" for kind, word in OUTCOME_WORDS.items())
        lines.append(f"- `{item.entry['model']}`: {counts}")
    lines += ["", "**Checks**", ""]
    lines += [_check_line(check) for check in result.checks]
    lines += ["", "| model | cost baseline | cost candidate | p50 ms baseline | p50 ms candidate |"]
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for item in comp.models:
        e = item.entry
        la, lb = e["latency_ms"]["a"] or {}, e["latency_ms"]["b"] or {}
        lines.append(
            f"| {e['model']} | {money(e['cost_usd']['a'])} | {money(e['cost_usd']['b'])} | "
            f"{_ms(la.get('p50'))} | {_ms(lb.get('p50'))} |"
        )
    for item in comp.models:
        lines += _model_details(item, result, links)
    return "\n".join(lines) + "\n"


def _model_details(item: ModelComparison, result: GateResult, links: Links) -> list[str]:
    e = item.entry
    b = result.comparison.run_b.id
    grouped = _counts(result.outcomes(item))
    worse = [o.label for o in grouped[REGRESSED]]
    better = e["flips"]["fail_to_pass"]
    lines: list[str] = []
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
    if grouped[ERRORED]:
        errored = [o.label for o in grouped[ERRORED]]
        lines += [
            "",
            f"<details><summary>{e['model']}: {len(errored)} errored cases, left out of "
            "the test</summary>",
            "",
            "errored: " + _listing(errored, lambda x: links.case(b, x)),
            "",
        ]
        for side, word in (("b", "candidate"), ("a", "baseline")):
            for kind, message in e["errored"][side]["messages"].items():
                quoted = message.replace("`", "'")
                lines.append(f"- {word}, {kind}: `{quoted}`")
        lines += ["", "</details>"]
    if grouped[KNOWN_FAILURE]:
        known = [o.label for o in grouped[KNOWN_FAILURE]]
        lines += [
            "",
            f"<details><summary>{e['model']}: {len(known)} failing in both runs "
            "(no worse than the baseline)</summary>",
            "",
            _listing(known, lambda x: links.case(b, x)),
            "",
            "</details>",
        ]
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
    return lines


JUNIT = {
    REGRESSED: ("failure", "regression"),
    ERRORED: ("error", "attempt-error"),
    KNOWN_FAILURE: ("skipped", "known-failure"),
    LEFT_OUT: ("skipped", "not-compared"),
}


def _case_status(outcome: CaseOutcome) -> tuple[str, str, str] | None:
    """(element, type, message) of a case's JUnit test case; None when it passes."""
    if outcome.outcome == PASS:
        return None
    element, kind = JUNIT[outcome.outcome]
    return (element, kind, outcome.message)


def _check_status(check: Check) -> tuple[str, str, str] | None:
    if check.passed:
        return None
    return ("error" if check.infrastructure else "failure", check.name, check.detail)


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
        for outcome in result.outcomes(item):
            tc = ET.SubElement(
                suite, "testcase", classname=f"{model}.{outcome.suite}", name=outcome.case_id
            )
            _add_status(tc, _case_status(outcome), counts)
        for check in result.checks_of(item):
            tc = ET.SubElement(suite, "testcase", classname=f"{model}.gate", name=check.name)
            _add_status(tc, _check_status(check), counts)
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
