"""A production suite built the way a team builds one, for the review queue's tests: a
JSONL log written here, `benchlab samples import`, then `benchlab samples build`.

The log holds chat and text inputs, feedback, and one hostile input (markup and a
script) that the dashboard must show as text.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.runs import cli

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> Bold?'
TOPICS = [
    "reset my password",
    "change the billing address",
    "track parcel",
    "cancel the subscription",
    "update my phone plan",
    "refund a double charge",
]


def write_log(path: Path) -> Path:
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    lines = []
    for i, topic in enumerate(TOPICS):
        question = f"How do I {topic}? Case {i} of the support desk, number {i * 7919}."
        if i == 4:
            question += " Write to ana.lopez@example.org."  # redacted in the suite, counted
        value: object = (
            [
                {"role": "system", "content": "You are a support agent."},
                {"role": "user", "content": question},
            ]
            if i % 2
            else question
        )
        lines.append(
            {
                "timestamp": (start + timedelta(hours=i)).isoformat(),
                "input": value,
                "output": f"To {topic}, open Settings and follow step {i + 1}.",
                "feedback": {"score": (i % 5) / 4, "label": "up" if i % 2 else "down"},
                "metadata": {"category": "account" if i % 2 else "billing"},
            }
        )
    lines.append(
        {
            "timestamp": (start + timedelta(hours=20)).isoformat(),
            "input": HOSTILE,
            "output": "<b>not bold</b>",
            "feedback": {"score": 0.0, "comment": "<i>bad</i>"},
            "metadata": {"category": "other"},
        }
    )
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def write_many_cases(path: Path, cases: int) -> Path:
    """A suite that needs review with `cases` short cases `c0`, `c1`, ..., all unreviewed: what
    reviewers race over (the shape `samples build` writes, without its provenance)."""
    name = path.stem
    lines = [f"name: {name}", "metadata: {review_required: true}", "cases:"]
    for i in range(cases):
        lines.append(f'  - {{id: c{i}, input: "question {i}", expected: "{i}",')
        lines.append("     metadata: {review: unreviewed}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_review_suite(folder: Path, name: str = "prod") -> Path:
    """Import the log into a store in `folder`, build all of it into `folder/suites/NAME.yaml`."""
    log = write_log(folder / "app.jsonl")
    db = str(folder / "samples.db")
    done = cli("samples", "import", str(log), "--db", db)
    assert done.returncode == 0, done.stderr
    out = folder / "suites" / f"{name}.yaml"
    built = cli("samples", "build", name, "--db", db, "-n", "7", "--no-near", "-o", str(out))
    assert built.returncode == 0, built.stderr
    return out
