"""Turning a model's answer into the completion that follows a code prompt.

Chat models rarely answer with the bare continuation that HumanEval-style
harnesses expect: they fence the code, repeat the signature (or the whole
prompt), and add prose before and after. Each of those is undone here, and
nothing else: the code itself is never rewritten, so a wrong answer stays
wrong. The result is always meant to be appended to the prompt.
"""

from __future__ import annotations

import ast
import re

_FENCE = re.compile(r"```[ \t]*([\w+#.-]*)[^\n]*\n(.*?)(?:\n[ \t]*```|\Z)", re.DOTALL)
_PYTHON_TAGS = {"", "python", "py", "python3", "py3"}
_CODE_START = re.compile(r"^(?:def |async def |class |import |from |@|#|if __name__)")


def code_blocks(text: str) -> list[tuple[str, str]]:
    """(language tag, body) of every fenced block; an unclosed last fence runs to the end."""
    return [(m.group(1).lower(), m.group(2)) for m in _FENCE.finditer(text)]


def extract_completion(output: str, prompt: str, entry_point: str | None = None) -> str:
    """The text to append to `prompt` so that the program holds the model's function."""
    code = _pick_code(output, entry_point)
    if not prompt.strip():
        # Nothing to complete (MBPP's cases): the answer is the whole program, kept flush left
        # even when it opens with a statement (`R = 3`) rather than a `def`.
        return _without_prose(code) + "\n"
    for needle in (prompt, prompt.strip()):
        if needle.strip() and needle in code:
            # The model repeated the prompt (the oracle does; so do completion models).
            rest = code[code.index(needle) + len(needle) :]
            return _without_prose(rest) + "\n"
    if entry_point and re.search(rf"^(?:async\s+)?def\s+{re.escape(entry_point)}\s*\(", code, re.M):
        # A whole function: appended at top level, it replaces the prompt's stub.
        return "\n" + _without_prose(code) + "\n"
    return _as_body(_without_prose(code))


def _pick_code(output: str, entry_point: str | None) -> str:
    blocks = code_blocks(output)
    if not blocks:
        return output
    python = [body for tag, body in blocks if tag in _PYTHON_TAGS] or [b for _, b in blocks]
    if entry_point:
        pattern = re.compile(rf"\bdef\s+{re.escape(entry_point)}\s*\(")
        for body in python:
            if pattern.search(body):
                return body
    return max(python, key=len)


def _without_prose(code: str) -> str:
    """Drop leading and trailing lines of plain prose (outside any fence)."""
    lines = code.splitlines()
    while lines and _is_prose(lines[0]):
        lines.pop(0)
    while lines and (not lines[-1].strip() or _is_prose(lines[-1])):
        lines.pop()
    return "\n".join(lines)


def _is_prose(line: str) -> bool:
    if not line.strip() or line[:1].isspace() or _CODE_START.match(line):
        return False
    try:
        ast.parse(line)
    except SyntaxError:
        return True
    return False


def _as_body(code: str) -> str:
    """A function body written flush left is indented under the prompt's signature."""
    lines = code.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if first and not first[:1].isspace() and not _CODE_START.match(first):
        code = "\n".join(("    " + line) if line.strip() else line for line in lines)
    return code if code.endswith("\n") else code + "\n"
