"""Exports keep what was asked: a chat case's whole conversation, with its system prompts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from benchlab import api
from benchlab.domain import ScorerSpec
from benchlab.engine.config import RunConfig
from benchlab.providers.profiles import resolve_models
from support.servers import StubServer

SUITE = """
name: chats
system: Suite rules.
scorers: [contains]
cases:
  - id: multi
    input:
      - {role: system, content: Case rules.}
      - {role: user, content: Q1}
      - {role: assistant, content: A1}
      - {role: user, content: Q2}
    expected: Q2
  - id: plain
    input: Just one question
    expected: question
"""

MODELS = """
models:
  - name: gpt
    spec: openai/stub
    system: Profile persona.
  - name: claude
    spec: anthropic/stub
    system: Profile persona.
"""

SYSTEM = "Case rules.\n\nSuite rules.\n\nProfile persona."


def _run(tmp_path: Path, server: StubServer) -> tuple[str, str]:
    (tmp_path / "chats.yaml").write_text(SUITE)
    (tmp_path / "models.yaml").write_text(MODELS)
    db = f"sqlite:///{tmp_path}/runs.db"
    config = RunConfig(
        suites=[str(tmp_path / "chats.yaml")],
        models=resolve_models(["gpt", "claude"], tmp_path / "models.yaml"),
        scorers=[ScorerSpec(name="contains")],
        db=db,
    )
    env = {
        "OPENAI_BASE_URL": server.openai_base_url,
        "OPENAI_API_KEY": "k",
        "ANTHROPIC_BASE_URL": server.url,
        "ANTHROPIC_API_KEY": "k",
    }
    return api.run(config, env=env).run_id, db


def test_chat_cases_send_every_system_prompt_case_suite_profile(
    tmp_path: Path, stub_server: StubServer
) -> None:
    _run(tmp_path, stub_server)
    sent = [r["json"] for r in stub_server.requests]
    openai = next(
        p
        for p in sent
        if "messages" in p
        and p["messages"][-1]["content"] == "Q2"
        and p["model"] == "stub"
        and "system" not in p
    )
    assert openai["messages"][0] == {"role": "system", "content": SYSTEM}
    assert [m["role"] for m in openai["messages"]] == ["system", "user", "assistant", "user"]
    anthropic = next(p for p in sent if "system" in p and "Q2" in json.dumps(p["messages"]))
    assert anthropic["system"] == SYSTEM


def test_export_keeps_the_whole_conversation(tmp_path: Path, stub_server: StubServer) -> None:
    run_id, db = _run(tmp_path, stub_server)
    out = io.StringIO()
    api.export(run_id, "jsonl", out, db=db)
    rows = {(r["model"], r["case_id"]): r for r in map(json.loads, out.getvalue().splitlines())}
    conversation = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "Q1"},
        {"role": "assistant", "content": "A1"},
        {"role": "user", "content": "Q2"},
    ]
    for model in ("gpt", "claude"):
        assert rows[(model, "multi")]["input"] == conversation
        assert rows[(model, "plain")]["input"] == "Just one question"
    out = io.StringIO()
    api.export(run_id, "csv", out, db=db)
    by_case = {(r["model"], r["case_id"]): r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert json.loads(by_case[("gpt", "multi")]["input"]) == conversation
    assert by_case[("gpt", "plain")]["input"] == "Just one question"
