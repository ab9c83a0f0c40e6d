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
