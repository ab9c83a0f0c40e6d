"""One attempt as the attempt panel and the compare page show it, rendered on the server.

Rendering here rather than in the browser keeps one safe path for untrusted
text: answers go through `markdown.render_markdown` (no raw HTML, code
highlighted by Pygments), test code and tool arguments through `highlight`,
diffs through `answer_diff`; the browser only inserts the fragment. What each
part means is decided per attempt:

- a code attempt (its scorer runs the answer: `python_tests`, `stdio_tests`,
  `task_tests`) shows its tests and the program that ran as highlighted code,
  and the sandbox's verdict and output; it gets no answer-vs-expected diff
  (the tests are not an answer);
- an attempt scored against a reference text (`exact`, `contains`, `fuzzy`,
  `numeric`, `json`, `semantic`) gets the diff of its answer against it;
- a judged attempt (or one with no reference) says why there is no diff.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from benchlab.analysis.attempt_views import AttemptDetail
from benchlab.domain import Score
from benchlab.scorers.code_extract import extract_completion
from benchlab.server.answer_diff import diff_html
from benchlab.server.attempt_log import LogEntry, attempt_log
from benchlab.server.markdown import highlight, highlight_file, render_markdown
from benchlab.server.tool_timeline import ToolStep, tool_timeline

__all__ = [
    "CODE_SCORERS",
    "REFERENCE_SCORERS",
    "AttemptView",
    "Field",
    "OtherDiff",
    "SandboxRun",
    "attempt_view",
]

CODE_SCORERS = frozenset({"python_tests", "stdio_tests", "task_tests"})
REFERENCE_SCORERS = frozenset({"exact", "contains", "fuzzy", "numeric", "json", "semantic"})
_SANDBOX_KEYS = ("outcome", "exit_code", "duration_ms", "isolation", "tests_passed", "tests")


@dataclass(frozen=True)
class Field:
    """One part of a structured expected answer (a test file, an entry point)."""

    name: str
    html: Markup


@dataclass(frozen=True)
class SandboxRun:
    scorer: str
    passed: bool | None
    explanation: str
    facts: list[tuple[str, str]]
    stdout: str
    stderr: str


@dataclass(frozen=True)
class OtherDiff:
    id: str
    model: str
    status: str
    passed: bool | None
    diff: Markup


@dataclass
class AttemptView:
    detail: AttemptDetail
    answer: Markup
    is_code: bool
    expected_text: str | None  # a plain reference answer
    expected_fields: list[Field]  # a structured one (tests, entry point, ...)
    program: Markup | None  # the code the sandbox ran, highlighted
    sandbox: list[SandboxRun]
    diff: Markup | None  # this answer against the expected one, where that means something
    no_diff: str | None  # why there is none
    others: list[OtherDiff] = field(default_factory=list)
    tools: list[ToolStep] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)

    @property
    def log_levels(self) -> list[str]:
        return sorted({e.level for e in self.log}, key=("error", "warning", "info", "debug").index)


def _scorers(scores: list[Score]) -> set[str]:
    return {s.scorer for s in scores if s.scorer != "human"}


def _is_code(a: AttemptDetail) -> bool:
    names = _scorers(a.scores)
    if names & CODE_SCORERS:
        return True
    expected = a.expected
    return isinstance(expected, Mapping) and isinstance(expected.get("test"), str)


def _field(name: str, value: Any, code: bool, language: str = "python") -> Field:
    if isinstance(value, str):
        multiline = "\n" in value.strip()
        return Field(name, highlight(value, language if code and multiline else None))
    return Field(name, highlight(json.dumps(value, indent=2, ensure_ascii=False), "json"))


def _files(value: Any) -> Mapping[str, str] | None:
    """A task's `workspace` or `tests`: file name -> content (None for anything else)."""
    if not isinstance(value, Mapping) or not value:
        return None
    if all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return value
    return None


def _fields(name: str, value: Any, code: bool, language: str) -> list[Field]:
    """One field, or for a code case's files one highlighted field per file: a task's test
    file read as code, not as a JSON string of `\\n` escapes."""
    files = _files(value) if code else None
    if files is None:
        return [_field(name, value, code, language)]
    return [
        Field(f"{name} · {path}", highlight_file(text, path, language))
        for path, text in files.items()
    ]


def _expected(a: AttemptDetail, code: bool) -> tuple[str | None, list[Field]]:
    e = a.expected
    if e is None:
        return None, []
    if isinstance(e, Mapping):
        language = e.get("language")
        lang = language if isinstance(language, str) and language else "python"
        return None, [f for k, v in e.items() for f in _fields(str(k), v, code, lang)]
    if isinstance(e, list):
        return None, [_field(str(i), v, code) for i, v in enumerate(e)]
    return str(e), []


def _program(a: AttemptDetail) -> Markup | None:
    """The program `python_tests` ran: the prompt it completes plus the extracted answer."""
    e = a.expected
    if a.output is None or not isinstance(e, Mapping) or not isinstance(e.get("test"), str):
        return None
    if "task_tests" in _scorers(a.scores) or "workspace" in e:
        return None  # a task's `test` is a command and its answer whole files: no program to splice
    prompt = e.get("prompt")
    if prompt is None and a.case is not None and isinstance(a.case.get("input"), str):
        prompt = a.case["input"]
    entry = e.get("entry_point")
    prompt = str(prompt or "")
    try:
        completion = extract_completion(a.output, prompt, str(entry) if entry else None)
    except Exception:  # a display aid: an odd answer shows no program, not a 500
        return None
    return highlight(prompt + completion, "python")


def _sandbox(a: AttemptDetail) -> list[SandboxRun]:
    runs = []
    for s in a.scores:
        d = s.details or {}
        if s.scorer not in CODE_SCORERS and "exit_code" not in d:
            continue
        facts = [(k.replace("_", " "), str(d[k])) for k in _SANDBOX_KEYS if d.get(k) is not None]
        runs.append(
            SandboxRun(
                scorer=s.scorer if not s.pass_no else f"{s.scorer} (pass {s.pass_no})",
                passed=s.passed,
                explanation=s.explanation,
                facts=facts,
                stdout=str(d.get("stdout") or ""),
                stderr=str(d.get("stderr") or ""),
            )
        )
    return runs


def _diff(a: AttemptDetail, code: bool, expected: str | None) -> tuple[Markup | None, str | None]:
    names = _scorers(a.scores)
    if code:
        return None, "no diff: the answer is checked by running tests, not against a text"
    if expected is None:
        return None, "no diff: the case has no reference answer"
    if a.output is None:
        return None, "no diff: there is no answer"
    if names and not names & REFERENCE_SCORERS:
        judged = ", ".join(sorted(names))
        return None, f"no diff: scored by {judged}, which does not compare with the reference text"
    return diff_html(expected, a.output), None


def attempt_view(a: AttemptDetail, *, others: bool = True) -> AttemptView:
    """Everything the panel shows of `a`, rendered and escaped (`others=False`: without the
    diffs against the other models' answers, which the compare page does not show)."""
    code = _is_code(a)
    expected_text, fields = _expected(a, code)
    diff, no_diff = _diff(a, code, expected_text)
    return AttemptView(
        detail=a,
        answer=render_markdown(a.output),
        is_code=code,
        expected_text=expected_text,
        expected_fields=fields,
        program=_program(a) if code else None,
        sandbox=_sandbox(a),
        diff=diff,
        no_diff=no_diff,
        others=[
            OtherDiff(o.id, o.model, o.status, o.passed, diff_html(o.output, a.output))
            for o in (a.others if others else [])
        ],
        tools=tool_timeline(a.tool_calls, a.prompt),
        log=attempt_log(a),
    )
