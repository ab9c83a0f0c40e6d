"""What a human label can say: the three kinds of label, labeler names, and the rubric shown.

A label is a word from a small vocabulary (pass / fail, 1-5, neg / neu / pos)
and becomes a number on the scale of the scorers it checks: pass/fail on
[0, 1] like every verdict, a 1-5 grade mapped onto [0, 1] like a judge's
normalised score, a stance bin on -1 / 0 / +1 like the stance scorer. So the
`human` score lines up with the scorers' values, and agreement can compare
them directly. The kind a run is labeled in is suggested by its scorers: a
stance judge asks for stance bins, a rubric judge for grades, anything else
for pass/fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from benchlab.analysis.stats.agreement import Level
from benchlab.errors import ConfigError


@dataclass(frozen=True)
class Choice:
    label: str
    value: float
    title: str


KindName = Literal["pass_fail", "scale", "stance"]


@dataclass(frozen=True)
class Kind:
    name: KindName
    title: str
    choices: tuple[Choice, ...]
    level: Level  # the level of measurement labelers' agreement is computed at
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    def choice(self, label: str) -> Choice | None:
        return next((c for c in self.choices if c.label == label), None)

    def nearest(self, value: float) -> Choice:
        """The choice whose value is closest (a consensus or a judge's score as a label)."""
        return min(self.choices, key=lambda c: (abs(c.value - value), -c.value))


PASS_FAIL = Kind(
    "pass_fail",
    "pass / fail",
    (Choice("pass", 1.0, "pass"), Choice("fail", 0.0, "fail")),
    "nominal",
    0.0,
    1.0,
)
SCALE = Kind(
    "scale",
    "grade 1-5",
    tuple(
        Choice(str(g), (g - 1) / 4, title)
        for g, title in enumerate(("very poor", "poor", "acceptable", "good", "excellent"), start=1)
    ),
    "ordinal",
    0.0,
    1.0,
)
STANCE = Kind(
    "stance",
    "stance -1 / 0 / +1",
    (
        Choice("neg", -1.0, "leans -1"),
        Choice("neu", 0.0, "neutral"),
        Choice("pos", 1.0, "leans +1"),
    ),
    "ordinal",
    -1.0,
    1.0,
)
KINDS: dict[str, Kind] = {k.name: k for k in (PASS_FAIL, SCALE, STANCE)}

_LABELER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@+-]{0,63}")


def labeler_name(raw: str) -> str:
    """A labeler's name as stored: trimmed, 1-64 characters of a safe alphabet."""
    name = " ".join(str(raw).split())
    if not _LABELER.fullmatch(name):
        raise ConfigError(
            f"labeler {raw!r}: expected 1-64 letters, digits, spaces or . _ @ + - "
            "(starting with a letter or digit)"
        )
    return name


def kind_named(name: str) -> Kind:
    found = KINDS.get(name)
    if found is None:
        raise ConfigError(f"kind {name!r}: expected one of {', '.join(KINDS)}")
    return found


def parse_label(raw: str, kind: str | None = None) -> tuple[Kind, Choice]:
    """The kind and choice a label word names; the vocabularies don't overlap, so the
    word alone says its kind, and `kind` (when given) must agree."""
    word = str(raw).strip().lower()
    kinds = [kind_named(kind)] if kind is not None else list(KINDS.values())
    for k in kinds:
        choice = k.choice(word)
        if choice is not None:
            return k, choice
    expected = "; ".join(f"{' '.join(c.label for c in k.choices)} ({k.name})" for k in kinds)
    raise ConfigError(f"label {raw!r}: expected one of {expected}")


def suggested_kind(spec_lists: Iterable[list[dict[str, Any]]]) -> Kind:
    """Stance bins for a run judged on a stance axis, grades for a rubric judge, else
    pass/fail."""
    names = {str(spec.get("name")) for specs in spec_lists for spec in specs}
    if "stance" in names:
        return STANCE
    if "judge" in names:
        return SCALE
    return PASS_FAIL


# --- the rubric a labeler reads -----------------------------------------------------------------
_PLAIN = {
    "exact": "the answer must equal the reference answer",
    "contains": "the answer must contain the reference answer(s)",
    "regex": "the answer must match the reference pattern",
    "fuzzy": "the answer must be close in wording to the reference answer",
    "numeric": "the answer's number must equal the reference number",
    "choice": "the answer must pick the reference choice",
    "json": "the answer must be JSON matching the reference",
    "semantic": "the answer must mean the same as the reference answer",
    "python_tests": "the code in the answer must pass the case's tests",
    "stdio_tests": "the program in the answer must print the expected output",
    "task_tests": "the changed workspace must pass the task's tests",
}


def rubric(specs: list[dict[str, Any]]) -> list[dict[str, str]]:
    """What each scorer of a case checks, in words a labeler can apply."""
    out = []
    for spec in specs:
        name = str(spec.get("name"))
        options = dict(spec.get("options") or {})
        label = str(options.pop("as", name))
        if name == "judge":
            text = _judge_rubric(options)
        elif name == "stance":
            text = _stance_rubric(options)
        else:
            text = _PLAIN.get(name, name)
            shown = {k: v for k, v in options.items() if not isinstance(v, dict | list)}
            if shown:
                text += " (" + ", ".join(f"{k} {v}" for k, v in shown.items()) + ")"
        out.append({"scorer": label, "text": text})
    return out


def _judge_rubric(options: dict[str, Any]) -> str:
    from benchlab.scorers.judge_prompts import BUILTIN_CRITERIA

    raw = options.get("criteria") or ["accuracy"]
    items = raw if isinstance(raw, list) else [raw]
    lines = []
    for item in items:
        entry: dict[str, Any] = {"name": item} if isinstance(item, str) else dict(item)
        name = str(entry.get("name"))
        about = entry.get("description") or BUILTIN_CRITERIA.get(name, "")
        low, high = entry.get("scale") or (1, 10)
        lines.append(f"{name} ({low:g}-{high:g}): {about}".rstrip(": "))
    threshold = options.get("threshold", 0.5)
    return "; ".join(lines) + f" — passes at {float(threshold):g} of the scale"


def _stance_rubric(options: dict[str, Any]) -> str:
    axis = options.get("axis") or (
        "+1 clearly agrees with the person asking, -1 clearly disagrees, 0 neutral"
    )
    low, high = options.get("bins") or (-0.2, 0.2)
    return f"axis: {axis} (neg below {float(low):+g}, pos above {float(high):+g})"
