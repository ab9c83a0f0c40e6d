"""Exports: one row per attempt (JSONL, CSV) or the whole run as one JSON document.

All three stream from the store, so exporting a large run needs no more
memory than a small one. The JSON document is the format a server's
`POST /api/results` accepts as is.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from benchlab.domain import Attempt
from benchlab.errors import ConfigError
from benchlab.store import Store
from benchlab.store.ingest import DOCUMENT_FORMAT
from benchlab.store.labels import HUMAN
from benchlab.store.passes import PassInfo, resolve_pass

# summary-csv: a grid run's per-level and uplift statistics (analysis/factor_summary_csv.py).
FORMATS = ("jsonl", "csv", "json", "summary-csv")
ROW_FIELDS = [
    "run_id",
    "suite",
    "case_id",
    "model",
    "sample",
    "category",
    "input",
    "output",
    "expected",
    "passed",
    "scores",
    "score_pass",  # which scoring pass the scores come from (0: the run's own)
    "judge_model",  # that pass's judge (per score: score_details)
    "score_details",  # per scorer: value, passed, pass, judge_model, bin, reasoning, explanation
    "error",
    "error_type",
    "latency_ms",
    "input_tokens",
    "output_tokens",
    "cost_usd",
    "cached",
    "finish_reason",
    "attempt_id",  # a string: 63-bit ids do not survive a JavaScript number
]


def prompt_input(prompt: list[dict[str, Any]]) -> str | list[dict[str, Any]]:
    """What the model was asked. One user message (a text case, after its system
    prompt): that text. A conversation (a chat case with several turns): every message
    sent, system included, as a list; the last user turn alone would lose the rest."""
    turns = [m for m in prompt if m.get("role") != "system"]
    if len(turns) == 1 and turns[0].get("role") == "user":
        return str(turns[0].get("content") or "")
    if not turns:
        return ""
    return [dict(m) for m in prompt]


def score_details(a: Attempt) -> dict[str, dict[str, Any]]:
    """Per scorer, what a reader of an export needs to attribute a score: the pass and the
    judge that gave it, a stance's bin and the judge's reasoning (None where not judged)."""
    out: dict[str, dict[str, Any]] = {}
    for s in a.scores:
        details = s.details or {}
        judge = details.get("judge")
        out[s.scorer] = {
            "value": s.value,
            "passed": s.passed,
            "pass": None if s.scorer == HUMAN else s.pass_no,  # labels belong to no pass
            "judge_model": judge.get("model") if isinstance(judge, dict) else None,
            "bin": details.get("bin"),
            "reasoning": details.get("reasoning"),
            "explanation": s.explanation,
        }
    return out


def attempt_row(a: Attempt, shown: PassInfo | None = None) -> dict[str, Any]:
    return {
        "run_id": a.run_id,
        "suite": a.suite,
        "case_id": a.case_id,
        "model": a.model,
        "sample": a.sample,
        "category": a.category,
        "input": prompt_input(a.prompt),
        "output": a.output,
        "expected": a.expected,
        "passed": a.passed,
        "scores": {s.scorer: s.value for s in a.scores},
        "score_pass": None if shown is None else shown.pass_no,
        "judge_model": None if shown is None else shown.judge_model,
        "score_details": score_details(a),
        "error": a.error_message,
        "error_type": a.error_type,
        "latency_ms": a.latency_ms,
        "input_tokens": a.input_tokens,
        "output_tokens": a.output_tokens,
        "cost_usd": a.cost_usd,
        "cached": a.cached,
        "finish_reason": a.finish_reason,
        "attempt_id": str(a.id),
    }


def export_run(
    store: Store, run_id: str, fmt: str, out: IO[str], *, score_pass: str | int | None = None
) -> int:
    """Write the run to `out`; returns the number of attempts (summary-csv: rows) written.

    Scores (and verdicts) come from one scoring pass, `score_pass` (a number,
    `judge=MODEL`, or None for the latest completed), and every row says which.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    run = store.get_run(run_id)
    shown = resolve_pass(store, run.id, score_pass)
    if fmt == "summary-csv":
        from benchlab.analysis.factor_summary_csv import export_summary

        return export_summary(store, run.id, out, score_pass=shown.pass_no)
    if fmt == "json":
        return _export_document(store, run.id, out, shown)
    count = 0
    names, levels = _factor_levels(store, run.id)
    attempts = store.iter_attempts(run.id, pass_no=shown.pass_no)
    if fmt == "jsonl":
        for a in attempts:
            row = attempt_row(a, shown)
            if names:
                row["factors"] = levels.get((a.suite, a.case_id), {})
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            count += 1
        return count
    # A factor named like a row field ("model", say) keeps the field and becomes `factor.NAME`.
    columns = {n: (f"factor.{n}" if n in ROW_FIELDS else n) for n in names}
    writer = csv.DictWriter(out, fieldnames=[*ROW_FIELDS, *columns.values()])
    writer.writeheader()
    for a in attempts:
        row = attempt_row(a, shown)
        for name, value in levels.get((a.suite, a.case_id), {}).items():
            row[columns[name]] = value
        row["scores"] = json.dumps(row["scores"])
        row["score_details"] = json.dumps(row["score_details"], ensure_ascii=False)
        if isinstance(row["input"], list):  # a conversation: its messages as JSON text
            row["input"] = json.dumps(row["input"], ensure_ascii=False)
        if not isinstance(row["expected"], str) and row["expected"] is not None:
            row["expected"] = json.dumps(row["expected"], ensure_ascii=False)
        writer.writerow(row)
        count += 1
    return count


def _export_document(store: Store, run_id: str, out: IO[str], shown: PassInfo) -> int:
    run = store.get_run(run_id)
    head = {
        "format": DOCUMENT_FORMAT,
        "run": json.loads(run.model_dump_json()),
        "error": store.run_error(run_id),
        "scores_from": shown.as_dict(),  # the pass every attempt's scores come from
    }
    text = json.dumps(head, ensure_ascii=False)
    out.write(text[:-1])  # leave the object open: suites and attempts stream after it
    out.write(', "suites": [')
    for i, (name, suite_hash) in enumerate(sorted(store.run_suite_hashes(run_id).items())):
        record = store.suite_record(suite_hash)
        out.write(
            ("," if i else "")
            + json.dumps(
                {
                    "name": name,
                    "hash": suite_hash,
                    "version": record["version"],
                    "source": record["source"],
                    "header": record["header"],
                    "cases": list(_cases(store, suite_hash)),
                },
                ensure_ascii=False,
            )
        )
    out.write('], "attempts": [')
    count = 0
    # Labels are not the run's scores: `benchlab labels export` carries them, not this document.
    for a in store.iter_attempts(run_id, with_cases=False, human=False, pass_no=shown.pass_no):
        out.write(("," if count else "") + a.model_dump_json())
        count += 1
    out.write("]}\n")
    return count


def _factor_levels(
    store: Store, run_id: str
) -> tuple[list[str], dict[tuple[str, str], dict[str, Any]]]:
    """Factor names of the run's grid suites and each grid case's levels.

    A grid's cases are few (the product of its levels), so holding their levels
    costs nothing next to the run; plain suites contribute no columns.
    """
    names: list[str] = []
    levels: dict[tuple[str, str], dict[str, Any]] = {}
    for suite, suite_hash in sorted(store.run_suite_hashes(run_id).items()):
        factors = (store.suite_record(suite_hash)["header"] or {}).get("factors") or {}
        if not factors:
            continue
        names.extend(n for n in factors if n not in names)
        for case in store.iter_cases(suite_hash):
            meta = case["metadata"]
            levels[(suite, case["id"])] = {n: meta.get(n) for n in factors}
    return names, levels


def _cases(store: Store, suite_hash: str) -> Iterator[dict[str, Any]]:
    yield from store.iter_cases(suite_hash)
