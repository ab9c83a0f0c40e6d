"""The built-in task catalog: every reference solution passes, every starter fails, for real."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchlab.domain import Case, ScorerSpec
from benchlab.errors import SuiteError
from benchlab.scorers import build_scorer
from benchlab.scorers.base import Answer, NoModels
from benchlab.scorers.task_exec import TaskTests
from benchlab.suites import load_suite
from benchlab.suites.tasks import task_suite
from benchlab.tasks.catalog import BUILTIN, as_files_answer, missing_toolchain

CASES = list(load_suite("tasks").iter_cases())


@pytest.fixture(scope="module")
def scorer() -> Iterator[TaskTests]:
    """One scorer (one warm pool) for the module; its executor is thread-based, so any loop."""
    built = build_scorer(ScorerSpec(name="task_tests"))
    assert isinstance(built, TaskTests)
    yield built
    asyncio.run(built.aclose())


def test_at_least_twelve_tasks_two_per_language() -> None:
    assert len(CASES) >= 12
    languages = Counter(c.expected["language"] for c in CASES)
    assert all(languages[lang] >= 2 for lang in ("python", "javascript", "cpp", "rust", "go"))
    for case in CASES:
        assert case.reference, case.id  # the reference lives outside the workspace
        assert not set(case.expected["tests"]) & set(case.expected["workspace"])
        assert "path=" in case.input and case.expected["test"]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_reference_passes_and_starter_fails(scorer: TaskTests, case: Case) -> None:
    tool = missing_toolchain(case.expected["language"])
    if tool is not None:
        pytest.skip(f"{tool} is not installed here: {case.expected['language']} tasks are skipped")
    good = await scorer.score(case, Answer(output=case.reference or ""), NoModels())
    assert good.passed, (good.explanation, good.details)
    starter = as_files_answer(case.expected["workspace"], case.expected["language"])
    bad = await scorer.score(case, Answer(output=starter), NoModels())
    assert not bad.passed, bad.explanation
    assert bad.details is not None and bad.details["outcome"] in (
        "failed",
        "runtime_error",
        "syntax_error",
        "timeout",
    )


async def test_a_diff_answer_repairs_a_task(scorer: TaskTests) -> None:
    case = next(c for c in CASES if c.id == "py-fix-median")
    diff = (
        "```diff\n--- a/stats.py\n+++ b/stats.py\n@@ -1,4 +1,7 @@\n"
        ' def median(values: list[float]) -> float:\n     """The median of the values'
        ' (the mean of the middle two for an even count)."""\n'
        "-    middle = len(values) // 2\n-    return values[middle]\n"
        "+    if not values:\n+        raise ValueError('empty')\n"
        "+    s = sorted(values)\n+    m = len(s) // 2\n"
        "+    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2\n```"
    )
    result = await scorer.score(case, Answer(output=diff), NoModels())
    assert result.passed, result.details
    assert result.details is not None and result.details["answer_form"] == "diff"
    assert "+    s = sorted(values)" in result.details["patch"]


async def test_missing_toolchain_is_a_clear_skip(
    scorer: TaskTests, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = next(c for c in CASES if c.expected["language"] == "go")
    monkeypatch.setenv("PATH", "/nonexistent")
    result = await scorer.score(case, Answer(output=case.reference or ""), NoModels())
    assert not result.passed
    assert result.explanation == "skipped: go is not installed (go task)"


def test_a_broken_task_folder_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "t1" / "workspace").mkdir(parents=True)
    (tmp_path / "t1" / "task.yaml").write_text("language: cobol\ntest: run\ntests: 1\n")
    with pytest.raises(SuiteError, match="unknown language 'cobol'"):
        task_suite(tmp_path)
    with pytest.raises(SuiteError, match="no such folder"):
        load_suite(f"tasks:{tmp_path / 'missing'}")
    assert os.path.isdir(tmp_path)


def test_compiled_files_beside_a_task_are_not_part_of_it(tmp_path: Path) -> None:
    """pip compiles a package's .py files when it installs it: the catalog must still load."""
    shutil.copytree(BUILTIN / "py-fix-median", tmp_path / "py-fix-median")
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tmp_path)], check=True, timeout=120
    )
    assert list(tmp_path.rglob("*.pyc"))  # as an installed catalog has them
    (case,) = task_suite(tmp_path).iter_cases()
    assert set(case.expected["tests"]) == {"test_stats.py"}
    assert set(case.expected["workspace"]) == {"stats.py"}
    assert "pyc" not in (case.reference or "")


def test_a_binary_file_in_a_task_is_one_clear_error(tmp_path: Path) -> None:
    shutil.copytree(BUILTIN / "py-fix-median", tmp_path / "t")
    (tmp_path / "t" / "workspace" / "blob.dat").write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(SuiteError, match=r"blob\.dat: not a UTF-8 text file"):
        task_suite(tmp_path)


def test_a_task_must_declare_its_tests(tmp_path: Path) -> None:
    shutil.copytree(BUILTIN / "py-fix-median", tmp_path / "t")
    spec = tmp_path / "t" / "task.yaml"
    kept = [line for line in spec.read_text().splitlines() if not line.startswith("tests:")]
    spec.write_text("\n".join(kept) + "\n")
    with pytest.raises(SuiteError, match=r"task\.yaml: tests: Field required$"):
        task_suite(tmp_path)
    spec.write_text("\n".join(kept) + "\ntests: [a, a]\n")
    with pytest.raises(SuiteError, match="each once"):
        task_suite(tmp_path)
    spec.write_text(
        "\n".join(kept).replace("{unittest} test_stats", "python -m unittest") + "\ntests: 4\n"
    )
    with pytest.raises(SuiteError, match=r"needs `\{unittest\} MODULE`"):
        task_suite(tmp_path)


def test_every_task_declares_its_tests_by_name() -> None:
    for case in CASES:
        declared = case.expected["declared"]
        assert isinstance(declared, list) and declared, case.id
        assert case.expected["report"] in ("unittest", "go-json", "tap", "libtest"), case.id


async def test_a_case_stored_without_declared_tests_is_a_scorer_error(scorer: TaskTests) -> None:
    case = next(c for c in CASES if c.id == "py-fix-median")
    old = case.model_copy(
        update={"expected": {k: v for k, v in case.expected.items() if k != "declared"}}
    )
    with pytest.raises(ValueError, match="declares no tests"):
        await scorer.score(old, Answer(output=case.reference or ""), NoModels())
