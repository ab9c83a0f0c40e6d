"""A model's answer to a task, as files: whole files in fenced blocks, or a unified diff.

Whole files are fenced blocks that name their path, on the fence line
(```python path=src/app.py, ```python src/app.py, ```src/app.py) or on the
line just above it (`### src/app.py`, `File: src/app.py`, `` `src/app.py`: ``).
A diff is a ```diff block, or bare text starting with `--- ` / `diff --git`.
Diffs are applied strictly (context must match, at any offset), because a
patch that only half applies is a wrong answer, not a near miss.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

_FENCE = re.compile(r"^```[ \t]*([^\n`]*)\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
_PATH = re.compile(r"^[\w./-]+\.[\w]+$|^[\w./-]*(?:Makefile|Dockerfile)$")
_ABOVE = re.compile(
    r"^(?:#+\s*|(?:file|path|filename)\s*:\s*|\*\*)?`?([\w./-]+\.\w+)`?\**:?\s*$", re.I
)
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class AnswerError(ValueError):
    """The answer holds no usable files or its diff does not apply; the attempt fails."""


@dataclass(frozen=True)
class Applied:
    files: dict[str, str]  # the workspace after the answer
    patch: str  # what changed, as a unified diff (for the artifacts)
    form: str  # "files" or "diff"


def apply_answer(workspace: Mapping[str, str], answer: str, editable: list[str]) -> Applied:
    """The workspace with the answer applied; AnswerError when nothing usable is in it."""
    diff = _diff_text(answer)
    if diff is not None:
        files = apply_diff(workspace, diff)
        form = "diff"
    else:
        found = whole_files(answer)
        if not found:
            raise AnswerError("no file in the answer (fence each file with its path, or a diff)")
        files = dict(workspace)
        files.update(found)
        form = "files"
    for path in files:
        if path not in workspace and editable and path not in editable:
            raise AnswerError(f"the answer writes {path!r}, which the task does not let it add")
        _check_path(path)
    return Applied(files=files, patch=unified_diff(workspace, files), form=form)


def whole_files(answer: str) -> dict[str, str]:
    files: dict[str, str] = {}
    for match in _FENCE.finditer(answer):
        path = _path_of(match.group(1), answer[: match.start()])
        if path is not None:
            body = match.group(2)
            files[path] = body if body.endswith("\n") else body + "\n"
    return files


def _path_of(info: str, before: str) -> str | None:
    words = info.split()
    for word in words:
        value = word.split("=", 1)[1] if word.startswith(("path=", "file=", "title=")) else word
        value = value.strip("\"'")
        if ("/" in value or "." in value) and _PATH.match(value):
            return value
    lines = [line for line in before.rstrip("\n").splitlines()[-2:] if line.strip()]
    if lines:
        found = _ABOVE.match(lines[-1].strip())
        if found:
            return found.group(1)
    return None


def _diff_text(answer: str) -> str | None:
    for match in _FENCE.finditer(answer):
        tag = match.group(1).split()[0].lower() if match.group(1).split() else ""
        if tag in ("diff", "patch", "udiff"):
            return match.group(2)
    stripped = answer.lstrip()
    if stripped.startswith(("--- ", "diff --git")):
        return stripped
    return None


def _check_path(path: str) -> None:
    if path.startswith("/") or ".." in path.split("/"):
        raise AnswerError(f"file path outside the workspace: {path!r}")


def apply_diff(workspace: Mapping[str, str], diff: str) -> dict[str, str]:
    """Apply a unified diff (a/ b/ prefixes optional) to the workspace's files."""
    files = dict(workspace)
    lines = diff.splitlines()
    i = 0
    touched = False
    while i < len(lines):
        if (
            not lines[i].startswith("--- ")
            or i + 1 >= len(lines)
            or not lines[i + 1].startswith("+++ ")
        ):
            i += 1
            continue
        old, new = _strip_prefix(lines[i][4:]), _strip_prefix(lines[i + 1][4:])
        i += 2
        hunks: list[list[str]] = []
        while i < len(lines) and not lines[i].startswith("--- "):
            if _HUNK.match(lines[i]):
                hunks.append([])
            elif hunks and lines[i][:1] in (" ", "+", "-", ""):
                hunks[-1].append(lines[i])
            i += 1
        target = new if new != "/dev/null" else old
        source = "" if old == "/dev/null" else files.get(old)
        if source is None:
            raise AnswerError(f"the diff changes {old!r}, which is not in the workspace")
        text = _apply_hunks(source, hunks, old)
        if new == "/dev/null":
            files.pop(old, None)
        else:
            if old != new and old != "/dev/null":
                files.pop(old, None)
            files[target] = text
        touched = True
    if not touched:
        raise AnswerError("the diff names no file (expected '--- a/PATH' and '+++ b/PATH')")
    return files


def _strip_prefix(name: str) -> str:
    name = name.split("\t")[0].strip()
    return name[2:] if name.startswith(("a/", "b/")) else name


def _apply_hunks(source: str, hunks: list[list[str]], name: str) -> str:
    lines = source.splitlines()
    cursor = 0
    for number, hunk in enumerate(hunks, 1):
        before = [h[1:] for h in hunk if h[:1] in (" ", "-", "")]
        after = [h[1:] for h in hunk if h[:1] in (" ", "+", "")]
        at = _find(lines, before, cursor)
        if at is None:
            raise AnswerError(f"hunk {number} of the diff for {name!r} does not apply")
        lines[at : at + len(before)] = after
        cursor = at + len(after)
    return "\n".join(lines) + "\n" if lines else ""


def _find(lines: list[str], block: list[str], start: int) -> int | None:
    if not block:
        return start
    order: list[int] = [*range(start, len(lines) - len(block) + 1), *range(0, start)]
    for at in order:
        if lines[at : at + len(block)] == block:
            return at
    stripped = [b.rstrip() for b in block]
    for at in range(len(lines) - len(block) + 1):  # tolerate trailing-space drift
        if [x.rstrip() for x in lines[at : at + len(block)]] == stripped:
            return at
    return None


def unified_diff(before: Mapping[str, str], after: Mapping[str, str]) -> str:
    parts: list[str] = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        parts.extend(
            difflib.unified_diff(
                (old or "").splitlines(True),
                (new or "").splitlines(True),
                fromfile=f"a/{path}" if old is not None else "/dev/null",
                tofile=f"b/{path}" if new is not None else "/dev/null",
            )
        )
    return "".join(parts)
