"""An attempt's log: errors, retries, cache and truncation as leveled entries."""

from __future__ import annotations

from benchlab.server.attempt_log import attempt_log
from support.attempt_details import detail


def test_the_log_tells_errors_retries_cache_and_truncation() -> None:
    errored = detail(
        None,
        "x",
        status="error",
        error_type="timeout",
        error_message="no answer in 30 s",
        retries=2,
        cached=True,
        finish_reason="length",
    )
    entries = [(e.level, e.source, e.message) for e in attempt_log(errored)]
    assert entries[0] == ("error", "timeout", "no answer in 30 s")
    assert ("warning", "provider", "answered after 2 retries") in entries
    assert ("warning", "provider", "answer cut at the token limit (length)") in entries
    assert any(level == "info" and source == "cache" for level, source, _ in entries)


def test_sandbox_output_is_leveled_by_the_verdict() -> None:
    from benchlab.domain import Score

    def stderr_level(passed: bool) -> str:
        details = {"outcome": "x", "exit_code": 0, "stdout": "hi", "stderr": "DeprecationWarning"}
        score = Score(scorer="python_tests", value=1.0, passed=passed, details=details)
        entries = {e.message: e for e in attempt_log(detail("a", None, score))}
        assert entries["stdout"].level == "debug" and entries["stdout"].text == "hi"
        assert "exit code 0" in next(e.message for e in entries.values() if "sandbox" in e.source)
        return entries["stderr"].level

    assert (stderr_level(True), stderr_level(False)) == ("warning", "error")
