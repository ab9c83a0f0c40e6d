"""A few-shot prompt as turns, rendered as text, one chat message, or a conversation.

The reference harness builds a prompt the same way: an optional description,
then each example as a (question, answer) pair, then the question asked. Each
turn carries the delimiter that follows it when the prompt is flattened to
text (" " between a question and its answer, a blank line between
examples), so the one list of turns gives:

- the plain text a completions endpoint scores (`--mode loglikelihood`);
- a chat of one user message holding everything (the default), or
- with `--fewshot-as-multiturn`, a conversation where each example's
  answer is an assistant turn, the description a system message.

This mirrors lm-evaluation-harness's `build_qa_turn` / `multiturn_to_singleturn`
so a benchlab prompt is the prompt lm-eval sends for the same shots.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from benchlab.domain import Message

__all__ = [
    "Prefix",
    "Turn",
    "as_messages",
    "as_text",
    "case_input",
    "first_n",
    "qa_turns",
    "seeded_draws",
]

T = TypeVar("T")
Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True, slots=True)
class Turn:
    role: Role
    content: str
    delimiter: str = ""

    def text(self) -> str:
        return self.content + self.delimiter


def _joins(prefix: str, suffix: str) -> bool:
    """Whether a delimiter goes between: neither side already has whitespace at the seam."""
    return bool(prefix) and bool(suffix) and not (prefix[-1].isspace() or suffix[0].isspace())


def qa_turns(
    examples: Sequence[tuple[str, str]],
    question: str,
    *,
    description: str = "",
    target_delimiter: str = " ",
    fewshot_delimiter: str = "\n\n",
) -> list[Turn]:
    """The turns of a prompt: description, each (question, answer) example, the question."""
    turns: list[Turn] = []
    if description:
        turns.append(Turn("system", description))
    for text, answer in examples:
        turns.append(Turn("user", text, target_delimiter))
        turns.append(Turn("assistant", answer, fewshot_delimiter))
    turns.append(Turn("user", question))
    return turns


def as_text(turns: Sequence[Turn]) -> str:
    """The prompt as one string, exactly as a base model (or a completions endpoint) sees it."""
    return "".join(turn.text() for turn in turns)


def as_messages(turns: Sequence[Turn], *, multiturn: bool) -> list[dict[str, Any]]:
    """Chat messages: the description as the system message, then the examples as their
    own user/assistant turns (`multiturn`) or, with the question, in one user message
    (as lm-eval's chat formatting does with and without `--fewshot_as_multiturn`)."""
    system = [{"role": t.role, "content": t.content} for t in turns if t.role == "system"]
    rest = [turn for turn in turns if turn.role != "system"]
    if multiturn:
        return [*system, *({"role": t.role, "content": t.content} for t in rest)]
    return [*system, {"role": "user", "content": as_text(rest)}]


def case_input(turns: Sequence[Turn], *, multiturn: bool) -> str | list[Message]:
    """A case's input: plain text when the prompt is one user message, else the chat."""
    messages = as_messages(turns, multiturn=multiturn)
    if len(messages) == 1:
        return str(messages[0]["content"])
    return [Message(role=m["role"], content=m["content"]) for m in messages]


class Prefix:
    """The part of a prompt shared by many questions (description and shots), made once.

    MMLU asks 14,042 questions with the same five shots per subject: building
    the shots' turns, text and messages once per subject instead of once per
    question is most of the cost of loading the suite. `input(question)` gives
    exactly what `case_input(qa_turns(examples, question, ...))` would.
    """

    __slots__ = ("_lead", "_multiturn", "_text")

    def __init__(
        self,
        examples: Sequence[tuple[str, str]],
        *,
        description: str = "",
        multiturn: bool = False,
        target_delimiter: str = " ",
        fewshot_delimiter: str = "\n\n",
    ) -> None:
        turns = qa_turns(
            examples,
            "",
            description=description,
            target_delimiter=target_delimiter,
            fewshot_delimiter=fewshot_delimiter,
        )[:-1]
        self._multiturn = multiturn
        shared = [t for t in turns if multiturn or t.role == "system"]
        self._lead = [Message(role=t.role, content=t.content) for t in shared]
        self._text = as_text([t for t in turns if t.role != "system"])

    def input(self, question: str) -> str | list[Message]:
        if self._multiturn:
            return [*self._lead, Message(role="user", content=question)]
        user = self._text + question
        if not self._lead:
            return user
        return [*self._lead, Message(role="user", content=user)]


def first_n(pool: Sequence[T], n: int) -> list[T]:
    """The first `n` examples in the split's order (MMLU's and MMLU-Pro's canonical shots)."""
    return list(pool[:n])


def seeded_draws(
    pool: Sequence[T], n: int, count: int, seed: int, *, headroom: bool = False
) -> list[list[T]]:
    """`n` examples for each of `count` questions, drawn in order from one seeded generator.

    lm-eval draws each document's shots from one `random.Random(seed)` that
    advances from question to question; drawing for every question in dataset
    order (whatever subset is later sampled) gives each question the same
    shots in every run and for every model.

    `headroom`: lm-eval draws one more than needed and drops the question
    itself when it may be in the pool (it decides so when the task names
    neither a few-shot nor a test split, as HellaSwag's config does); the
    extra draw moves the generator on, so matching its shots means doing
    the same. Our pools never hold the question asked, so the first n stay.
    """
    if n == 0:
        return [[] for _ in range(count)]
    rnd = random.Random(seed)
    items = list(pool)
    k = n + 1 if headroom and n < len(items) else n
    return [rnd.sample(items, k)[:n] for _ in range(count)]
