"""`benchlab build`: a suite's cases as a JSONL suite file, grids expanded.

The file runs as it is (`benchlab run cases.jsonl -m MODEL`) and asks the same
prompts as the suite: a JSONL file has no header, so each case's input is its
rendered prompt (template applied; with the system prompt, a chat) and the
suite's default scorers are written into every case.
That makes a grid's expansion something a researcher can read, diff, edit by
hand, or hand to another tool.
"""

from __future__ import annotations

import json
from typing import IO, Any

from benchlab.suites.loader import load_suite
from benchlab.suites.sampling import sample_suite
from benchlab.suites.template import PromptRenderer


def write_cases(suite_ref: str, out: IO[str], *, limit: int | None = None, seed: int = 0) -> int:
    """Write the (sampled) cases of a suite as JSONL; returns how many."""
    suite = load_suite(suite_ref)
    header = suite.header
    chosen = set(sample_suite(suite, limit, seed))
    scorers = [s.model_dump(exclude_defaults=True) for s in header.scorers]
    renderer = PromptRenderer(header)
    count = 0
    for case in suite.iter_cases():
        if case.id not in chosen:
            continue
        row: dict[str, Any] = case.model_dump(mode="json", exclude_defaults=True)
        messages = renderer.render(case)  # the suite's template and system prompt, applied
        single = len(messages) == 1 and messages[0]["role"] == "user"
        row["input"] = messages[0]["content"] if single else messages
        if "scorers" not in row and scorers:
            row["scorers"] = scorers
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
