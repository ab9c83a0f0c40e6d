"""`ifeval`: every instruction of a case checked on the reply, strict and loose.

The case shape (what the IFEval suite loader writes, one case per Hub row):

- `id`: the row's `key`; `input`: its `prompt`;
- `metadata["instruction_id_list"]`: the row's instruction ids, in order;
- `metadata["kwargs"]`: one dict of arguments per id, in the same order, with
  null for the arguments an instruction does not use (as the Hub's parquet
  stores them).

Strict checks the reply as it is. Loose, the reference's upper bound, also
accepts the reply with its first line, its last line or both removed, each
with and without asterisks: a model that says "Sure, here it is:" before an
all-lower-case answer still follows "all lower case" loosely.

The score is the prompt level (all instructions followed) of the chosen
`level` (strict by default, the figure IFEval tables lead with); `details`
carries all four of the reference's metrics for the case, so `aggregate`
gives prompt- and instruction-level accuracy over a run as lm-eval does
(instruction level is a mean over all instructions, not over prompts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.ifeval.checkers import Check
from benchlab.scorers.ifeval.registry import build_check
from benchlab.scorers.ifeval.text import require_punkt

__all__ = [
    "METRICS",
    "IFEvalScorer",
    "aggregate",
    "case_checks",
    "follows_loose",
    "follows_strict",
    "ifeval",
    "loose_variants",
]

Level = Literal["strict", "loose"]
METRICS = (
    "prompt_level_strict_acc",
    "inst_level_strict_acc",
    "prompt_level_loose_acc",
    "inst_level_loose_acc",
)


def loose_variants(reply: str) -> list[str]:
    """The reply and its loose rewrites, in the reference's order."""
    lines = reply.split("\n")
    without_first = "\n".join(lines[1:]).strip()
    without_last = "\n".join(lines[:-1]).strip()
    without_both = "\n".join(lines[1:-1]).strip()
    return [
        reply,
        reply.replace("*", ""),
        without_first,
        without_last,
        without_both,
        without_first.replace("*", ""),
        without_last.replace("*", ""),
        without_both.replace("*", ""),
    ]


def follows_strict(check: Check, reply: str) -> bool:
    """A blank reply follows nothing, whatever the check says of empty text."""
    return bool(reply.strip()) and check(reply)


def follows_loose(check: Check, reply: str) -> bool:
    # Variants often coincide (a one-line reply without asterisks is the same text four
    # times); a check is a pure function of the text, so each distinct text is checked once.
    return any(follows_strict(check, variant) for variant in dict.fromkeys(loose_variants(reply)))


def case_checks(case: Case) -> list[tuple[str, Check]]:
    """(instruction id, check) for each instruction of the case; `ValueError` names a bad shape."""
    ids = case.metadata.get("instruction_id_list")
    kwargs = case.metadata.get("kwargs")
    where = f"case {case.id!r}"
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise ValueError(f"{where}: ifeval needs metadata.instruction_id_list, a list of ids")
    if kwargs is None:
        kwargs = [{} for _ in ids]
    if not isinstance(kwargs, list) or len(kwargs) != len(ids):
        raise ValueError(
            f"{where}: metadata.kwargs must be a list of {len(ids)} dicts, one per instruction"
        )
    checks: list[tuple[str, Check]] = []
    for instruction_id, args in zip(ids, kwargs, strict=True):
        if args is not None and not isinstance(args, Mapping):
            raise ValueError(f"{where}: the kwargs of {instruction_id!r} must be a dict")
        try:
            checks.append((instruction_id, build_check(instruction_id, args)))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from exc
    return checks


class IFEvalScorer:
    """Checks a reply against each instruction of its case; see the module docstring."""

    def __init__(self, level: Level = "strict") -> None:
        self.name = "ifeval"
        self.level: Level = level

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        checks = case_checks(case)
        reply = answer.output
        strict = [follows_strict(check, reply) for _, check in checks]
        loose = [
            ok or follows_loose(check, reply) for (_, check), ok in zip(checks, strict, strict=True)
        ]
        chosen = strict if self.level == "strict" else loose
        passed = all(chosen)
        missed = [i for (i, _), ok in zip(checks, chosen, strict=True) if not ok]
        explanation = (
            f"followed all {len(checks)} instructions ({self.level})"
            if passed
            else f"{self.level}: did not follow {', '.join(missed)}"
        )
        details: dict[str, Any] = {
            "instruction_id_list": [i for i, _ in checks],
            "prompt_level_strict_acc": all(strict),
            "inst_level_strict_acc": strict,
            "prompt_level_loose_acc": all(loose),
            "inst_level_loose_acc": loose,
        }
        return ScoreResult(
            value=1.0 if passed else 0.0, passed=passed, explanation=explanation, details=details
        )


def aggregate(details: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """lm-eval's four IFEval figures from the `details` of a run's scores.

    Prompt level is the share of prompts whose instructions were all followed;
    instruction level pools every instruction of every prompt. Empty input is
    an error: an accuracy over nothing is not 0.
    """
    prompts = {"prompt_level_strict_acc": 0, "prompt_level_loose_acc": 0}
    followed = {"inst_level_strict_acc": 0, "inst_level_loose_acc": 0}
    n_prompts = n_instructions = 0
    for one in details:
        n_prompts += 1
        n_instructions += len(one["inst_level_strict_acc"])
        for name in prompts:
            prompts[name] += bool(one[name])
        for name in followed:
            followed[name] += sum(bool(ok) for ok in one[name])
    if n_prompts == 0 or n_instructions == 0:
        raise ValueError("no IFEval scores to aggregate")
    figures = {name: count / n_prompts for name, count in prompts.items()}
    figures.update({name: count / n_instructions for name, count in followed.items()})
    return {name: figures[name] for name in METRICS}


def ifeval(level: str = "strict") -> IFEvalScorer:
    """The `ifeval` scorer; `level` ("strict" or "loose") picks the prompt-level verdict scored.

    The sentence model is loaded here, so a machine without it stops before
    the run starts, with one line naming the download command.
    """
    if level not in ("strict", "loose"):
        raise ValueError(f"option 'level' must be 'strict' or 'loose', got {level!r}")
    try:
        require_punkt()
    except LookupError as exc:
        raise ValueError(str(exc.args[0]) if exc.args else str(exc)) from exc
    return IFEvalScorer("strict" if level == "strict" else "loose")
