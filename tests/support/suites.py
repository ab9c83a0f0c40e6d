"""Small suite files written by tests."""

from __future__ import annotations

import json
from pathlib import Path


def write_jsonl_suite(path: Path, n: int, *, categories: int = 3) -> Path:
    """n arithmetic cases whose expected answer is the echo-server's answer text."""
    with path.open("w") as handle:
        for i in range(n):
            handle.write(
                json.dumps(
                    {
                        "id": f"c{i}",
                        "input": f"answer {i}",
                        "expected": str(i),
                        "metadata": {"category": f"cat{i % categories}"},
                    }
                )
                + "\n"
            )
    return path
