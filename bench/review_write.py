"""What one review costs on a suite of N built cases: reading the queue, and recording a verdict
(read under the lock, change one case, write the whole file back). Prints CPU seconds per
operation (this process's user+sys), the median of --reps rounds.

    PYTHONPATH=src .venv/bin/python bench/review_write.py [--cases 500] [--writes 5] [--reps 3]

The suite is shaped as `samples build` writes it: chat and text inputs, a production output,
provenance (source, line, timestamp, feedback, metadata) per case.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml


def _suite(cases: int) -> dict[str, Any]:
    out = []
    for i in range(cases):
        question = f"How do I change the billing address of account {i}? I moved last week."
        value: Any = (
            question
            if i % 2
            else [
                {"role": "system", "content": "You are a support agent. Be brief and kind."},
                {"role": "user", "content": question},
            ]
        )
        out.append(
            {
                "id": f"p-{i:016x}",
                "input": value,
                "expected": f"Open Settings > Billing, edit the address and save ({i}). "
                "The change applies to the next invoice.",
                "metadata": {
                    "category": ["billing", "account", "shipping"][i % 3],
                    "review": "unreviewed",
                    "production": {
                        "sample_id": f"{i:016x}",
                        "hash": f"{i:064x}",
                        "source": "/srv/logs/app-2026-11.jsonl",
                        "source_line": i + 1,
                        "source_format": "jsonl",
                        "timestamp": "2026-11-02T10:00:00Z",
                        "model": "openai/gpt-4o-mini",
                        "feedback": {"score": (i % 5) / 4, "label": "up", "comment": None},
                        "dedupe_count": 1 + i % 3,
                        "metadata": {"category": "billing", "tier": "pro", "region": "eu"},
                    },
                },
            }
        )
    return {
        "name": "big",
        "version": "2026-12-07+000000000000",
        "scorers": ["fuzzy"],
        "metadata": {"review_required": True},
        "cases": out,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--writes", type=int, default=5)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()

    from benchlab.samples import review_file

    reads, writes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "big.yaml"
        text = yaml.safe_dump(_suite(args.cases), sort_keys=False, allow_unicode=True, width=100)
        for _ in range(args.reps):
            path.write_text(text, encoding="utf-8")
            start = time.process_time()
            for _ in range(args.writes):
                review_file.read_review_suite(folder, "big")
            reads.append((time.process_time() - start) / args.writes)
            start = time.process_time()
            for i in range(args.writes):
                version = review_file.read_review_suite(folder, "big").version
                review_file.record_review(
                    folder, "big", f"p-{i:016x}", version=version, by="ana", status="accepted"
                )
            # a write as the server makes it: the read the reviewer's page made is not in it
            writes.append((time.process_time() - start) / args.writes - reads[-1])
    size = path.stat().st_size if path.exists() else len(text)
    print(f"suite of {args.cases} cases ({size / 1e6:.2f} MB), median of {args.reps} rounds:")
    print(f"  read the queue:   {statistics.median(reads) * 1000:7.1f} ms CPU")
    print(f"  record a verdict: {statistics.median(writes) * 1000:7.1f} ms CPU (under the lock)")


if __name__ == "__main__":
    main()
