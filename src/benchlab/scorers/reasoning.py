"""The part of a reply that is scored: a reasoning model's thinking never is.

Reasoning models either return their thinking in a field of its own (kept
on the attempt as `reasoning`, never given to scorers) or inline, wrapped in
`<think>...</think>` (DeepSeek-R1, Qwen3 and others served raw). Inline
thinking must not be scored either: a choice parser would read the letters
the model weighed, a number extractor the intermediate results. The stored
output keeps everything; scorers get `answer_text(output)`.

A block that never closes (the model ran out of tokens while thinking)
leaves no answer at all, which is that attempt's honest outcome. A closing
tag without an opening one happens when the chat template puts `<think>`
in the prompt: everything before it is thinking.
"""

from __future__ import annotations

import re

__all__ = ["answer_text"]

_TAGS = "think|thinking|reasoning"
_BLOCK = re.compile(rf"<({_TAGS})>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_OPEN = re.compile(rf"<(?:{_TAGS})>", re.IGNORECASE)
_CLOSE = re.compile(rf"</(?:{_TAGS})\s*>", re.IGNORECASE)


def answer_text(output: str) -> str:
    """`output` without its thinking; unchanged when it has none."""
    if "<" not in output:
        return output
    lowered = output.lower()
    if not any(f"<{tag}" in lowered or f"</{tag}" in lowered for tag in _TAGS.split("|")):
        return output
    text = _BLOCK.sub("", output)
    closings = list(_CLOSE.finditer(text))
    if closings:  # an opening tag sent in the prompt: all before is thinking
        text = text[closings[-1].end() :]
    opening = _OPEN.search(text)
    if opening is not None:  # thinking that never ended: no answer was given
        text = text[: opening.start()]
    return text.strip()
