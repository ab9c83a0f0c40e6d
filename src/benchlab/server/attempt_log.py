"""An attempt's log: what happened while it was asked and scored, as leveled entries.

The store keeps no free-text log per attempt. What it does keep is enough to
tell the story: the error (type and message), how many retries the provider
call took, whether the answer came from the response cache, the finish reason,
tokens, latency and cost, each scorer's verdict and explanation, and the
sandbox's outcome, exit code, duration, isolation, stdout and stderr (in the
code scorers' score details; task scorers add the patch and the test report's
output). This module turns those fields into entries with a level
(`error`, `warning`, `info`, `debug`) so the panel can filter them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchlab.analysis.attempt_views import AttemptDetail
from benchlab.format import money

__all__ = ["LEVELS", "LogEntry", "attempt_log"]

LEVELS = ("error", "warning", "info", "debug")
_DASH = "\u2013"  # a missing number
# Score detail keys that hold a program's or a tool's output, shown as text blocks.
_STREAMS = ("stdout", "stderr", "output", "log", "report")
_SANDBOX_FACTS = ("outcome", "exit_code", "duration_ms", "isolation", "tests_passed", "tests")


@dataclass(frozen=True)
class LogEntry:
    level: str
    source: str
    message: str
    text: str | None = None  # a multi-line body (a stream's output), shown as preformatted text


def _request(a: AttemptDetail) -> list[LogEntry]:
    out: list[LogEntry] = []
    if a.status == "error":
        out.append(LogEntry("error", a.error_type or "error", a.error_message or "(no message)"))
    if a.retries:
        plural = "retry" if a.retries == 1 else "retries"
        out.append(LogEntry("warning", "provider", f"answered after {a.retries} {plural}"))
    if a.cached:
        when = f", first asked {a.cached_at:%Y-%m-%d %H:%M} UTC" if a.cached_at else ""
        out.append(LogEntry("info", "cache", f"answer reused from the response cache{when}"))
    if a.finish_reason == "length":
        out.append(LogEntry("warning", "provider", "answer cut at the token limit (length)"))
    elif a.finish_reason:
        out.append(LogEntry("debug", "provider", f"finish reason: {a.finish_reason}"))
    usage = [
        f"tokens {a.input_tokens if a.input_tokens is not None else _DASH} in"
        f" / {a.output_tokens if a.output_tokens is not None else _DASH} out",
    ]
    if a.latency_ms is not None:
        usage.append(f"latency {a.latency_ms:.1f} ms")
    usage.append(f"cost {money(a.cost_usd)}")
    out.append(LogEntry("debug", "provider", ", ".join(usage)))
    return out


def _facts(details: dict[str, Any]) -> str:
    parts = []
    for key in _SANDBOX_FACTS:
        if details.get(key) is not None:
            parts.append(f"{key.replace('_', ' ')} {details[key]}")
    return ", ".join(parts)


def _stream_level(key: str, passed: bool | None) -> str:
    """stderr of a failed program is the error; of a passing one, a warning; the rest debug."""
    if key != "stderr":
        return "debug"
    return "error" if passed is False else "warning"


def _scoring(a: AttemptDetail) -> list[LogEntry]:
    out: list[LogEntry] = []
    for s in a.scores:
        source = s.scorer if not s.pass_no else f"{s.scorer} (pass {s.pass_no})"
        level = "warning" if s.passed is False else "info"
        verdict = {True: "pass", False: "fail", None: "no verdict"}[s.passed]
        value = _DASH if s.value is None else f"{s.value:.3g}"
        why = f": {s.explanation}" if s.explanation else ""
        out.append(LogEntry(level, source, f"{verdict} ({value}){why}"))
        details = s.details or {}
        facts = _facts(details)
        if facts:
            out.append(LogEntry("info", f"{source} sandbox", facts))
        for key in _STREAMS:
            text = details.get(key)
            if isinstance(text, str) and text.strip():
                out.append(LogEntry(_stream_level(key, s.passed), source, key, text))
    return out


def attempt_log(a: AttemptDetail) -> list[LogEntry]:
    """The request's story, then each scorer's: errors, retries, cache, verdicts, sandbox output."""
    return _request(a) + _scoring(a)
