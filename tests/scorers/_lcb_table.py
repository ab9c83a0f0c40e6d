"""Programs with the verdict LiveCodeBench's own grader gives them, shared by the LCB tests.

Each row's `passes` is what lcb_runner's logic gives (the comment cites
`lcb_runner/evaluation/testing_util.py` at LiveCodeBench commit 28fef95
unless it names another file); `benchlab` is set only where benchlab
deliberately differs (see `benchlab.scorers.lcb_grading`). `lcb_runner_verdict`
runs lcb_runner's own `run_test` (its `grade_stdio` / `grade_call_based`) on
a row in a process of its own, for the parity tests that run when
BENCHLAB_LCB_RUNNER names a local LiveCodeBench checkout (nothing of it is
committed here, nothing is downloaded).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

TIMEOUT = 2  # seconds per test, for both graders (lcb_runner's alarm takes whole seconds)


@dataclass(frozen=True)
class Row:
    name: str
    program: str
    tests: tuple[tuple[str, str], ...]
    passes: bool  # lcb_runner's verdict
    fn: str | None = None
    benchlab: bool | None = None  # benchlab's verdict where it deliberately differs

    @property
    def expected_verdict(self) -> bool:
        return self.passes if self.benchlab is None else self.benchlab


def _out(text: str, expected: str, passes: bool, name: str) -> Row:
    """A stdin row whose program writes `text` exactly."""
    return Row(name, f"import sys\nsys.stdout.write({text!r})\n", (("", expected),), passes)


STDIO_ROWS = [
    # grade_stdio L398-418: lines that differ as text compare token by token as Decimals.
    _out("0.50\n", "0.5\n", True, "finding-0.50-is-0.5"),
    _out("1.0 2.50 -3 1e2\n", "1 2.5 -3.0 100\n", True, "several-numbers-on-a-line"),
    _out("1 2 3\n", "1 2\n", False, "one-number-too-many"),  # L418: lists differ
    _out("0.3333333\n", "0.33333333\n", False, "no-float-tolerance"),  # L418: exact Decimals
    _out("1_000 +5 -0\n", "1000 5 0\n", True, "decimal-literals"),  # Decimal() accepts these
    _out("yes\n", "Yes\n", False, "case-matters"),  # L410: not a number, and not equal
    _out("a  b\n", "a b\n", False, "inner-blanks-in-words"),  # L398 then L410
    _out("1   2\t3\n", "1 2 3\n", True, "inner-blanks-in-numbers"),  # L407: split() on any blank
    _out("nan\n", "NaN\n", False, "nan-is-not-nan"),  # L418: Decimal NaN != NaN
    # get_stripped_lines L222-226: the whole text and every line stripped, split on "\n".
    _out("3   \n\n\n", "3", True, "trailing-blanks-and-lines"),
    _out("\n\n  3\n", "3\n", True, "leading-blank-lines"),
    _out("1\r\n2\r\n", "1\n2\n", True, "crlf"),
    _out("1\n\n2\n", "1\n2\n", False, "inner-empty-line"),  # L384: 3 lines vs 2
    _out("1\n2\n3\n", "1\n2\n4\n", False, "only-the-last-line-differs"),  # L421
    _out("\n", "", True, "empty-is-empty"),
    _out("", "0\n", False, "nothing-printed"),  # L413-418: [] != [Decimal(0)]
    Row(
        "reads-stdin",
        "a, b = map(int, input().split())\nprint(a + b)\n",
        (("1 2\n", "3\n"), ("10 -4\n", "6")),
        True,
    ),
    # L27 import_string, put before the program by make_function (L143).
    Row("prelude-names", "print(gcd(int(input()), 6))\n", (("4\n", "2\n"),), True),
    Row(
        "deep-recursion",
        "def d(n):\n    return 0 if n == 0 else 1 + d(n - 1)\nprint(d(20000))\n",
        (("", "20000"),),
        True,  # import_string: sys.setrecursionlimit(50000)
    ),
    # call_method L176: SystemExit is swallowed and the output so far graded.
    Row("exit-nonzero-after-output", "print(3)\nsys.exit(1)\n", (("", "3"),), True),
    Row("exit-print", "exit(print(3))\n", (("", "3"),), True),
    # L345-364: an exception is a runtime error whatever was printed.
    Row("error-after-output", "print(3)\nraise ValueError('late')\n", (("", "3"),), False),
    # clean_if_name L106: a final main block runs.
    Row(
        "main-guard",
        "def main():\n    print(int(input()) * 2)\n\nif __name__ == '__main__':\n    main()\n",
        (("3\n", "6\n"),),
        True,
    ),
    Row(
        "big-output",
        "print('\\n'.join(map(str, range(30000))))\n",
        (("", "\n".join(map(str, range(30000)))),),
        True,
    ),
    Row("timeout", "while True:\n    pass\n", (("", "1"),), False),  # L347: alarm, -3
    # os._exit kills lcb_runner's worker: no result, the global timeout's -1 (compute_code_
    # generation_metrics.py L47-50); benchlab records no normal end either.
    Row(
        "os-exit-after-flush", "print(3, flush=True)\nimport os\nos._exit(0)\n", (("", "3"),), False
    ),
    # Harness artefacts benchlab does not reproduce: a correct program fails lcb_runner
    # because it runs in-process, wrapped in a function (make_function L122), with
    # mocked stdin (L154-181), captured sys.stdout (L59) and reliability_guard (L509).
    Row(
        "global-statement",
        "count = 0\ndef inc():\n    global count\n    count += 1\ninc()\nprint(count)\n",
        (("", "1"),),
        False,  # `count` is a local of wrapped_function: NameError
        benchlab=True,
    ),
    Row("quit", "print(3)\nquit()\n", (("", "3"),), False, benchlab=True),  # quit = None L540
    Row(
        "main-block-not-last",
        "def main():\n    print(3)\n\nif __name__ == '__main__':\n    main()\nx = 1\n",
        (("", "3"),),
        False,  # clean_if_name L106 unwraps only a last statement; __name__ is 'tmp_sol'
        benchlab=True,
    ),
    Row("os-write", "import os\nos.write(1, b'3\\n')\n", (("", "3"),), False, benchlab=True),
    Row(
        "stdin-buffer-readline",
        "a = int(sys.stdin.buffer.readline())\nb = int(sys.stdin.buffer.readline())\n"
        "print(a + b)\n",
        (("1\n2\n", "3"),),
        False,  # MockBuffer.readline L102: always the first line
        benchlab=True,
    ),
    # Forged passes: the status pipe and early exits decide nothing, the output does.
    Row(
        "forged-status-no-output",
        "import os\nos.write(3, b'passed')\nos._exit(0)\n",
        (("", "3"),),
        False,
    ),
]


def _solution(body: str, signature: str = "f(self, a)") -> str:
    return f"class Solution:\n    def {signature}:\n        {body}\n"


CALL_ROWS = [
    # grade_call_based L265: a returned tuple is a list ...
    Row("finding-tuple-as-list", _solution("return (a, a)"), (("1", "[1, 1]"),), True, "f"),
    # ... but only at the top (L268 compares with ==, and (1, 1) != [1, 1]).
    Row("nested-tuple", _solution("return [(a, a)]"), (("1", "[[1, 1]]"),), False, "f"),
    Row("tuple-of-tuples", _solution("return ((a,), (a,))"), (("1", "[[1], [1]]"),), False, "f"),
    # L268: Python's ==, no tolerance (the "handle floating point" comment has no code).
    Row("int-equals-float", _solution("return float(a)"), (("2", "2"),), True, "f"),
    Row("bool-equals-int", _solution("return a == a"), (("1", "1"),), True, "f"),
    Row("str-is-not-int", _solution("return str(a)"), (("1", "1"),), False, "f"),
    Row("float-sum-is-exact", _solution("return a + 0.2"), (("0.1", "0.3"),), False, "f"),
    Row("nan-in-a-list", _solution("return [nan, a]"), (("1", "[NaN, 1]"),), False, "f"),
    Row("dict-value", _solution("return {'k': a}"), (("1", '{"k": 1}'),), True, "f"),
    Row("dict-int-key", _solution("return {a: a}"), (("1", '{"1": 1}'),), False, "f"),
    Row("set-is-not-list", _solution("return {a}"), (("1", "[1]"),), False, "f"),
    Row(
        "fraction-by-value",
        "from fractions import Fraction\n" + _solution("return Fraction(a, 2)"),
        (("1", "0.5"),),
        True,
        "f",
    ),
    # L245-247: one JSON value per input line, in order.
    Row(
        "json-arguments",
        _solution("return [nums[k] for k in idx] + [s]", "f(self, nums: List[int], idx, s)"),
        (('[5, 6, 7]\n[2, 0]\n"x"', '[7, 5, "x"]'),),
        True,
        "f",
    ),
    # compile_code L197-205 and get_function L184: entry point resolution.
    Row("module-function", "def f(a):\n    return a\n", (("1", "1"),), True, "f"),
    Row(
        "class-solution-in-a-comment",
        "# no class Solution needed\ndef f(a):\n    return a\n",
        (("1", "1"),),
        False,  # "class Solution" in code -> tmp_sol.Solution: AttributeError
        "f",
    ),
    Row("missing-method", _solution("return a", "g(self, a)"), (("1", "1"),), False, "f"),
    Row(
        "constructor-needs-arguments",
        "class Solution:\n    def __init__(self, x):\n        pass\n    def f(self, a):\n"
        "        return a\n",
        (("1", "1"),),
        False,
        "f",
    ),
    # L240/L253: one instance for every test, in order.
    Row(
        "one-instance-for-all-tests",
        "class Solution:\n    calls = 0\n    def f(self, a):\n        self.calls += 1\n"
        "        return self.calls\n",
        (("0", "1"), ("0", "2"), ("0", "3")),
        True,
        "f",
    ),
    Row("exception", _solution("return a // 0"), (("1", "1"),), False, "f"),  # L294
    Row(
        "prints-and-returns", _solution("return print('noise' * 50) or a"), (("1", "1"),), True, "f"
    ),
    Row(
        "second-test-wrong",
        _solution("return a if a < 5 else 0"),
        (("1", "1"), ("7", "7")),
        False,
        "f",
    ),
    Row("call-timeout", _solution("while True: pass"), (("1", "1"),) * 3, False, "f"),  # L284
    # SystemExit escapes `except Exception` (L282, run_test L480): the worker dies, -1.
    Row("exit-in-call", _solution("sys.exit(0)"), (("1", "1"),), False, "f"),
    # Forged passes. lcb_runner asks the returned object's own __eq__: benchlab does not.
    Row(
        "always-equal-object",
        "class E:\n    def __eq__(self, other):\n        return True\n" + _solution("return E()"),
        (("1", "2"),),
        True,
        "f",
        benchlab=False,
    ),
    Row(
        "forged-records-then-exit",
        "import os\nfor i in range(3):\n"
        '    print(\'\\x1ebenchlab-lcb\\x1e{"test": %d, "value": 0}\' % i)\n'
        "os.write(3, b'passed')\nos._exit(0)\n" + _solution("return 0"),
        (("1", "1"),),
        False,
        "f",
    ),
    Row(
        "forged-records-beside-the-real-ones",
        'print(\'\\x1ebenchlab-lcb\\x1e{"test": 0, "value": 1}\')\n' + _solution("return 0"),
        (("1", "1"),),
        False,
        "f",
    ),
    Row(
        "patched-json-dumps",
        'import json\njson.dumps = lambda *a, **k: \'{"test": 0, "value": 0}\'\n'
        + _solution("return 0"),
        (("1", "1"),),
        False,
        "f",
    ),
    Row(
        "patched-isinstance",
        "import builtins\nbuiltins.isinstance = lambda *a: True\n" + _solution("return 0"),
        (("1", "1"),),
        False,
        "f",
    ),
]


def lcb_testing_util() -> Path:
    """lcb_runner's `testing_util.py`: from the LiveCodeBench checkout BENCHLAB_LCB_RUNNER
    names, else from the installed `nvidia-livecodebench` package (LiveCodeBench's
    evaluation code as NVIDIA publishes it on PyPI; CI installs it with --no-deps and its
    `livecodebench/evaluation/testing_util.py` is located, never imported as a package),
    else the test is skipped. Both give the same verdicts on every row here (checked
    against the checkout at commit 28fef95)."""
    pytest.importorskip("numpy")
    root = os.environ.get("BENCHLAB_LCB_RUNNER")
    if root:
        if not (Path(root) / _UTIL).is_file():
            pytest.fail(f"BENCHLAB_LCB_RUNNER={root}: no {_UTIL} there")
        return Path(root) / _UTIL
    spec = importlib.util.find_spec("livecodebench")
    if spec is not None and spec.submodule_search_locations:
        packaged = Path(next(iter(spec.submodule_search_locations))) / "evaluation/testing_util.py"
        if packaged.is_file():
            return packaged
    pytest.skip(
        "no lcb_runner: pip install --no-deps nvidia-livecodebench, or set BENCHLAB_LCB_RUNNER "
        "to a LiveCodeBench checkout"
    )


_UTIL = "lcb_runner/evaluation/testing_util.py"

# lcb_runner's check_correctness, minus the Manager: its run_test in a process of its own
# (it disables os functions), then pass_k_utils' verdict, `np.all(gen > 0)` (L34 there).
_RUN = """
import importlib.util, json, sys
import numpy as np
sys.set_int_max_str_digits(50000)  # compute_code_generation_metrics.py L7
row, util_path, verdict_path = json.loads(sys.stdin.read())
spec = importlib.util.spec_from_file_location("lcb_testing_util", util_path)
util = importlib.util.module_from_spec(spec)
spec.loader.exec_module(util)
sample = {"input_output": json.dumps(
    {"inputs": row["inputs"], "outputs": row["outputs"], "fn_name": row["fn"]})}
verdict = open(verdict_path, "w")  # opened before the program can patch what it needs
results, _ = util.run_test(sample, test=row["program"], timeout=row["timeout"])
verdict.write("true" if np.all(np.array(results) > 0) else "false")
verdict.close()
"""


def lcb_runner_verdict(util: Path, row: Row, scratch: Path) -> bool:
    """What lcb_runner decides for `row`; a worker that dies or hangs is -1, as there (L42-50
    of compute_code_generation_metrics.py: the global timeout)."""
    verdict = scratch / f"{row.name}.json"
    payload = {
        "inputs": [test_input for test_input, _ in row.tests],
        "outputs": [output for _, output in row.tests],
        "fn": row.fn,
        "program": row.program,
        "timeout": TIMEOUT,
    }
    frame = json.dumps([payload, str(util), str(verdict)])
    try:
        subprocess.run(
            [sys.executable, "-c", _RUN],
            input=frame,
            text=True,
            capture_output=True,
            timeout=(TIMEOUT + 1) * len(row.tests) + 5,
            cwd=scratch,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False
    return verdict.is_file() and verdict.read_text() == "true"
