"""Test reports: which tests a task's runner ran and how each ended, read from its own output.

A task passes on its runner's structured report, never on an exit status
alone: an answer that exits 0 before its tests (`os._exit(0)` on import,
Go's `func init() { os.Exit(0) }`, `process.exit(0)`, a patched
`TestCase.run`) leaves a report that lacks the declared tests, so it fails.
Each format is what the runner itself writes on stdout:

- `unittest`: the one JSON line of benchlab's own runner (`{unittest}` in the
  test command; see unittest_runner.py),
- `go-json`: `go test -json` events,
- `tap`: TAP, as node's runner prints it (`node --test --test-reporter=tap`)
  and as the C++ harnesses of the catalog do,
- `libtest`: Rust's test harness (`test NAME ... ok` lines and the
  `test result:` summary; its JSON format is unstable-only).

`judge` holds the rule shared by every format: the runner reached its end
(its summary or plan is there and agrees with the tests listed), no test
failed, and every declared test (a count, or names) ran and passed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Status = Literal["passed", "failed", "skipped"]
UNITTEST_MARKER = "BENCHLAB-UNITTEST-REPORT "


@dataclass(frozen=True)
class Report:
    """What a runner's output says; `problem` when the output cannot be trusted as a report."""

    tests: tuple[tuple[str, Status], ...] = ()
    complete: bool = False  # the runner reached its end: its summary or plan is there
    problem: str = ""


def parse_unittest(stdout: str) -> Report:
    lines = [line for line in stdout.splitlines() if line.startswith(UNITTEST_MARKER)]
    if not lines:
        return Report()
    if len(lines) > 1:
        return Report(problem=f"{len(lines)} unittest reports in the output (one is written)")
    try:
        data = json.loads(lines[0][len(UNITTEST_MARKER) :])
        tests = tuple((str(name), _status(str(status))) for name, status in data["tests"])
    except (ValueError, KeyError, TypeError):
        return Report(problem="the unittest report is not valid JSON")
    if data.get("error"):
        return Report(tests=tests, problem=f"the tests could not be loaded: {data['error']}")
    return Report(tests=tests, complete=True)


def _status(word: str) -> Status:
    if word in ("passed", "failed", "skipped"):
        return word  # type: ignore[return-value]
    raise ValueError(word)


_GO_STATUS: dict[str, Status] = {"pass": "passed", "fail": "failed", "skip": "skipped"}


def parse_go_json(stdout: str) -> Report:
    """`go test -json`: every line the go command writes is one event (the program's own
    output only ever appears inside an event's `Output`)."""
    tests: dict[tuple[str, str], Status | None] = {}
    packages: dict[str, str] = {}
    for line in stdout.splitlines():
        if not line.startswith("{"):
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict):
            continue
        action, package, test = (
            event.get("Action"),
            str(event.get("Package", "")),
            event.get("Test"),
        )
        if test:
            key = (package, str(test))
            if action == "run":
                tests.setdefault(key, None)
            elif action in ("pass", "fail", "skip"):
                tests[key] = _GO_STATUS[action]
        elif action in ("pass", "fail", "skip"):
            packages[package] = action
        elif action in ("run", "start", "output"):
            packages.setdefault(package, "")
    listed: list[tuple[str, Status]] = [
        (name, status or "failed") for (_, name), status in tests.items()
    ]  # a test that started and never ended did not pass (its process died mid-test)
    listed += [(f"package {p}", "failed") for p, how in packages.items() if how == "fail"]
    complete = bool(packages) and all(how for how in packages.values())
    return Report(tests=tuple(listed), complete=complete)


_TAP_POINT = re.compile(r"^(\s*)(not ok|ok)\b(?:\s+\d+)?(?:\s*-)?\s*(.*)$")
_TAP_PLAN = re.compile(r"^1\.\.(\d+)\b")
_TAP_DIRECTIVE = re.compile(r"\s+(?<!\\)#\s*(SKIP|TODO)\b.*$", re.I)


def parse_tap(stdout: str) -> Report:
    """TAP 13/14, subtests indented; YAML blocks and comments (`# ...`) are not test points.

    node's runner runs each test file in a child process and prints the
    child's own output as `# ` comments, so a program cannot print a test
    point of its own there.
    """
    tests: list[tuple[str, Status]] = []
    plans: list[int] = []
    top = 0
    in_yaml = False
    for line in stdout.splitlines():
        stripped = line.strip()
        if in_yaml:
            in_yaml = stripped != "..."
            continue
        if stripped == "---" and tests:
            in_yaml = True
            continue
        if line.startswith("Bail out!"):
            return Report(tests=tuple(tests), problem=f"the runner bailed out: {line[9:].strip()}")
        plan = _TAP_PLAN.match(line)
        if plan:
            plans.append(int(plan.group(1)))
            continue
        point = _TAP_POINT.match(line)
        if point is None:
            continue
        indent, word, rest = point.groups()
        directive = _TAP_DIRECTIVE.search(rest)
        name = rest[: directive.start()] if directive else rest
        name = name.strip().replace("\\#", "#").replace("\\\\", "\\")
        status: Status = "skipped" if directive else "passed" if word == "ok" else "failed"
        tests.append((name, status))
        top += not indent
    if len(plans) > 1:
        return Report(
            tests=tuple(tests), problem=f"{len(plans)} top-level TAP plans (one is written)"
        )
    if plans and plans[0] != top:
        return Report(
            tests=tuple(tests),
            problem=f"the TAP plan announces {plans[0]} tests but {top} reported",
        )
    return Report(tests=tuple(tests), complete=bool(plans))


_LIBTEST_LINE = re.compile(r"^test (.+?) \.\.\. (ok|FAILED|ignored)\b")
_LIBTEST_RUNNING = re.compile(r"^running (\d+) tests?$")
_LIBTEST_SUMMARY = re.compile(
    r"^test result: (ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured;"
)


def parse_libtest(stdout: str) -> Report:
    """Rust's harness, run without `--quiet` (which prints dots instead of names)."""
    tests: list[tuple[str, Status]] = []
    running: list[int] = []
    summaries: list[tuple[int, int, int]] = []
    for line in stdout.splitlines():
        if found := _LIBTEST_LINE.match(line):
            word = found.group(2)
            status: Status = (
                "passed" if word == "ok" else "failed" if word == "FAILED" else "skipped"
            )
            tests.append((found.group(1), status))
        elif found := _LIBTEST_RUNNING.match(line):
            running.append(int(found.group(1)))
        elif found := _LIBTEST_SUMMARY.match(line):
            summaries.append((int(found.group(2)), int(found.group(3)), int(found.group(4))))
    listed = tuple(tests)
    if not summaries:
        return Report(tests=listed)
    if len(summaries) > 1 or len(running) != 1:
        return Report(tests=listed, problem="more than one test run in the output")
    counted = (
        sum(s == "passed" for _, s in tests),
        sum(s == "failed" for _, s in tests),
        sum(s == "skipped" for _, s in tests),
    )
    if summaries[0] != counted or running[0] != len(tests):
        return Report(
            tests=listed,
            problem=f"the test summary ({summaries[0][0]} passed, {summaries[0][1]} failed) "
            f"disagrees with the {len(tests)} tests listed",
        )
    return Report(tests=listed, complete=True)


FORMATS: dict[str, Callable[[str], Report]] = {
    "unittest": parse_unittest,
    "go-json": parse_go_json,
    "tap": parse_tap,
    "libtest": parse_libtest,
}
DEFAULT_FORMAT = {
    "python": "unittest",
    "go": "go-json",
    "javascript": "tap",
    "rust": "libtest",
    "cpp": "tap",
}
_HINT = {
    "unittest": "the test command does not run `{unittest} MODULE`",
    "go-json": "the test command does not run `go test -json`",
    "tap": "the test command prints no TAP (node: `--test --test-reporter=tap`)",
    "libtest": "the test binary runs with `--quiet`",
}
NO_REPORT = "the test runner wrote no"


def judge(fmt: str, stdout: str, declared: int | Sequence[str]) -> str | None:
    """None when the report shows every declared test ran and passed; else why not, in a line."""
    report = FORMATS[fmt](stdout)
    if report.problem:
        return report.problem
    failed = [name for name, status in report.tests if status == "failed"]
    if failed:
        more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        return f"test {failed[0]!r} failed{more}"
    if not report.complete:
        if not report.tests:
            return f"{NO_REPORT} {fmt} report: the program ended before its tests, or {_HINT[fmt]}"
        return f"the {fmt} report stops before the runner's end: the tests did not all run"
    passed = [name for name, status in report.tests if status == "passed"]
    if isinstance(declared, int):
        if len(passed) != declared:
            return f"{len(passed)} tests passed; the task declares {declared}"
        return None
    for name in declared:
        hits = [
            status
            for ran, status in report.tests
            if ran == name or (fmt == "unittest" and ran.endswith("." + name))
        ]
        if not hits:
            return f"declared test {name!r} did not run"
        if len(hits) > 1:
            return f"declared test {name!r} is reported {len(hits)} times"
        if hits[0] != "passed":
            return f"declared test {name!r} was {hits[0]}"
    return None
