r"""LiveCodeBench's grading rules, as lcb_runner applies them, in small pure functions.

A LiveCodeBench number from benchlab must mean what it means on the
LiveCodeBench leaderboard, so every rule of lcb_runner's grader
(`lcb_runner/evaluation/testing_util.py` at LiveCodeBench commit 28fef95,
`grade_stdio` and `grade_call_based`) is reproduced here or in the named
place, and tested against that code's verdicts (tests/scorers/test_lcb_grading.py,
tests/scorers/test_stdio_exec.py):

| lcb_runner rule (testing_util.py line)                    | benchlab                       |
| --------------------------------------------------------- | ------------------------------ |
| call-based iff the metadata has `func_name`, else stdin   | `livecodebench.problem_case`   |
| (run_test L449-455; code_generation.py L118)              |                                |
| `import_string` before both kinds: star and plain imports | `lcb_prelude`, the case's      |
| of 16 std modules, `sys.setrecursionlimit(50000)` (L27,   | `prelude`                      |
| L143, L234); int digits 50000 (compute_code_gen... L7)    |                                |
| stdin: the program runs once per test on its input (L154) | `_stdio_job`: a process a test |
| stdin: SystemExit ends it, output still graded (L176)     | prelude: `exit`, `quit`,       |
|                                                           | `sys.exit` end with status 0   |
| output and expected stripped, split on "\n", each line    | `stripped_lines`               |
| stripped: inner empty lines count (L222-226)              |                                |
| as many lines as expected, else wrong (L384)              | `stdio_mismatch`               |
| a line passes if equal, else if all its blank-separated   | `stdio_mismatch`,              |
| tokens parse as Decimal on both sides and the lists are   | `decimal_tokens`               |
| equal: `0.50` == `0.5`, `1e2` == `100` (L398-418)         |                                |
| call: arguments are `json.loads` of every line of the     | `parse_call_inputs`,           |
| input split on "\n", expected `json.loads` (L245-249)     | `parse_call_output`            |
| `"class Solution" in code` -> `Solution()`'s `fn_name`,   | `uses_solution_class`,         |
| else the module's (L197-205, L184); none: all tests fail  | `_lcb_call.main`               |
| one instance, tests in order, one process (L240, L253)    | `_call_job`: one job           |
| a returned tuple is a list, then `==` (L265-268); nested  | `_lcb_call.normalise_return`,  |
| tuples stay tuples, and differ from lists                 | `lcb_values_match` (parent)    |
| an exception in the call is a runtime error (L282-301)    | `_lcb_call.main`               |
| 6 s per test (parser.py `--timeout`; L254, L334), a       | `stdio_tests(timeout=6.0)`,    |
| global (timeout + 1) * tests + 5 s (compute_code_gen...   | per call in `_lcb_call.main`,  |
| L43); a timeout ends the tests                            | global on `_call_job`          |
| passed only if every test passed (pass_k_utils.py L34)    | `StdioTests.score`             |

Where benchlab deliberately differs (each a harness artefact or a hole, not a rule):

- The returned value is compared in benchlab's process, never in the
  model's: an object whose `__eq__` always says True, a set, a numpy array
  equal nothing (lcb_runner asks the object's own `__eq__`); numbers of
  other types (numpy's, Fraction, Decimal) compare by value, as there.
- A stdin program runs as a real process: what it writes to stdout by any
  route is graded, it reads stdin by any route, its `if __name__ ==
  "__main__":` block runs wherever it stands, `global` statements work and
  `quit()` ends it. lcb_runner execs it inside a function in its own
  process, so output through `os.write` or `sys.stdout.buffer` is lost,
  `sys.stdin.buffer.readline()` returns the first line each time, a main
  block that is not the last statement never runs (`clean_if_name` L106),
  `global` names raise NameError (`make_function` L122) and `quit` is None.
  A bare `raise SystemExit(n)` with n != 0 is a runtime error here.
- Test data whose functional input is not JSON is refused when the file is
  loaded (lcb_runner fails every answer on it, L246).
- The score's value is the share of tests passed (lcb_runner stops at the
  first failure); pass/fail is the same. Wrong answers do not stop the call
  job, a timeout does.
- The program is the answer's first ```python block (lcb_runner's
  `extract_code` takes the last fenced block); memory is capped at 1 GiB.

Why a wrong program cannot pass: the expected outputs never enter the
sandbox (stdin jobs get the input, call jobs the arguments), and benchlab
compares. A call job's results are lines tagged with a secret of the job,
written by the driver (`_lcb_call`), which runs as the job's `check`: under
the sandbox's checker process the check, and so the tag, never exist in the
program's process, so lines the program prints are never results; where the
check shares the program's process the program could find the tag, but a
record it forges still has to hold the expected value, which it never saw.
Forging a status, patching the driver or exiting early buys nothing.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchlab.scorers._lcb_call import MARKER, TAG

# import_string of lcb_runner: these modules star-imported in this order, then the
# first 16 imported by name (a later `import datetime` wins over `from datetime import *`).
_MODULES = (
    "string",
    "re",
    "datetime",
    "collections",
    "heapq",
    "bisect",
    "copy",
    "math",
    "random",
    "statistics",
    "itertools",
    "functools",
    "operator",
    "io",
    "sys",
    "json",
)
_STAR_ONLY = ("builtins", "typing")
_EXIT_ENDS_NORMALLY = (
    "import sys, builtins; sys.exit = builtins.exit = builtins.quit = "
    "(lambda leave: lambda *_args, **_kwargs: leave())(sys.exit)"
)
_DRIVER = Path(__file__).with_name("_lcb_call.py")


def lcb_prelude(*, stdin: bool) -> str:
    """The one line lcb_runner's environment puts before a program (one line: tracebacks
    keep the program's line numbers but one)."""
    parts = [_EXIT_ENDS_NORMALLY] if stdin else []
    parts += [f"from {name} import *" for name in (*_MODULES, *_STAR_ONLY)]
    parts += [f"import {name}" for name in _MODULES]
    parts += ["sys.setrecursionlimit(50000)", "sys.set_int_max_str_digits(50000)"]
    return "; ".join(parts) + "\n"


def stripped_lines(text: str) -> list[str]:
    """Output as lcb_runner sees it: stripped, split on newlines, each line stripped."""
    return [line.strip() for line in text.strip().split("\n")]


def decimal_tokens(line: str) -> list[Decimal] | None:
    """The line's whitespace-separated tokens as decimals, or None if one is not a number."""
    try:
        return [Decimal(token) for token in line.split()]
    except Exception:  # InvalidOperation, or whatever a context trap raises
        return None


def _same_numbers(got: list[Decimal], want: list[Decimal]) -> bool:
    try:
        return got == want
    except Exception:  # a signalling NaN traps on comparison: lcb_runner fails the test
        return False


def stdio_mismatch(expected: str, got: str) -> str | None:
    """Why `got` fails against `expected` under lcb_runner's `grade_stdio`, or None if it passes."""
    want, have = stripped_lines(expected), stripped_lines(got)
    if len(have) != len(want):
        return f"{len(have)} output lines where {len(want)} were expected"
    for number, (line, wanted) in enumerate(zip(have, want, strict=True), 1):
        if line == wanted:
            continue
        numbers, wanted_numbers = decimal_tokens(line), decimal_tokens(wanted)
        if numbers is None or wanted_numbers is None or not _same_numbers(numbers, wanted_numbers):
            return f"line {number}: {line[:60]!r} where {wanted[:60]!r} was expected"
    return None


def lcb_outputs_match(expected: str, got: str) -> bool:
    """True when lcb_runner's `grade_stdio` accepts `got` for `expected`."""
    return stdio_mismatch(expected, got) is None


def parse_call_inputs(text: str) -> list[Any]:
    """A call-based test's arguments: one JSON value per line, every line (as lcb_runner)."""
    args = []
    for number, line in enumerate(text.split("\n"), 1):
        try:
            args.append(json.loads(line))
        except json.JSONDecodeError:
            raise ValueError(f"input line {number} is not JSON: {line[:40]!r}") from None
    return args


def parse_call_output(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"expected output is not JSON: {text[:40]!r}") from None


def uses_solution_class(program: str) -> bool:
    """lcb_runner's test, substring and all: a `class Solution` anywhere means LeetCode style."""
    return "class Solution" in program


class _Unequal:
    """A returned object benchlab cannot compare by value: it equals nothing."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<{self.kind}>"


def decode_value(tree: Any) -> Any:
    """The Python value `_lcb_call.encode` described: tuples and dicts restored."""
    if isinstance(tree, list):
        return [decode_value(item) for item in tree]
    if isinstance(tree, dict):
        kind, items = tree.get(TAG), tree.get("items")
        if kind == "tuple" and isinstance(items, list):
            return tuple(decode_value(item) for item in items)
        if kind == "dict" and isinstance(items, list):
            pairs = [pair for pair in items if isinstance(pair, list) and len(pair) == 2]
            if len(pairs) == len(items):
                try:
                    return {decode_value(k): decode_value(v) for k, v in pairs}
                except TypeError:  # an unhashable key cannot come from a real dict
                    pass
        return _Unequal(str(tree.get("type") or kind or "object"))
    return tree


def lcb_values_match(expected: Any, got: Any) -> bool:
    """lcb_runner's `prediction == gt_out` on an encoded return value (tuple already a list)."""
    try:
        return bool(decode_value(got) == expected)
    except RecursionError:
        return False


def call_check(fn: str, solution: bool, inputs: list[str], timeout: float, tag: str) -> str:
    """The check that runs after the program: the driver, in a namespace of its own.

    It reaches `exec`, `compile` and `globals` through the `builtins` module:
    the check's namespace holds the program's names, and lcb_runner's prelude
    star-imports `builtins`, so a bare `exec` may be the program's (under
    the sandbox's checker, a proxy that runs in the program's process).
    """
    source = _DRIVER.read_text(encoding="utf-8")
    return (
        "import builtins as __benchlab_builtins__\n"
        "__benchlab_lcb__ = {'__name__': 'benchlab_lcb_call'}\n"
        "__benchlab_builtins__.exec(\n"
        f"    __benchlab_builtins__.compile({source!r}, 'lcb_call.py', 'exec'), __benchlab_lcb__\n"
        ")\n"
        "__benchlab_lcb__['main'](__benchlab_builtins__.globals(),\n"
        f"    {fn!r}, {solution!r}, {inputs!r}, {timeout!r}, {tag!r})\n"
    )


def load_record(text: str) -> Any:
    """JSON as the driver printed it, every NaN a float of its own.

    `json.loads` hands out one shared NaN object, and `[x] == [x]` holds for
    that one object although `nan != nan`; lcb_runner's program-made NaNs are
    never json's, so a NaN inside a returned list never equals the expected one.
    """
    return json.loads(text, parse_constant=float)


def read_call_results(stdout: str, tests: int, tag: str) -> list[dict[str, Any] | None]:
    """Each test's record (the lines with this job's `tag`) from the call job's stdout: None
    where there is none, and an `ambiguous` error where there are several."""
    found: dict[int, list[dict[str, Any]]] = {}
    prefix = MARKER + tag + " "
    for line in stdout.split("\n"):
        if not line.startswith(prefix):
            continue
        try:
            record = load_record(line[len(prefix) :])
        except (ValueError, RecursionError):
            continue
        index = record.get("test") if isinstance(record, dict) else None
        if isinstance(index, int) and 0 <= index < tests:
            found.setdefault(index, []).append(record)
    results: list[dict[str, Any] | None] = []
    for index in range(tests):
        records = found.get(index, [])
        if len(records) > 1:
            results.append({"test": index, "error": "ambiguous", "detail": "several results"})
        else:
            results.append(records[0] if records else None)
    return results
