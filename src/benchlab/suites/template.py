"""Turning a case into the chat messages a model receives.

One renderer is built per (suite, model system prompt) and then called once
per case and sample, so everything that can be done once is: the template is
compiled (and its syntax checked) at construction, the system prompt is
joined once, and the default `{{ input }}` template skips Jinja altogether.
Templates come from suite files other people wrote, so they run in Jinja's
sandbox; undefined variables are errors, because a silently empty prompt
would be scored as a model failure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from benchlab.domain import Case, SuiteHeader
from benchlab.errors import SuiteError

if TYPE_CHECKING:
    from jinja2 import Template

_DEFAULT_TEMPLATE = "{{ input }}"
_RESERVED = frozenset({"input", "context", "metadata", "id"})
# What a template can raise while rendering besides jinja2.TemplateError: a filter or an
# operator applied to the wrong value (`{{ 1 / 0 }}`, `{{ metadata.x + 1 }}`).
_RENDER_ERRORS: tuple[type[Exception], ...] = (
    ArithmeticError,
    AttributeError,
    LookupError,
    TypeError,
    ValueError,
)


class PromptRenderer:
    """Renders cases of one suite for one model as OpenAI-style messages."""

    __slots__ = ("_system", "_template", "suite")

    def __init__(self, header: SuiteHeader, system_prompt: str | None = None) -> None:
        """Compile the suite's template; a syntax error is a `SuiteError` naming the suite.

        The system message is the suite's system prompt, then the model
        profile's, separated by a blank line; either may be absent (a chat
        case's own system message comes before both, see `render`).
        """
        self.suite = header.name
        parts = [text for text in (header.system, system_prompt) if text and text.strip()]
        self._system = "\n\n".join(parts) if parts else None
        self._template: Template | None = None
        # A grid's template already made each case's input when the grid was expanded.
        if header.template != _DEFAULT_TEMPLATE and not header.factors:
            self._template = _compile(header.template, self.suite)

    def render(self, case: Case) -> list[dict[str, str]]:
        """The messages for one case: system (if any), then the rendered user prompt.

        A chat input is sent as written (no template), with one system message
        first: the chat's own leading system message(s), then the suite's, then
        the profile's, joined by blank lines. One message, because some APIs
        (Anthropic's) take a single system string; none is ever dropped.
        """
        if isinstance(case.input, str):
            messages = [{"role": "user", "content": self._user_text(case, case.input)}]
            if self._system is not None:
                messages.insert(0, {"role": "system", "content": self._system})
            return messages
        chat = [{"role": m.role, "content": m.content} for m in case.input]
        lead = 0
        while lead < len(chat) and chat[lead]["role"] == "system":
            lead += 1
        parts = [m["content"] for m in chat[:lead] if m["content"].strip()]
        if self._system is not None:
            parts.append(self._system)
        if not parts:
            return chat[lead:]
        return [{"role": "system", "content": "\n\n".join(parts)}, *chat[lead:]]

    def _user_text(self, case: Case, text: str) -> str:
        if self._template is None:
            return text
        from jinja2 import TemplateError

        variables: dict[str, Any] = {
            key: value for key, value in case.metadata.items() if key not in _RESERVED
        }
        variables.update(input=text, context=case.context, metadata=case.metadata, id=case.id)
        errors: tuple[type[Exception], ...] = (TemplateError, *_RENDER_ERRORS)
        try:
            return self._template.render(variables)
        except errors as exc:
            raise SuiteError(
                f"suite {self.suite!r}: case {case.id!r}: template error: {_one_line(exc)}"
            ) from None


def _compile(source: str, suite: str) -> Template:
    from jinja2 import StrictUndefined, TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    try:
        return env.from_string(source)
    except TemplateSyntaxError as exc:
        raise SuiteError(
            f"suite {suite!r}: template syntax error on line {exc.lineno}: {_one_line(exc)}"
        ) from None


def _one_line(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())
