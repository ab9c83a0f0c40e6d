"""Answers as files: fenced whole files in every usual spelling, and unified diffs."""

from __future__ import annotations

import pytest

from benchlab.tasks.answers import AnswerError, apply_answer, apply_diff, unified_diff, whole_files

WORKSPACE = {"app.py": "def f():\n    return 1\n", "util/helpers.py": "X = 1\n"}


@pytest.mark.parametrize(
    "answer",
    [
        "```python path=app.py\ndef f():\n    return 2\n```",
        "Here:\n```python app.py\ndef f():\n    return 2\n```",
        "```app.py\ndef f():\n    return 2\n```",
        "### app.py\n```python\ndef f():\n    return 2\n```",
        "File: `app.py`\n```python\ndef f():\n    return 2\n```\nDone.",
        "**app.py**\n```python\ndef f():\n    return 2\n```",
    ],
)
def test_whole_file_spellings(answer: str) -> None:
    applied = apply_answer(WORKSPACE, answer, [])
    assert applied.form == "files"
    assert applied.files["app.py"] == "def f():\n    return 2\n"
    assert applied.files["util/helpers.py"] == "X = 1\n"
    assert "-    return 1" in applied.patch and "+    return 2" in applied.patch


def test_unified_diff_answer_applies_at_an_offset() -> None:
    diff = (
        "```diff\n--- a/app.py\n+++ b/app.py\n@@ -10,2 +10,2 @@\n def f():\n"
        "-    return 1\n+    return 3\n```"
    )
    applied = apply_answer(WORKSPACE, diff, [])
    assert applied.form == "diff"
    assert applied.files["app.py"] == "def f():\n    return 3\n"


def test_diff_can_add_and_delete_files() -> None:
    diff = (
        "--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,1 @@\n+Y = 2\n"
        "--- a/util/helpers.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-X = 1\n"
    )
    files = apply_diff(WORKSPACE, diff)
    assert files["new.py"] == "Y = 2\n" and "util/helpers.py" not in files


def test_a_diff_that_does_not_apply_is_an_answer_error() -> None:
    diff = "--- a/app.py\n+++ b/app.py\n@@ -1,1 +1,1 @@\n-nothing like this\n+x\n"
    with pytest.raises(AnswerError, match="does not apply"):
        apply_answer(WORKSPACE, diff, [])
    with pytest.raises(AnswerError, match="not in the workspace"):
        apply_diff(WORKSPACE, "--- a/nope.py\n+++ b/nope.py\n@@ -1 +1 @@\n-a\n+b\n")


def test_no_files_and_paths_outside_are_rejected() -> None:
    with pytest.raises(AnswerError, match="no file"):
        apply_answer(WORKSPACE, "I would change the return value.", [])
    with pytest.raises(AnswerError, match="outside"):
        apply_answer(WORKSPACE, "```python path=../evil.py\nx\n```", [])
    assert whole_files("```python\nx = 1\n```") == {}


def test_round_trip_of_our_own_patches() -> None:
    after = {"app.py": "def f():\n    return 5\n", "util/helpers.py": "X = 1\n"}
    assert apply_diff(WORKSPACE, unified_diff(WORKSPACE, after)) == after
