"""`AttemptDetail`s as the API returns them, built from plain fields for the tests of the
pure views over one attempt (server/attempt_view.py, server/attempt_log.py)."""

from __future__ import annotations

from typing import Any

from benchlab.analysis.attempt_views import AttemptDetail, AttemptLogs
from benchlab.domain import Score

__all__ = ["detail"]


def detail(output: str | None, expected: Any, *scores: Score, **extra: Any) -> AttemptDetail:
    fields: dict[str, Any] = {
        "id": "1",
        "run_id": "r",
        "suite": "s",
        "case_id": "c",
        "model": "m",
        "sample": 0,
        "status": "ok",
        "prompt": [{"role": "user", "content": "q"}],
        "output": output,
        "tool_calls": None,
        "finish_reason": "stop",
        "input_tokens": 3,
        "output_tokens": 1,
        "latency_ms": 5.0,
        "cost_usd": None,
        "error_type": None,
        "error_message": None,
        "cached": False,
        "cached_at": None,
        "retries": 0,
        "expected": expected,
        "category": None,
        "finished_at": None,
        "scores": list(scores),
        "passed": None,
        "case": None,
        "logs": AttemptLogs(
            finish_reason="stop", retries=0, cached=False, error_type=None, error_message=None
        ),
        "artifacts": [],
        "others": [],
    }
    return AttemptDetail.model_validate({**fields, **extra})
