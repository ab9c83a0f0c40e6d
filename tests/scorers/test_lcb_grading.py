"""LiveCodeBench's comparison rules as pure functions, each case decided by lcb_runner's code.

Comments cite lcb_runner/evaluation/testing_util.py at LiveCodeBench commit
28fef95. The stdin cases are the `_lcb_table` rows whose program prints a
fixed text, so the same verdicts are also checked in the real sandbox and,
with BENCHLAB_LCB_RUNNER set, against lcb_runner itself
(tests/scorers/test_stdio_exec.py).
"""

from __future__ import annotations

import importlib.util
import json
import signal
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchlab.scorers._lcb_call import MARKER, normalise_return
from benchlab.scorers.lcb_grading import (
    decimal_tokens,
    lcb_outputs_match,
    lcb_prelude,
    lcb_values_match,
    load_record,
    parse_call_inputs,
    read_call_results,
    stdio_mismatch,
    stripped_lines,
    uses_solution_class,
)

from ._lcb_table import STDIO_ROWS, lcb_testing_util


def _printed(program: str) -> str:
    """The text a `_lcb_table._out` row writes."""
    return str(eval(program.split("sys.stdout.write(", 1)[1].rsplit(")", 1)[0]))


FIXED_OUTPUT_ROWS = [
    pytest.param(_printed(row.program), row.tests[0][1], row.passes, id=row.name)
    for row in STDIO_ROWS
    if row.program.startswith("import sys\nsys.stdout.write(")
]


@pytest.mark.parametrize(("got", "expected", "passes"), FIXED_OUTPUT_ROWS)
def test_stdio_comparison(got: str, expected: str, passes: bool) -> None:
    assert lcb_outputs_match(expected, got) is passes
    assert (stdio_mismatch(expected, got) is None) is passes


@pytest.fixture(scope="module")
def lcb_util() -> ModuleType:
    """lcb_runner's testing_util, loaded in this process (its grade_stdio runs only our
    harmless printing programs here)."""
    spec = importlib.util.spec_from_file_location("lcb_testing_util", lcb_testing_util())
    assert spec is not None and spec.loader is not None
    util = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(util)
    return util


# Pairs of output-like texts: the same tokens, each written one of a few ways that are
# (or are not) the same number, followed by blanks and newlines that may differ.
_SPELLINGS = [
    ["0", "-0", "0.0", "0e5"],
    ["0.5", "0.50", "5e-1", ".5"],
    ["100", "1e2", "1_00", "100.0"],
    ["5", "+5", "5.0", "05"],
    ["a", "A", "a"],
    ["nan", "NaN", "Infinity", "inf"],
    ["1.0.0", "1.0"],
]
_BLANKS = [" ", "  ", "\t", "\n", "\n\n", " \n", "\r\n", ""]
_PART = st.tuples(
    st.sampled_from(_SPELLINGS).flatmap(lambda ways: st.tuples(*[st.sampled_from(ways)] * 2)),
    st.tuples(st.sampled_from(_BLANKS), st.sampled_from(_BLANKS)),
)
_PAIR = st.lists(_PART, max_size=5).map(
    lambda parts: (
        "".join(a + blank_a for (a, _), (blank_a, _) in parts),
        "".join(b + blank_b for (_, b), (_, blank_b) in parts),
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=_PAIR)
def test_stdio_comparison_agrees_with_lcb_runner(
    lcb_util: ModuleType, pair: tuple[str, str]
) -> None:
    """lcb_runner's grade_stdio on a program printing `got` exactly: same verdict."""
    expected, got = pair
    handler = signal.signal(signal.SIGALRM, lcb_util.timeout_handler)
    limit, stdout = sys.getrecursionlimit(), sys.stdout
    try:
        program = f"import sys\nsys.stdout.write({got!r})\n"
        results, _ = lcb_util.grade_stdio(program, [""], [expected], 5)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, handler)
        sys.setrecursionlimit(limit)
        sys.stdout = stdout
    assert lcb_outputs_match(expected, got) is (results == [True])


_LEAF = (
    st.none()
    | st.booleans()
    | st.integers(-2, 2)
    | st.sampled_from([0.0, -0.0, 0.5, 2.0, float("nan"), float("inf")])
    | st.sampled_from(["", "a", "1", "é"])
)
_VALUE = st.recursive(
    _LEAF,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.sampled_from(["a", "1", 1, 2.0, None]), inner, max_size=2)
    ),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(returned=_VALUE, other=_VALUE, same=st.booleans())
def test_call_comparison_agrees_with_lcb_runner(
    lcb_util: ModuleType, returned: Any, other: Any, same: bool
) -> None:
    """lcb_runner's grade_call_based on a function returning `returned`: same verdict.

    The expected value is the JSON of `returned` (tuples become lists, keys strings:
    the near misses) or of another value.
    """
    expected = json.dumps(returned if same else other)
    handler = signal.signal(signal.SIGALRM, lcb_util.timeout_handler)
    limit = sys.getrecursionlimit()
    try:
        program = f"def f(_):\n    return {returned!r}\n"  # nan and inf: from math import *
        graded = lcb_util.grade_call_based(program, ["0"], [expected], "f", 5)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, handler)
        sys.setrecursionlimit(limit)
    ours = lcb_values_match(json.loads(expected), _round_trip(returned))
    assert ours is (graded[0] == [True])


def test_the_findings_of_issue_11() -> None:
    """main compared text modulo blanks: `0.50` failed for `0.5`, as did a tuple for a list."""
    assert lcb_outputs_match("0.5\n", "0.50\n")
    assert lcb_values_match([1, 2], _round_trip((1, 2)))


def test_stripped_lines_keep_inner_empty_lines() -> None:
    # get_stripped_lines L222-226: strip all, split on "\n" (not splitlines), strip each.
    assert stripped_lines("  1 \n\n 2\t\n\n") == ["1", "", "2"]
    assert stripped_lines("") == [""]
    assert stripped_lines("a\x0cb") == ["a\x0cb"]  # splitlines would cut here


def test_decimal_tokens() -> None:
    # convert_line_to_decimals L214-219: every token a Decimal, or the line is not numeric.
    assert decimal_tokens("1 2.50 -3e1") == [1, Fraction(5, 2), -30]
    assert decimal_tokens("") == []
    assert decimal_tokens("1 x") is None


def test_mismatch_says_why() -> None:
    assert stdio_mismatch("1\n2\n", "1\n") == "1 output lines where 2 were expected"
    assert stdio_mismatch("1 2\n", "1 3\n") == "line 1: '1 3' where '1 2' was expected"
    assert stdio_mismatch("sNaN\n", "sNaN\n") is None  # equal text: no Decimal compared
    assert stdio_mismatch("sNaN\n", "sNaN \t\n") is None
    assert stdio_mismatch("1 sNaN\n", "1  sNaN\n") is not None  # signalling NaN traps: fails


def _round_trip(value: Any) -> Any:
    """What the parent reads back of a value the sandbox driver printed."""
    return load_record(json.dumps(normalise_return(value)))


class _AlwaysEqual:
    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


@pytest.mark.parametrize(
    ("returned", "expected", "passes"),
    [
        ((1, 2), "[1, 2]", True),  # L265: a top-level tuple is a list
        ([(1, 2)], "[[1, 2]]", False),  # L268: [(1, 2)] == [[1, 2]] is False
        (((1,), (2,)), "[[1], [2]]", False),  # only the top level is converted
        ((), "[]", True),
        (2.0, "2", True),  # L268 is Python's ==
        (True, "1", True),
        (False, "0", True),
        ("1", "1", False),
        (0.1 + 0.2, "0.3", False),  # no tolerance
        (float("nan"), "NaN", False),  # nan != nan
        ([float("nan")], "[NaN]", False),  # not even inside a list (json's NaN is one object)
        ({"k": float("inf")}, '{"k": Infinity}', True),
        (None, "null", True),
        ({"a": [1, (2, 3)]}, '{"a": [1, [2, 3]]}', False),  # nested tuple in a dict
        ({"a": [1, 2]}, '{"a": [1, 2]}', True),
        ({1: 2}, '{"1": 2}', False),  # JSON keys are strings
        ({1}, "[1]", False),
        (frozenset(), "[]", False),
        (Fraction(1, 2), "0.5", True),  # numbers compare by value
        (Fraction(1, 3), "0.3333333333333333", False),
        (Decimal("0.5"), "0.5", True),
        (Decimal("0.1"), "0.1", False),  # Decimal("0.1") != 0.1 in Python
        (Decimal("1e40"), "10000000000000000000000000000000000000000", True),
        (complex(2, 0), "2", True),
        (complex(2, 1), "2", False),
        (10**30, "1000000000000000000000000000000", True),
        ("é", '"\\u00e9"', True),
        (_AlwaysEqual(), "5", False),  # lcb_runner: True (it asks the object); benchlab: never
    ],
)
def test_call_value_comparison(returned: Any, expected: str, passes: bool) -> None:
    assert lcb_values_match(json.loads(expected), _round_trip(returned)) is passes


def test_cyclic_or_hostile_values_equal_nothing() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(RecursionError):
        normalise_return(loop)  # the driver catches this and sends an `other`
    assert not lcb_values_match([1], {"~": "other", "type": "list"})
    assert not lcb_values_match({"1": 2}, {"~": "dict", "items": [[[1], 2]]})  # unhashable key
    assert not lcb_values_match([1], {"~": "tuple"})  # malformed


def test_call_inputs_are_json_per_line() -> None:
    # L245-247: json.loads of every line of input.split("\n").
    assert parse_call_inputs('[1, 2]\n"ab"\n3') == [[1, 2], "ab", 3]
    with pytest.raises(ValueError, match="input line 3 is not JSON"):
        parse_call_inputs("1\n2\n")  # a trailing newline is an empty line: JSONDecodeError there


def test_entry_point_is_a_substring_test() -> None:
    # compile_code L197: `"class Solution" in code`.
    assert uses_solution_class("class Solution:\n    pass")
    assert uses_solution_class("# class Solution\ndef f(): pass")
    assert not uses_solution_class("class  Solution: pass\n")


def test_results_are_read_per_test() -> None:
    def record(index: int, value: object) -> str:
        return "\n" + MARKER + "t0k " + json.dumps({"test": index, "value": value}) + "\n"

    out = "noise\n" + record(0, 1) + record(2, 3) + record(2, 4) + MARKER + "t0k {broken\n"
    forged = MARKER + "guess " + json.dumps({"test": 1, "value": 2}) + "\n"
    first, second, third = read_call_results(out + forged, 3, "t0k")
    assert first == {"test": 0, "value": 1}
    assert second is None  # the line without this job's tag is not a result
    assert third is not None and third["error"] == "ambiguous"
    assert read_call_results(record(7, 1) + record(-1, 1), 1, "t0k") == [None]


def test_prelude_is_lcb_runners_environment() -> None:
    """One line; star imports, then names, the recursion and int-digits limits (L27)."""
    for stdin in (True, False):
        prelude = lcb_prelude(stdin=stdin)
        assert prelude.count("\n") == 1 and prelude.endswith("\n")
    program = (
        lcb_prelude(stdin=True)
        + "import sys as s\n"
        + "print(gcd(4, 6), sqrt(4), type(defaultdict).__name__, datetime.__name__, "
        + "s.getrecursionlimit(), s.get_int_max_str_digits(), List[int])\n"
        + "sys.exit(3)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.stdout == "2 2.0 type datetime 50000 50000 typing.List[int]\n"
    assert done.returncode == 0  # exit(n) ends the program normally (call_method L176)
