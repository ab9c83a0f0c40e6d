"""Rendering cases into chat messages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchlab.domain import Case, Message, SuiteHeader
from benchlab.errors import SuiteError
from benchlab.suites import PromptRenderer


def header(**fields: object) -> SuiteHeader:
    return SuiteHeader.model_validate({"name": "faq", **fields})


def test_default_template_sends_the_input() -> None:
    renderer = PromptRenderer(header())
    case = Case(id="a", input="How do I reset my password?")
    assert renderer.render(case) == [{"role": "user", "content": "How do I reset my password?"}]


def test_system_prompts_join_suite_first_with_a_blank_line() -> None:
    """The most specific first, as for chat cases: the suite's, then the profile's."""
    case = Case(id="a", input="hi")
    both = PromptRenderer(header(system="Suite rules."), "Model persona.").render(case)
    assert both[0] == {"role": "system", "content": "Suite rules.\n\nModel persona."}
    only_suite = PromptRenderer(header(system="Suite rules.")).render(case)
    assert only_suite[0] == {"role": "system", "content": "Suite rules."}
    only_model = PromptRenderer(header(), "Model persona.").render(case)
    assert only_model[0] == {"role": "system", "content": "Model persona."}
    assert PromptRenderer(header(), "  ").render(case) == [{"role": "user", "content": "hi"}]


def test_template_sees_input_context_metadata_id_and_metadata_keys() -> None:
    template = (
        "[{{ id }}] {% if context %}Context: {{ context }}\n{% endif %}"
        "Q: {{ input }} ({{ metadata.category }}/{{ difficulty }})"
    )
    renderer = PromptRenderer(header(template=template))
    case = Case(
        id="q1",
        input="Why?",
        context="Because.",
        metadata={"category": "faq", "difficulty": "easy"},
    )
    assert renderer.render(case) == [
        {"role": "user", "content": "[q1] Context: Because.\nQ: Why? (faq/easy)"}
    ]
    no_context = Case(id="q2", input="How?", metadata={"category": "faq", "difficulty": "hard"})
    assert renderer.render(no_context)[0]["content"] == "[q2] Q: How? (faq/hard)"


def test_metadata_keys_never_shadow_the_case_fields() -> None:
    renderer = PromptRenderer(header(template="{{ input }}|{{ id }}|{{ topic }}"))
    case = Case(
        id="real", input="real input", metadata={"input": "fake", "id": "fake", "topic": "t"}
    )
    assert renderer.render(case)[0]["content"] == "real input|real|t"


def test_chat_input_is_sent_as_is_and_the_template_is_not_applied() -> None:
    renderer = PromptRenderer(header(template="IGNORED {{ input }}", system="Suite."))
    chat = Case(
        id="c",
        input=[Message(role="user", content="hi"), Message(role="assistant", content="hello")],
    )
    assert renderer.render(chat) == [
        {"role": "system", "content": "Suite."},
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": "hello"},
    ]
    own_system = Case(
        id="d",
        input=[Message(role="system", content="Mine."), Message(role="user", content="hi")],
    )
    assert renderer.render(own_system) == [
        {"role": "system", "content": "Mine.\n\nSuite."},
        {"role": "user", "content": "hi"},
    ]


def test_chat_cases_keep_every_system_prompt_case_then_suite_then_profile() -> None:
    """A chat case's own system message used to silence the suite's and the profile's."""
    chat = Case(
        id="c",
        input=[
            Message(role="system", content="Case rules."),
            Message(role="user", content="Q1"),
            Message(role="assistant", content="A1"),
            Message(role="user", content="Q2"),
        ],
    )
    renderer = PromptRenderer(header(system="Suite rules."), "Profile persona.")
    assert renderer.render(chat) == [
        {"role": "system", "content": "Case rules.\n\nSuite rules.\n\nProfile persona."},
        {"role": "user", "content": "Q1"},
        {"role": "assistant", "content": "A1"},
        {"role": "user", "content": "Q2"},
    ]
    no_own = Case(id="d", input=[Message(role="user", content="Q")])
    assert PromptRenderer(header(), "Profile persona.").render(no_own) == [
        {"role": "system", "content": "Profile persona."},
        {"role": "user", "content": "Q"},
    ]
    assert PromptRenderer(header()).render(no_own) == [{"role": "user", "content": "Q"}]


def test_render_returns_fresh_messages_each_time() -> None:
    renderer = PromptRenderer(header(system="S"))
    case = Case(id="a", input="hi")
    first = renderer.render(case)
    first[0]["content"] = "mutated"
    assert renderer.render(case)[0]["content"] == "S"


def test_undefined_variable_names_suite_and_case() -> None:
    renderer = PromptRenderer(header(template="{{ input }} in {{ language }}"))
    renderer.render(Case(id="ok", input="x", metadata={"language": "fr"}))
    with pytest.raises(SuiteError) as exc:
        renderer.render(Case(id="q7", input="x"))
    assert str(exc.value) == "suite 'faq': case 'q7': template error: 'language' is undefined"


def test_runtime_errors_in_a_template_are_suite_errors() -> None:
    renderer = PromptRenderer(header(template="{{ input }} {{ 1 / metadata.n }}"))
    with pytest.raises(SuiteError, match=r"^suite 'faq': case 'z': template error: "):
        renderer.render(Case(id="z", input="x", metadata={"n": 0}))


def test_syntax_error_is_found_when_the_renderer_is_built() -> None:
    with pytest.raises(SuiteError) as exc:
        PromptRenderer(header(template="Hello {{ input "))
    text = str(exc.value)
    assert text.startswith("suite 'faq': template syntax error on line 1: ")
    assert "\n" not in text


def test_templates_are_sandboxed() -> None:
    renderer = PromptRenderer(header(template="{{ input.__class__.__mro__ }}"))
    with pytest.raises(SuiteError, match="template error"):
        renderer.render(Case(id="evil", input="x"))


def test_importing_the_package_does_not_import_jinja2_or_yaml() -> None:
    code = (
        "import sys, benchlab.suites;"
        "print(sorted(m for m in ('jinja2', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
