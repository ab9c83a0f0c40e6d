"""Runner reports: the words of each runner, and the one rule that a pass needs all of them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchlab.tasks import unittest_runner
from benchlab.tasks.reports import (
    UNITTEST_MARKER,
    judge,
    parse_go_json,
    parse_libtest,
    parse_tap,
    parse_unittest,
)


def _go(*events: dict[str, object]) -> str:
    return "\n".join(json.dumps({"Package": "example.com/sum", **e}) for e in events) + "\n"


GO_PASS = _go(
    {"Action": "run", "Test": "TestSumEvens"},
    {"Action": "output", "Test": "TestSumEvens", "Output": "=== RUN   TestSumEvens\n"},
    {"Action": "pass", "Test": "TestSumEvens", "Elapsed": 0},
    {"Action": "output", "Output": "PASS\n"},
    {"Action": "pass", "Elapsed": 0.004},
)
# What `go test -json` prints for `func init() { os.Exit(0) }`: the package "passed", no test ran.
GO_INIT_EXIT = _go(
    {"Action": "output", "Output": "ok  \texample.com/sum\t0.003s\n"},
    {"Action": "pass", "Elapsed": 0.003},
)
NODE_TAP = """TAP version 13
# a line the program printed
# Subtest: words become camelCase
ok 1 - words become camelCase
  ---
  duration_ms: 2.9
  ...
# Subtest: separators \\# ends
not ok 2 - separators \\# ends
  ---
  error: |-
    ok 7 - not a test point
  ...
1..2
# tests 2
# pass 1
# fail 1
"""
# What node's runner prints when the test file's child process exits 0 on load.
NODE_EARLY_EXIT = "TAP version 13\n# Subtest: /w/camel.test.js\nok 1 - /w/camel.test.js\n1..1\n"
LIBTEST = """
running 2 tests
test zeros ... ok
test large_values ... ok

test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
"""


def test_go_json_needs_the_declared_tests_not_a_passing_package() -> None:
    assert judge("go-json", GO_PASS, ["TestSumEvens"]) is None
    assert judge("go-json", GO_PASS, 1) is None
    assert judge("go-json", GO_INIT_EXIT, ["TestSumEvens"]) == (
        "declared test 'TestSumEvens' did not run"
    )
    assert judge("go-json", GO_INIT_EXIT, 1) == "0 tests passed; the task declares 1"
    assert judge("go-json", "", 1) == (
        "the test runner wrote no go-json report: the program ended before its tests, "
        "or the test command does not run `go test -json`"
    )


def test_go_json_a_test_that_never_ended_did_not_pass() -> None:
    cut = _go({"Action": "run", "Test": "TestSumEvens"})
    assert parse_go_json(cut).tests == (("TestSumEvens", "failed"),)
    assert parse_go_json(cut).complete is False
    failed = _go({"Action": "fail", "Test": "TestX"}, {"Action": "fail"})
    assert judge("go-json", failed, ["TestX"]) == "test 'TestX' failed (and 1 more)"


def test_tap_reads_points_not_yaml_or_comments() -> None:
    report = parse_tap(NODE_TAP)
    assert report.tests == (("words become camelCase", "passed"), ("separators # ends", "failed"))
    assert report.complete
    assert judge("tap", NODE_TAP, 2) == "test 'separators # ends' failed"
    early = ["words become camelCase", "separators at the ends are ignored"]
    assert (
        judge("tap", NODE_EARLY_EXIT, early) == "declared test 'words become camelCase' did not run"
    )
    assert judge("tap", NODE_EARLY_EXIT, 2) == "1 tests passed; the task declares 2"


def test_tap_plan_must_match_and_appear_once() -> None:
    assert judge("tap", "1..3\nok 1 - a\nok 2 - b\n", 2) == (
        "the TAP plan announces 3 tests but 2 reported"
    )
    assert judge("tap", "ok 1 - a\n1..1\nok 1 - a\n1..1\n", 1) == (
        "2 top-level TAP plans (one is written)"
    )
    assert judge("tap", "ok 1 - a\nok 2 - b\n", 2) == (
        "the tap report stops before the runner's end: the tests did not all run"
    )
    skipped = "ok 1 - a # SKIP not here\nok 2 - b\n1..2\n"
    assert parse_tap(skipped).tests == (("a", "skipped"), ("b", "passed"))
    assert judge("tap", skipped, ["a", "b"]) == "declared test 'a' was skipped"
    assert judge("tap", skipped, ["b"]) is None


def test_libtest_summary_must_agree_with_the_tests_listed() -> None:
    assert judge("libtest", LIBTEST, ["zeros", "large_values"]) is None
    assert parse_libtest("running 2 tests\n").complete is False
    assert judge("libtest", "running 2 tests\ntest zeros ... ok\n", 2) == (
        "the libtest report stops before the runner's end: the tests did not all run"
    )
    forged = LIBTEST.replace("test large_values ... ok\n", "")
    assert judge("libtest", forged, 2) == (
        "the test summary (2 passed, 0 failed) disagrees with the 1 tests listed"
    )
    assert judge("libtest", LIBTEST + LIBTEST, 2) == "more than one test run in the output"


def test_unittest_report_is_one_line_and_names_match_by_suffix() -> None:
    line = UNITTEST_MARKER + json.dumps(
        {"tests": [["test_stats.Median.test_even", "passed"]], "error": ""}
    )
    assert judge("unittest", line, ["test_even"]) is None
    assert judge("unittest", line, ["Median.test_even"]) is None
    assert judge("unittest", line, ["even"]) == "declared test 'even' did not run"
    assert (
        judge("unittest", f"{line}\n{line}\n", 1)
        == "2 unittest reports in the output (one is written)"
    )
    assert (
        parse_unittest(UNITTEST_MARKER + "{oops").problem == "the unittest report is not valid JSON"
    )
    broken = UNITTEST_MARKER + json.dumps({"tests": [], "error": "SystemExit: 0"})
    assert judge("unittest", broken, 1) == "the tests could not be loaded: SystemExit: 0"


@pytest.mark.parametrize("declared", [0, []])
def test_judging_against_nothing_is_refused_by_the_catalog(declared: int | list[str]) -> None:
    from pydantic import ValidationError

    from benchlab.tasks.catalog import TaskSpec

    with pytest.raises(ValidationError):
        TaskSpec(language="python", test="{unittest} t", tests=declared)


def test_the_runner_reports_every_test_and_hides_the_programs_stdout(tmp_path: Path) -> None:
    """The runner for real, as the sandbox runs it (`python -I`), on a module of mixed tests."""
    (tmp_path / "test_mixed.py").write_text(
        "import unittest\n"
        'print(\'BENCHLAB-UNITTEST-REPORT {"tests": [], "error": ""}\')\n'
        "class T(unittest.TestCase):\n"
        "    def test_ok(self):\n        pass\n"
        "    def test_sub(self):\n"
        "        for i in range(2):\n"
        "            with self.subTest(i=i):\n                self.assertEqual(i, 0)\n"
        "    @unittest.skip('no')\n    def test_skip(self):\n        pass\n"
        "    @unittest.expectedFailure\n    def test_xfail(self):\n        pass\n"
    )
    runner = Path(unittest_runner.__file__)
    done = subprocess.run(
        [sys.executable, "-I", str(runner), "test_mixed"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.count(UNITTEST_MARKER) == 1  # the module's own print went to stderr
    assert "BENCHLAB-UNITTEST-REPORT" in done.stderr
    assert dict(parse_unittest(done.stdout).tests) == {
        "test_mixed.T.test_ok": "passed",
        "test_mixed.T.test_sub": "failed",
        "test_mixed.T.test_skip": "skipped",
        "test_mixed.T.test_xfail": "failed",  # an unexpected success
    }


def test_the_runner_and_the_parser_agree_on_the_marker() -> None:
    assert unittest_runner.MARKER == UNITTEST_MARKER
