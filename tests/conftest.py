"""Fixtures shared by every test package.

``tests/`` is on sys.path (pytest's rootdir conftest rule), so helpers are
imported as ``support.<module>``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.servers import StubServer


@pytest.fixture
def stub_server() -> Iterator[StubServer]:
    """A fresh stub LLM server (OpenAI, Anthropic and Ollama formats) on 127.0.0.1."""
    with StubServer() as server:
        yield server


@pytest.fixture
def db_url(tmp_path: pytest.TempPathFactory) -> str:
    """A fresh SQLite file for one test."""
    return f"sqlite:///{tmp_path}/bench.db"  # type: ignore[str-bytes-safe]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No provider keys or base URLs leak in from the machine running the tests."""
    import os

    for name in list(os.environ):
        if name.endswith(("_API_KEY", "_BASE_URL")) or name in ("OLLAMA_HOST", "BENCHLAB_DB"):
            monkeypatch.delenv(name, raising=False)
    return monkeypatch
