"""Chat messages from the shapes other tools log them in, as {"role", "content"} text."""

from __future__ import annotations

from typing import Any

__all__ = ["content_text", "messages_of"]


def content_text(content: Any) -> str:
    """A message's content as text: a string, or the text parts of a list of parts
    (OpenAI's [{"type": "text", "text": ...}], GenAI semconv's [{"type": "text",
    "content": ...}]). Parts that are not text (images, audio, tool calls) are left out.
    Raises ValueError for anything else."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, dict) and part.get("type", "text") == "text":
                text = part.get("text", part.get("content"))
                if isinstance(text, str):
                    texts.append(text)
        return "".join(texts)
    raise ValueError(f"message content is neither text nor a list of parts: {content!r:.60}")


def messages_of(value: Any, where: str) -> list[dict[str, str]]:
    """A list of chat messages, each {"role", "content" | "parts"}; raises ValueError."""
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: not a non-empty list of messages")
    out = []
    for message in value:
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise ValueError(f"{where}: a message without a role")
        body = message["parts"] if "parts" in message else message.get("content")
        out.append({"role": message["role"], "content": content_text(body)})
    return out
