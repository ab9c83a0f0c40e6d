"""Planned calls: what the tests' text lets the checker ask ahead; verdicts that do not move.

The outcome tests run each program twice through the real sandbox: with
tests whose calls are planned, and with the same tests made unplannable (an
assignment first in `check`, which ends the plan before any call). Outcome,
the failing assertion's traceback and the output must be the same.
"""

from __future__ import annotations

import ast
import copy
import os
from collections.abc import Iterator
from typing import Any

import pytest

from benchlab.sandbox import ExecResult, Job, Limits, LocalExecutor, _checker, _child, _rpc
from benchlab.sandbox._prefetch import plan
from benchlab.suites.humaneval import problems

FAST = Limits(timeout=5)


def planned(tests: str) -> list[tuple[str, list[Any], dict[str, Any]]]:
    return plan(ast.parse(tests))


def check(*asserts: str, name: str = "f") -> str:
    body = "".join(f"    {line}\n" for line in asserts)
    return f"def check(candidate):\n{body}\n\ncheck({name})\n"


# --- the plan, from the tests' text --------------------------------------------------------------
def test_straight_asserts_with_literal_arguments_are_planned_in_order() -> None:
    tests = check(
        "assert candidate([1, 2], k=-3) == [1]",
        "'a docstring'",
        "assert abs(candidate(0.5) - 1) < 1e-6, 'close'",
        "assert candidate('x').upper() == 'X'",
        "assert not candidate(None)",
    )
    assert planned("METADATA = {'a': 1}\nimport math\n\n" + tests) == [
        ("f", [[1, 2]], {"k": -3}),
        ("f", [0.5], {}),
        ("f", ["x"], {}),
        ("f", [None], {}),
    ]
    top = "assert g(1) == 2\nassert sorted(g((2, 1))) == [1, 2]\n"  # MBPP's form
    assert planned(top) == [("g", [1], {}), ("g", [(2, 1)], {})]


@pytest.mark.parametrize(
    "stop",
    [
        "assert candidate(x) == 1",  # a name: its value is only known at run time
        "assert candidate(3 * 5) == 1",  # not a literal
        "assert True and candidate(1)",  # behind `and`: may never be called
        "assert 0 < candidate(1) < candidate(2)",  # a chained comparison short-cuts
        "assert candidate(1) if flag else 0",
        "assert candidate(1) == 1, candidate(2)",  # the message runs only on failure
        "assert candidate(1) == helper(2)",  # any other name may be the program's
        "assert candidate(1) == candidate(1)",  # two calls in one assert
        "assert math.isclose(candidate(1), 1)",
        "assert [y for y in candidate(1)] == []",
        "x = 1",
        "for i in range(3): assert candidate(i)",
    ],
)
def test_the_plan_ends_at_the_first_statement_it_cannot_be_sure_of(stop: str) -> None:
    tests = check("assert candidate(0) == 0", stop, "assert candidate(9) == 9")
    assert planned(tests) == [("f", [0], {})]


@pytest.mark.parametrize(
    "tests",
    [
        check("assert candidate(1)") + "import builtins\n",  # could patch what asserts use
        check("assert candidate(1)", name="f") + "f = 2\n",  # the name is not the program's
        check("assert candidate(1)") + "def check(c):\n    pass\n",  # which check runs?
        "@decorate\n" + check("assert candidate(1)"),
        check("assert sorted(candidate(1))") + "sorted = 1\n",
        "def check(candidate, n=len([])):\n    assert candidate(1)\n\ncheck(f)\n",
    ],
)
def test_nothing_is_planned_when_a_name_it_relies_on_may_be_something_else(tests: str) -> None:
    assert planned(tests) == []


def test_every_humaneval_plan_is_the_start_of_the_calls_its_tests_make() -> None:
    """Run each problem's tests on its canonical answer, recording the calls: the plan must be
    their first calls exactly, and it covers most of them."""
    planned_calls = made_calls = 0
    for problem in problems():
        tests = f"{problem['test']}\n\ncheck({problem['entry_point']})\n"
        names: dict[str, Any] = {}
        exec(problem["prompt"] + problem["canonical_solution"], names)
        calls: list[tuple[str, list[Any], dict[str, Any]]] = []
        recorded = _recording(problem["entry_point"], names[problem["entry_point"]], calls)
        exec(tests, {**names, problem["entry_point"]: recorded})
        ahead = planned(tests)
        assert repr(ahead) == repr(calls[: len(ahead)]), problem["task_id"]
        planned_calls, made_calls = planned_calls + len(ahead), made_calls + len(calls)
    assert planned_calls > made_calls / 2


def _recording(name: str, answer: Any, calls: list[Any]) -> Any:
    def recorded(*args: Any, **kwargs: Any) -> Any:
        calls.append((name, copy.deepcopy(list(args)), kwargs))  # the answer may change them
        return answer(*args, **kwargs)

    return recorded


# --- the two ends of the wire --------------------------------------------------------------------
@pytest.fixture
def program() -> Iterator[tuple[_checker.Connection, int]]:
    """A real program process serving `f` (and `Box`, `boom`) on the wire, as _child runs it."""
    requests_r, requests_w = os.pipe()
    replies_r, replies_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(requests_w)  # or the program never sees the end of its input
            os.dup2(requests_r, _rpc.REQUEST_FD)
            os.dup2(replies_w, _rpc.REPLY_FD)
            calls: list[Any] = []

            def f(x: Any) -> Any:
                calls.append(x)
                return [len(calls), x]

            class Box:
                def __init__(self, x: Any) -> None:
                    calls.append(x)

            def boom(x: Any) -> Any:
                calls.append(x)
                raise KeyError(x)

            _child._serve({"f": f, "Box": Box, "boom": boom})
        finally:
            os._exit(0)
    os.close(requests_r)
    os.close(replies_w)
    conn = _checker.Connection(requests_w, replies_r)
    yield conn, pid
    os.close(requests_w)
    os.close(replies_r)
    os.waitpid(pid, 0)


def _names(conn: _checker.Connection) -> dict[str, Any]:
    return {str(k): v for k, v in conn.names()}


def _pipe_empty(fd: int) -> bool:
    os.set_blocking(fd, False)
    try:
        return os.read(fd, 1 << 16) == b""
    except BlockingIOError:
        return True
    finally:
        os.set_blocking(fd, True)


def test_planned_calls_go_in_one_message_and_are_answered_in_order(
    program: tuple[_checker.Connection, int],
) -> None:
    conn, _ = program
    f = _names(conn)["f"]
    conn.prefetch([(f, [10], {}), (f, [20], {}), (f, [30], {})])
    assert len(conn.ahead) == 3
    # The answers are streamed without being asked again: all three arrive unprompted.
    while conn.pending.count(b'"ok"') < 3:
        assert _rpc._fill(conn.replies, conn.pending, 1 << 16)
    assert f(10) == [1, 10]
    assert f(20) == [2, 20]
    assert f(30) == [3, 30]
    assert not conn.ahead
    assert f(40) == [4, 40]  # past the plan: one round trip


def test_a_call_the_plan_did_not_foresee_reads_the_planned_answers_first(
    program: tuple[_checker.Connection, int],
) -> None:
    conn, _ = program
    f = _names(conn)["f"]
    conn.prefetch([(f, [1], {}), (f, [2], {})])
    assert f(5) == [3, 5]  # both planned calls ran before it, in the program's order
    assert not conn.ahead


@pytest.mark.parametrize("stopper", ["boom", "Box"])
def test_an_exception_or_a_handle_ends_the_plan_on_both_sides(
    program: tuple[_checker.Connection, int], stopper: str
) -> None:
    conn, _ = program
    names = _names(conn)
    f, stop = names["f"], names[stopper]
    conn.prefetch([(f, [1], {}), (stop, [2], {}), (f, [3], {})])
    assert f(1) == [1, 1]
    if stopper == "boom":
        with pytest.raises(KeyError):
            stop(2)
    else:
        assert isinstance(stop(2), _checker.Remote)
    assert not conn.ahead  # the checker expects no more planned answers...
    assert _pipe_empty(conn.replies)  # ...and the program sent none: f(3) never ran ahead
    assert f(3) == [3, 3]


# --- verdicts, through the sandbox ---------------------------------------------------------------
@pytest.fixture(scope="module")
def ex() -> Iterator[LocalExecutor]:
    with LocalExecutor(workers=2) as executor:
        yield executor


def both(ex: LocalExecutor, code: str, *asserts: str) -> tuple[ExecResult, ExecResult]:
    """The job with planned calls, then the same with none planned."""
    ahead = check(*asserts)
    assert planned(ahead), ahead
    one_by_one = check("unplanned = 1", *asserts)
    assert not planned(one_by_one)
    a, b = ex.run_many([Job.python(code, check=t, limits=FAST) for t in (ahead, one_by_one)])
    return a, b


def same(a: ExecResult, b: ExecResult, output: bool = True) -> str:
    """Both outcomes and failing assertions alike (line numbers differ by one), and the output.

    `output=False` where a test fails at an assert with planned calls after it:
    those may have run (and printed) in the program before the checker's
    verdict stopped it, which is all that may differ.
    """
    assert (a.outcome, _failing_line(a)) == (b.outcome, _failing_line(b))
    assert a.stderr.splitlines()[-1:] == b.stderr.splitlines()[-1:]
    assert a.stdout == b.stdout if output else a.stdout.startswith(b.stdout)
    return a.outcome


def _failing_line(result: ExecResult) -> str:
    """The failing assertion's own text in the traceback (the line numbers differ by one)."""
    lines = [line.strip() for line in result.stderr.splitlines()]
    frames = [lines[i + 1] for i, line in enumerate(lines[:-1]) if line.startswith('File "tests')]
    return frames[-1] if frames else ""


STATEFUL = "n = [0]\ndef f(x):\n    n[0] += 1\n    print('call', n[0])\n    return n[0] * x\n"


def test_a_program_with_state_sees_the_same_calls_in_the_same_order(ex: LocalExecutor) -> None:
    good = ("assert candidate(1) == 1", "assert candidate(1) == 2", "assert candidate(2) == 6")
    assert same(*both(ex, STATEFUL, *good)) == "passed"
    bad = ("assert candidate(1) == 1", "assert candidate(1) == 3", "assert candidate(2) == 6")
    a, b = both(ex, STATEFUL, *bad)
    assert same(a, b, output=False) == "failed"
    assert _failing_line(a) == "assert candidate(1) == 3"


def test_a_call_after_the_first_failure_cannot_turn_it_into_a_timeout(ex: LocalExecutor) -> None:
    code = "def f(x):\n    if x == 2:\n        while True:\n            pass\n    return x\n"
    a, b = both(ex, code, "assert candidate(1) == 0", "assert candidate(2) == 2")
    assert same(a, b) == "failed"
    assert a.duration_ms < 3000
    crash = "def f(x):\n    if x == 2:\n        import os\n        os._exit(0)\n    return x\n"
    asserts = ("assert candidate(1) == 0", "assert candidate(2) == 2")
    assert same(*both(ex, crash, *asserts), output=False) == "failed"


def test_a_call_that_never_ends_before_any_failure_is_still_a_timeout() -> None:
    code = "def f(x):\n    while x == 2:\n        pass\n    return x\n"
    with LocalExecutor(workers=1) as ex:
        a, b = (
            ex.run_many([Job.python(code, check=t, limits=Limits(timeout=1)) for t in tests])[0]
            for tests in (
                [check("assert candidate(1) == 1", "assert candidate(2) == 2")],
                [check("unplanned = 1", "assert candidate(1) == 1", "assert candidate(2) == 2")],
            )
        )
    assert a.outcome == b.outcome == "timeout"


def test_exceptions_stop_the_calls_where_they_are_raised(ex: LocalExecutor) -> None:
    code = (
        "def f(x):\n    print('called', x)\n"
        "    if x == 2:\n        raise ValueError('two')\n"
        "    if x == 3:\n        raise AssertionError('three')\n    return x\n"
    )
    asserts = ("assert candidate(1) == 1", "assert candidate(2) == 2", "assert candidate(4) == 4")
    a, b = both(ex, code, *asserts)
    assert same(a, b) == "runtime_error"
    assert a.stdout == "called 1\ncalled 2\n"  # the call after the exception never ran
    failing = ("assert candidate(3) == 3", "assert candidate(4) == 4")
    assert same(*both(ex, code, *failing)) == "failed"  # its AssertionError is a failed test


def test_mutable_arguments_are_the_programs_own_copies(ex: LocalExecutor) -> None:
    code = "kept = []\ndef f(xs):\n    xs.append(len(kept))\n    kept.append(xs)\n    return kept\n"
    asserts = (
        "assert candidate([]) == [[0]]",
        "assert candidate([]) == [[0], [1]]",
        "assert candidate(['a']) == [[0], [1], ['a', 2]]",
    )
    assert same(*both(ex, code, *asserts)) == "passed"


def test_an_object_of_the_program_is_asked_before_the_next_call(ex: LocalExecutor) -> None:
    """`assert candidate(True)` asks the returned object's truth: the next call must wait for it."""
    code = (
        "state = [None]\n"
        "class Truth:\n    def __bool__(self):\n        return state[0]\n"
        "def f(x):\n    state[0] = x\n    return Truth()\n"
    )
    a, b = both(ex, code, "assert candidate(True)", "assert not candidate(False)")
    assert same(a, b) == "passed"


def test_tests_that_swallow_nothing_still_fail_on_a_forged_equal(ex: LocalExecutor) -> None:
    code = (
        "class Any:\n    def __eq__(self, other):\n        return True\n"
        "def f(x):\n    return Any()\n"
    )
    assert same(*both(ex, code, "assert candidate(1) == 5", "assert candidate(2) == 6")) == (
        "failed"
    )
