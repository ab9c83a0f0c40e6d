"""Fixtures shared by every test package.

``tests/`` is on sys.path (pytest's rootdir conftest rule), so helpers are
imported as ``support.<module>``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from support.databases import backends, postgres_database
from support.servers import StubServer

# Hypothesis' per-example deadline (200 ms) measures the machine, not the code: on a loaded
# 2-core CI box a grid test took 228 ms and failed. Properties are checked without it.
settings.register_profile("benchlab", deadline=None)
settings.load_profile("benchlab")

# The packages (top folders of tests/) whose tests run against every database kind that
# `backends()` offers.
STORE_PACKAGES = ("store", "engine", "analysis", "samples")


@pytest.fixture
def stub_server() -> Iterator[StubServer]:
    """A fresh stub LLM server (OpenAI, Anthropic and Ollama formats) on 127.0.0.1."""
    with StubServer() as server:
        yield server


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The store's own tests and those of what stands on it (engine, analysis) run on
    SQLite and, where a server is configured, PostgreSQL; elsewhere SQLite is enough."""
    if "db_url" not in metafunc.fixturenames:
        return
    package = metafunc.definition.path.relative_to(Path(__file__).parent).parts[0]
    kinds = backends() if package in STORE_PACKAGES else ["sqlite"]
    metafunc.parametrize("db_url", kinds, indirect=True)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database for one test: a SQLite file, or a PostgreSQL database of its own."""
    if request.param == "postgresql":
        with postgres_database() as url:
            yield url
        return
    yield f"sqlite:///{tmp_path}/bench.db"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No provider keys or base URLs leak in from the machine running the tests."""
    import os

    for name in list(os.environ):
        if name.endswith(("_API_KEY", "_BASE_URL")) or name in ("OLLAMA_HOST", "BENCHLAB_DB"):
            monkeypatch.delenv(name, raising=False)
    return monkeypatch
