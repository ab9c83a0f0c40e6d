"""`Case.ideal_answer`: what the offline oracle answers, and when it has nothing to say."""

from __future__ import annotations

from typing import Any

import pytest

from benchlab.domain import Case


@pytest.mark.parametrize(
    ("expected", "reference", "ideal"),
    [
        ("Canberra", None, "Canberra"),
        (1969, None, 1969),
        (["a", "b"], None, ["a", "b"]),
        ({"name": "Ada", "year": 1843}, None, {"name": "Ada", "year": 1843}),  # a JSON answer
        ({"test": "def check(f): ...", "entry_point": "f"}, None, None),  # python_tests
        ({"tests": [{"input": "1", "output": "2"}]}, None, None),  # stdio_tests
        ({"workspace": "w", "test": "make test", "tests": {}}, None, None),  # task_tests
        ({"tests": []}, "def f(): return 1", "def f(): return 1"),  # a reference wins
        (None, None, None),
    ],
)
def test_ideal_answer(expected: Any, reference: str | None, ideal: Any) -> None:
    case = Case(id="c", input="q", expected=expected, reference=reference)
    assert case.ideal_answer == ideal
