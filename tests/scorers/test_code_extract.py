"""Completion extraction: fences, repeated prompt or signature, prose around the code."""

from __future__ import annotations

import ast

import pytest

from benchlab.scorers.code_extract import code_blocks, extract_completion

PROMPT = 'def add(a, b):\n    """Add two numbers."""\n'
BODY = "    return a + b\n"


def program(output: str) -> str:
    text = PROMPT + extract_completion(output, PROMPT, "add")
    ast.parse(text)
    return text


def behaves(output: str) -> bool:
    namespace: dict[str, object] = {}
    exec(program(output), namespace)
    add = namespace["add"]
    assert callable(add)
    result: object = add(2, 3)
    return result == 5


@pytest.mark.parametrize(
    "output",
    [
        BODY,  # a completion model's bare continuation
        PROMPT + BODY,  # the whole prompt repeated (the oracle's reference)
        f"```python\n{PROMPT}{BODY}```",
        "def add(a, b):\n    return a + b\n",  # the signature repeated, docstring dropped
        f"Here is the function:\n\n```python\ndef add(a, b):\n{BODY}```\n\nIt adds them.",
        f"Sure! Here it is:\n```py\nimport math\n\ndef add(a, b):\n{BODY}```",
        f"```\ndef add(a, b):\n{BODY}```",  # an untagged fence
        f"```python\ndef add(a, b):\n{BODY}",  # an unclosed fence (the answer was cut off)
        f"def add(a, b):\n{BODY}\nThis function returns the sum of a and b.",
        "return a + b",  # a body written flush left
        f"```python\ndef helper():\n    pass\n```\n\n```python\ndef add(a, b):\n{BODY}```",
        f"```python\ndef add(a, b):\n{BODY}```\n\nExample:\n```python\nprint(add(1, 2))\n```",
    ],
)
def test_answers_in_every_usual_shape_give_the_function(output: str) -> None:
    assert behaves(output)


def test_a_wrong_answer_stays_wrong() -> None:
    assert not behaves("```python\ndef add(a, b):\n    return a - b\n```")


def test_code_blocks_reads_tags_and_bodies() -> None:
    text = "a\n```Python\nx = 1\n```\nb\n```js\ny\n```"
    assert code_blocks(text) == [("python", "x = 1"), ("js", "y")]


def test_the_canonical_continuation_is_returned_unchanged() -> None:
    assert extract_completion(PROMPT + BODY, PROMPT, "add") == BODY


@pytest.mark.parametrize(
    "output",
    [
        "```python\nR = 3\ndef cells(n):\n    return R * n\n```",
        "Here it is:\n```python\nR = 3\r\ndef cells(n):\r\n    return R * n\r\n```\nDone.",
        "R = 3\ndef cells(n):\n    return R * n",
    ],
)
def test_with_no_prompt_to_complete_the_answer_is_the_whole_program(output: str) -> None:
    """MBPP's cases have no prompt code: a program opening with a statement stays flush left
    (as a body it would be indented under nothing and fail to compile)."""
    namespace: dict[str, object] = {}
    exec(extract_completion(output, ""), namespace)
    cells = namespace["cells"]
    assert callable(cells) and cells(2) == 6
