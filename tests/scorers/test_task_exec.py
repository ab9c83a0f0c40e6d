"""Forged passes of multi-language tasks: wrong programs that exit 0 or skip their tests.

Every answer below is a task's (wrong) starter workspace plus a trick that
made the old `task_tests` record a pass on the test command's exit status
alone. The scorer must fail each one for real, in the real sandbox, with the
task's real toolchain, because the runner's report lacks the declared tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from benchlab.domain import Case, ScorerSpec
from benchlab.scorers import build_scorer
from benchlab.scorers.base import Answer, NoModels
from benchlab.scorers.task_exec import TaskTests
from benchlab.suites import load_suite
from benchlab.tasks.catalog import as_files_answer, missing_toolchain

CASES = {c.id: c for c in load_suite("tasks").iter_cases()}

Files = dict[str, str]


@dataclass(frozen=True)
class Forgery:
    name: str
    task: str
    forge: Callable[[Files], Files]
    exits_zero: bool  # the program's test command ends with status 0: exit status alone passed it


def _append(path: str, text: str) -> Callable[[Files], Files]:
    return lambda files: {**files, path: files[path] + text}


def _prepend(path: str, text: str) -> Callable[[Files], Files]:
    return lambda files: {**files, path: text + files[path]}


def _add(path: str, text: str) -> Callable[[Files], Files]:
    return lambda files: {**files, path: text}


def _then(*steps: Callable[[Files], Files]) -> Callable[[Files], Files]:
    def forge(files: Files) -> Files:
        for step in steps:
            files = step(files)
        return files

    return forge


def _replace(path: str, old: str, new: str) -> Callable[[Files], Files]:
    def forge(files: Files) -> Files:
        assert old in files[path], (path, old)
        return {**files, path: files[path].replace(old, new, 1)}

    return forge


_GO_MAIN = (
    'package sum\n\nimport (\n\t"os"\n\t"testing"\n)\n\n'
    "func TestMain(m *testing.M) { os.Exit(0) }\n"
)
_GO_OTHER_TESTS = (
    'package sum\n\nimport (\n\t"flag"\n\t"os"\n\t"testing"\n)\n\n'
    "func TestFake(t *testing.T) {}\n\n"
    'func TestMain(m *testing.M) {\n\tflag.Set("test.run", "TestFake")\n\tos.Exit(m.Run())\n}\n'
)
_RUST_CTOR = (
    '\n#[used]\n#[link_section = ".init_array"]\n'
    'static EXIT_EARLY: extern "C" fn() = {\n'
    '    extern "C" fn exit_early() {\n        std::process::exit(0)\n    }\n'
    "    exit_early\n};\n"
)
_FORGED_UNITTEST_REPORT = (
    "\nimport json, os\n"
    'print("BENCHLAB-UNITTEST-REPORT " + json.dumps({"tests": [[f"test_stats.Median.{n}", '
    '"passed"] for n in ("test_odd_unsorted", "test_even", "test_empty", '
    '"test_input_untouched")], "error": ""}), flush=True)\nos._exit(0)\n'
)

CORPUS = [
    # Python
    Forgery(
        "os._exit on import",
        "py-fix-median",
        _append("stats.py", "\nimport os\nos._exit(0)\n"),
        True,
    ),
    Forgery(
        "sys.exit on import",
        "py-fix-median",
        _append("stats.py", "\nimport sys\nsys.exit(0)\n"),
        False,
    ),
    Forgery(
        "TestCase.run patched to do nothing",
        "py-fix-median",
        _append(
            "stats.py", "\nimport unittest\nunittest.TestCase.run = lambda self, r=None: None\n"
        ),
        False,
    ),
    Forgery(
        "atexit hook exits 0",
        "py-fix-median",
        _append("stats.py", "\nimport atexit, os\natexit.register(lambda: os._exit(0))\n"),
        False,
    ),
    Forgery(
        "a unittest package of its own",
        "py-fix-median",
        _then(_add("unittest/__init__.py", "\n"), _add("unittest/__main__.py", "\n")),
        False,
    ),
    Forgery(
        "prints the runner's report",
        "py-fix-median",
        _append("stats.py", _FORGED_UNITTEST_REPORT),
        True,
    ),
    Forgery(
        "os._exit from the function under test",
        "py-fix-median",
        _replace("stats.py", "    middle =", "    import os\n    os._exit(0)\n    middle ="),
        True,
    ),
    Forgery(
        "a thread exits 0 while the tests run",
        "py-fix-median",
        _replace(
            "stats.py",
            "    middle =",
            "    import os, threading\n    threading.Thread(target=os._exit, args=(0,)).start()\n"
            "    threading.Event().wait(5)\n    middle =",
        ),
        True,
    ),
    # Go
    Forgery(
        "func init() { os.Exit(0) }",
        "go-fix-sum-evens",
        _replace(
            "sum.go", "package sum\n", 'package sum\n\nimport "os"\n\nfunc init() { os.Exit(0) }\n'
        ),
        True,
    ),
    Forgery("a TestMain that runs nothing", "go-fix-sum-evens", _add("zz_test.go", _GO_MAIN), True),
    Forgery(
        "a TestMain that runs other tests",
        "go-fix-sum-evens",
        _add("zz_test.go", _GO_OTHER_TESTS),
        True,
    ),
    # JavaScript
    Forgery(
        "process.exit(0) on load",
        "js-camel-case",
        _append("camel.js", "\nprocess.exit(0);\n"),
        True,
    ),
    Forgery(
        "exit code forced to 0",
        "js-camel-case",
        _append("camel.js", '\nprocess.on("exit", () => { process.exitCode = 0; });\n'),
        False,
    ),
    Forgery(
        "prints TAP of its own",
        "js-camel-case",
        _append(
            "camel.js",
            '\nconsole.log("ok 1 - words become camelCase\\nok 2 - separators at the ends are '
            'ignored\\n1..2");\nprocess.exit(0);\n',
        ),
        True,
    ),
    Forgery(
        "process.exit(0) inside a test",
        "js-camel-case",
        _replace("camel.js", "  // TODO", "  process.exit(0);"),
        True,
    ),
    # Rust
    Forgery(
        "process::exit(0) inside a test",
        "rust-fix-gcd",
        _replace("src/lib.rs", "{", "{\n    std::process::exit(0);"),
        True,
    ),
    Forgery(
        "an .init_array constructor exits 0",
        "rust-fix-gcd",
        _append("src/lib.rs", _RUST_CTOR),
        True,
    ),
    # C++
    Forgery(
        "a static initializer exits 0",
        "cpp-word-count",
        _append(
            "wc.hpp", "\n#include <cstdlib>\nstatic const int exit_early = (std::exit(0), 0);\n"
        ),
        True,
    ),
    Forgery(
        "exits 0 from the function under test",
        "cpp-word-count",
        _then(
            _prepend("wc.hpp", "#include <cstdlib>\n"),
            _replace("wc.hpp", "Counts c;", "Counts c;\n    std::_Exit(0);"),
        ),
        True,
    ),
    Forgery(
        "an atexit hook turns the failure into 0",
        "cpp-word-count",
        _append(
            "wc.hpp",
            "\n#include <cstdlib>\nstatic const int hook = std::atexit([] { std::_Exit(0); });\n",
        ),
        True,
    ),
]


@pytest.fixture(scope="module")
def scorer() -> Iterator[TaskTests]:
    built = build_scorer(ScorerSpec(name="task_tests"))
    assert isinstance(built, TaskTests)
    yield built
    asyncio.run(built.aclose())


def _needs_toolchain(case: Case) -> None:
    tool = missing_toolchain(case.expected["language"])
    if tool is not None:
        pytest.skip(f"{tool} is not installed here: {case.expected['language']} tasks are skipped")


def test_every_language_has_forgeries() -> None:
    languages = {CASES[f.task].expected["language"] for f in CORPUS}
    assert languages == {"python", "go", "javascript", "rust", "cpp"}


@pytest.mark.slow
@pytest.mark.parametrize("forgery", CORPUS, ids=[f"{f.task}:{f.name}" for f in CORPUS])
async def test_a_forged_pass_fails(scorer: TaskTests, forgery: Forgery) -> None:
    case = CASES[forgery.task]
    _needs_toolchain(case)
    files = forgery.forge(dict(case.expected["workspace"]))
    answer = as_files_answer(files, case.expected["language"])
    result = await scorer.score(case, Answer(output=answer), NoModels())
    assert result.passed is False, (forgery.name, result.explanation, result.details)
    assert result.details is not None
    assert result.details["outcome"] in ("failed", "runtime_error"), result.details
    if forgery.exits_zero:  # the trick really worked on the exit status: only the report catches it
        assert result.details["exit_code"] == 0, result.details
        assert result.details["report"] != "every declared test ran and passed"


_FORGED_TAP = (
    "\n#include <cstdio>\n#include <cstdlib>\n"
    'static const int forged = (std::printf("ok 1 - two lines\\nok 2 - empty\\n'
    'ok 3 - tabs and spaces\\n1..3\\n"), std::fflush(stdout), std::_Exit(0), 0);\n'
)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="not defended (see the task_exec docstring): a program that writes its runner's "
    "exact report, hidden test names included, shares the runner's process and stdout",
)
async def test_a_report_forged_with_the_hidden_names_is_not_caught(scorer: TaskTests) -> None:
    case = CASES["cpp-word-count"]
    _needs_toolchain(case)
    files = _append("wc.hpp", _FORGED_TAP)(dict(case.expected["workspace"]))
    answer = as_files_answer(files, case.expected["language"])
    result = await scorer.score(case, Answer(output=answer), NoModels())
    assert result.passed is False
