"""Fixtures for server tests: the seeded lab (see support.lab) and live servers over it.

The seed is made once per session; tests that write get their own copy of the
file, so read tests can assert exact numbers.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from support.answer_runs import code_runs, tool_run
from support.browser import ARGS, CHROMIUM, Watched
from support.lab import ADMIN_KEY, Seed, auth, make_app, make_seed
from support.live_server import LiveServer
from support.matrix_lab import make_matrix_lab
from support.servers import StubServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser

__all__ = ["ADMIN_KEY", "AnswerLab", "Seed", "WriteEnv", "auth", "make_app"]


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    return make_seed(tmp_path_factory.mktemp("seed"))


@pytest.fixture
def seed_copy(seed: Seed, tmp_path: Path) -> Seed:
    """The seeded database copied for one test that writes."""
    db = tmp_path / "lab.db"
    shutil.copy(seed.db, db)
    for suffix in ("-wal", "-shm"):
        if Path(str(seed.db) + suffix).exists():
            shutil.copy(str(seed.db) + suffix, str(db) + suffix)
    return Seed(db, seed.folder, list(seed.runs))


@pytest.fixture(scope="session")
def server(seed: Seed) -> Iterator[LiveServer]:
    """A read-mostly server over the shared seed (tests must not write through it)."""
    with LiveServer(make_app(seed.url)) as live:
        yield live


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="session")
def matrix_lab(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    """The seed's two runs with a hostile answer in the candidate (support/matrix_lab.py)."""
    return make_matrix_lab(tmp_path_factory.mktemp("matrix-lab"))


@pytest.fixture(scope="session")
def matrix_server(matrix_lab: Seed) -> Iterator[LiveServer]:
    with LiveServer(make_app(matrix_lab.url)) as live:
        yield live


@dataclass
class WriteEnv:
    server: LiveServer
    seed: Seed
    client: httpx.Client


@pytest.fixture
def write_env(seed_copy: Seed) -> Iterator[WriteEnv]:
    """A server over a private copy of the seed, for tests that import or launch runs."""
    with (
        LiveServer(make_app(seed_copy.url, rate_limit=1000)) as live,
        httpx.Client(base_url=live.url, timeout=30) as c,
    ):
        yield WriteEnv(live, seed_copy, c)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, one per test module."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def watched(browser: Browser, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Watched]:
    """A fresh page; the test fails on any console error it saw. Screenshots go to
    $BENCHLAB_SCREENSHOTS/<module>/<test>/ when set (CI keeps them as artifacts), else
    to the test's tmp_path."""
    shots = tmp_path
    if root := os.environ.get("BENCHLAB_SCREENSHOTS"):
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
        shots = Path(root) / request.node.module.__name__.rsplit(".", 1)[-1] / name
        shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    w = Watched(page, shots)
    yield w
    context.close()
    print(f"screenshots in {shots}")
    assert w.errors == []


@dataclass
class AnswerLab:
    """Runs whose answers the attempt panel and compare page show (support/answer_runs.py)."""

    url: str
    db: str
    passing_run: str  # HumanEval cases answered right
    code_run: str  # the same cases answered with broken programs in hostile markdown
    tool_run: str  # an answer made of tool calls, after one retry

    def attempts(self, run: str) -> list[dict[str, object]]:
        items = httpx.get(f"{self.url}/api/runs/{run}/attempts", timeout=30).json()["items"]
        assert isinstance(items, list) and items
        return items


@pytest.fixture(scope="session")
def answer_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnswerLab]:
    """A read-only server over the answer runs, made once per session."""
    folder = tmp_path_factory.mktemp("answers")
    db = f"sqlite:///{folder}/answers.db"
    passing, failing = code_runs(folder / "code", db)
    with StubServer() as stub:
        tools = tool_run(stub, db)
    with LiveServer(make_app(db)) as live:
        yield AnswerLab(live.url, db, passing, failing, tools)
