"""How `run` and `resume` end when attempts errored: what failed, how to finish, the exit code.

An errored attempt has no verdict, so a run with errors has not measured what
it was asked to: it exits 3 (not 0, not 1: a budget stop or a failed gate is
1), says on stderr per kind how many failed and the first message, and prints
the command that finishes it. `--max-error-rate R` accepts up to that share
of errors (exit 0, the summary still printed); a model that refused every
request (bad key, no such model) fails the run whatever the share.
"""

from __future__ import annotations

import sys
from typing import Any

from benchlab.format import percent

EXIT_ERRORS = 3


def check_max_error_rate(value: float | None) -> None:
    from benchlab.errors import ConfigError

    if value is not None and not 0.0 <= value <= 1.0:
        raise ConfigError(f"--max-error-rate: expected a share between 0 and 1, got {value:g}")


def error_lines(summary: dict[str, Any]) -> list[str]:
    """The stderr report of a run's errors, grouped by kind (empty when there are none)."""
    errors = int(summary.get("errors") or 0)
    run_id = summary["run_id"]
    lines: list[str] = []
    if summary.get("status") == "failed" and summary.get("error"):
        lines += [f"error: {part}" for part in str(summary["error"]).splitlines()]
    if errors:
        attempts = int(summary.get("attempts") or 0)
        share = f" ({percent(errors / attempts)})" if attempts else ""
        lines.append(f"{errors} of {attempts} attempts errored{share} and have no verdict:")
        for kind, info in (summary.get("errors_by_kind") or {}).items():
            lines.append(f"  {kind}: {info['count']} — first: {info['first_message']}")
    if lines:
        lines.append("finish them (errored and unsent attempts are asked again) with:")
        lines.append(f"benchlab resume {run_id} --retry-errors")
    return lines


def finish_code(summary: dict[str, Any], max_error_rate: float | None) -> int:
    """The exit code of a finished run: 0 all judged (or errors within the accepted share),
    1 stopped by the budget, 3 errors (a refusing model always)."""
    status = summary.get("status")
    if status == "stopped_budget":
        return 1
    if status == "failed":
        return EXIT_ERRORS
    errors = int(summary.get("errors") or 0)
    attempts = int(summary.get("attempts") or 0)
    if errors == 0:
        return 0 if status == "completed" else 1
    if max_error_rate is not None and attempts and errors / attempts <= max_error_rate:
        return 0
    return EXIT_ERRORS


def report_errors(summary: dict[str, Any], max_error_rate: float | None) -> int:
    """Print the error report on stderr; returns the exit code."""
    lines = error_lines(summary)
    code = finish_code(summary, max_error_rate)
    if lines and code == 0:
        lines[-2:] = [
            f"accepted by --max-error-rate {max_error_rate:g}; to finish them anyway:",
            lines[-1],
        ]
    if lines:
        sys.stderr.write("\n".join(lines) + "\n")
    return code
