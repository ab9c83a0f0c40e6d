"""Which parts an attempt shows: a diff only against a reference text, code for code runs."""

from __future__ import annotations

from benchlab.domain import Score
from benchlab.server.attempt_view import attempt_view
from benchlab.suites.loader import load_suite
from support.attempt_details import detail as _attempt

TEST = "def check(candidate):\n    assert candidate(1) == 2\n"


def test_an_exact_match_gets_the_diff_against_its_reference() -> None:
    view = attempt_view(
        _attempt("Sydney", "Canberra", Score(scorer="exact", value=0, passed=False))
    )
    assert view.diff is not None and "<del>Canberra</del><ins>Sydney</ins>" in str(view.diff)
    assert not view.is_code and view.expected_text == "Canberra"


def test_a_judged_answer_says_why_it_has_no_diff() -> None:
    view = attempt_view(
        _attempt("It is fine.", "a rubric", Score(scorer="judge", value=1, passed=True))
    )
    assert view.diff is None and view.no_diff and "judge" in view.no_diff


def test_a_code_attempt_shows_tests_and_program_not_a_diff() -> None:
    details = {"outcome": "failed", "exit_code": 1, "stdout": "", "stderr": "AssertionError"}
    failed = Score(scorer="python_tests", value=0, passed=False, details=details)
    answer = "```python\ndef inc(x):\n    return x\n```"
    view = attempt_view(_attempt(answer, {"test": TEST, "entry_point": "inc"}, failed))
    assert view.is_code and view.diff is None and "tests" in (view.no_diff or "")
    tests, entry = view.expected_fields
    assert entry.name == "entry_point" and "inc" in str(entry.html)
    assert tests.name == "test" and '<span class="k">def</span>' in str(tests.html)
    assert "\\n" not in str(tests.html)
    assert view.program is not None and "inc" in str(view.program)
    (run,) = view.sandbox
    assert run.passed is False and ("outcome", "failed") in run.facts
    levels = {(e.level, e.message) for e in view.log}
    assert ("error", "stderr") in levels  # a failing program's stderr is the error


def test_a_task_attempt_shows_its_files_as_code_and_no_spliced_program() -> None:
    """The catalog's own py-word-freq case: its tests and workspace are files, read as code."""
    (case,) = [c for c in load_suite("tasks").iter_cases() if c.id == "py-word-freq"]
    details = {"outcome": "failed", "exit_code": 1, "stdout": "", "stderr": "ImportError"}
    failed = Score(scorer="task_tests", value=0, passed=False, details=details)
    answer = "```python path=wordfreq.py\ndef top_words(text, n):\n    return []\n```"
    view = attempt_view(_attempt(answer, case.expected, failed))
    fields = {f.name: str(f.html) for f in view.expected_fields}
    test_file = fields["tests · test_wordfreq.py"]
    assert '<span class="kn">import</span>' in test_file and "\\n" not in test_file
    assert '<span class="k">def</span>' in fields["workspace · wordfreq.py"]
    assert "tests" not in fields and "workspace" not in fields
    assert view.program is None  # `{unittest} test_wordfreq` is a command, not code to splice
    assert view.is_code and view.diff is None


def test_a_test_file_is_highlighted_by_its_name() -> None:
    rust = attempt_view(
        _attempt(
            "fn main() {}",
            {"language": "rust", "tests": {"tests.rs": "#[test]\nfn ok() { assert!(true); }\n"}},
            Score(scorer="task_tests", value=1, passed=True),
        )
    )
    (field,) = rust.expected_fields[1:]
    assert field.name == "tests · tests.rs" and '<span class="k">fn</span>' in str(field.html)
