"""The two documents of a log-likelihood multiple-choice case: what to ask, and what came back.

A suite in `loglikelihood` mode (`SuiteHeader.metadata["mode"]`) gives each
case `metadata["loglikelihood"] = {"context": str, "continuations": [str, ...]}`,
each continuation with its leading space as lm-eval's `target_delimiter +
choice` makes it (`target_delimiter` may be given too; " " by default).

Its attempt's stored output is a small JSON document, `ChoiceLogprobs`: the
log-probability of each continuation, whether greedy decoding gives it, and
the length lm-eval divides by for `acc_norm` (the choice's characters without
the delimiter: lm-eval takes `len(choice)` of `doc_to_choice`, which has
none). The scorers read only (case, output), so `benchlab score` can grade a
stored run again with nothing sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from benchlab.domain import Case

__all__ = [
    "METADATA_KEY",
    "MODE",
    "ChoiceLogprobs",
    "LoglikelihoodCase",
    "is_loglikelihood_mode",
    "loglikelihood_case",
]

MODE = "loglikelihood"
METADATA_KEY = "loglikelihood"
DEFAULT_DELIMITER = " "


def is_loglikelihood_mode(suite_metadata: dict[str, Any]) -> bool:
    """Whether a suite header's metadata puts it in log-likelihood mode."""
    return suite_metadata.get("mode") == MODE


@dataclass(frozen=True, slots=True)
class LoglikelihoodCase:
    """A case's context and continuations, checked."""

    context: str
    continuations: list[str]
    delimiter: str = DEFAULT_DELIMITER

    def lengths(self) -> list[float]:
        """lm-eval's `completion_len`: each choice's characters, its delimiter left out."""
        d = self.delimiter
        return [
            float(len(c) - len(d)) if d and c.startswith(d) else float(len(c))
            for c in self.continuations
        ]


def loglikelihood_case(case: Case) -> LoglikelihoodCase:
    """The case's `metadata["loglikelihood"]`; ValueError naming what is wrong with it."""
    block = case.metadata.get(METADATA_KEY)
    if not isinstance(block, dict):
        raise ValueError(
            f"case {case.id!r}: a loglikelihood suite's case needs metadata.{METADATA_KEY} = "
            '{"context": str, "continuations": [str, ...]}'
        )
    context = block.get("context")
    continuations = block.get("continuations")
    delimiter = block.get("target_delimiter", DEFAULT_DELIMITER)
    if not isinstance(context, str) or not context.strip():
        raise ValueError(
            f"case {case.id!r}: metadata.{METADATA_KEY}.context must be non-empty text "
            "(the first token has no logprob to score)"
        )
    if (
        not isinstance(continuations, list)
        or len(continuations) < 2
        or not all(isinstance(c, str) and c for c in continuations)
    ):
        raise ValueError(
            f"case {case.id!r}: metadata.{METADATA_KEY}.continuations must be "
            "two or more non-empty texts"
        )
    if not isinstance(delimiter, str):
        raise ValueError(f"case {case.id!r}: metadata.{METADATA_KEY}.target_delimiter: text")
    return LoglikelihoodCase(context, list(continuations), delimiter)


@dataclass(frozen=True, slots=True)
class ChoiceLogprobs:
    """An attempt's output in log-likelihood mode: one entry per continuation."""

    logprobs: list[float]
    is_greedy: list[bool | None]
    lengths: list[float]

    def dumps(self) -> str:
        # json, not orjson: a server may say -Infinity for an impossible token.
        return json.dumps(
            {"logprobs": self.logprobs, "is_greedy": self.is_greedy, "lengths": self.lengths}
        )

    @classmethod
    def parse(cls, text: str) -> ChoiceLogprobs:
        """The document back from an attempt's output; ValueError when it is not one."""
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ValueError(
                "the output is not a log-likelihood document (was this attempt asked in "
                "loglikelihood mode?)"
            )
        logprobs, greedy, lengths = data.get("logprobs"), data.get("is_greedy"), data.get("lengths")
        if not (
            isinstance(logprobs, list)
            and isinstance(greedy, list)
            and isinstance(lengths, list)
            and len(logprobs) == len(greedy) == len(lengths)
            and logprobs
            and all(_number(x) for x in logprobs + lengths)
        ):
            raise ValueError("log-likelihood document: logprobs, is_greedy, lengths of one length")
        return cls(
            [float(x) for x in logprobs],
            [None if g is None else bool(g) for g in greedy],
            [float(x) for x in lengths],
        )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
