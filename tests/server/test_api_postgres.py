"""The same lab on PostgreSQL: every read endpoint answers what it answers on SQLite.

Both databases are seeded by the same real CLI runs on offline models, so once
run ids and clocks are set aside the documents must be equal, number for number.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.databases import POSTGRES_ENV, postgres_database
from support.lab import Seed, make_app, make_seed
from support.live_server import LiveServer

pytestmark = pytest.mark.skipif(
    not os.environ.get(POSTGRES_ENV), reason=f"no PostgreSQL server ({POSTGRES_ENV} unset)"
)

RUN_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")
VOLATILE = {"first_seen", "duration_s", "db", "attempt_id", "id"}


def _volatile(key: str) -> bool:
    return key in VOLATILE or key.endswith("_at") or "latency" in key


def _stable(value: Any) -> Any:
    """A document with run ids, attempt ids, clocks and latencies blanked: what two
    seedings by the same runs share."""
    if isinstance(value, dict):
        return {k: "*" if _volatile(k) else _stable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    if isinstance(value, str):
        return RUN_ID.sub("RUN", value)
    if isinstance(value, float):
        return round(value, 9)
    return value


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Seed]]:
    with postgres_database() as url:
        seed = make_seed(tmp_path_factory.mktemp("pg-seed"), url)
        with LiveServer(make_app(url)) as live:
            yield live, seed


def _paths(seed: Seed) -> list[str]:
    base, cand = seed.runs
    return [
        "/api/runs",
        "/api/runs?tag=env=ci",
        "/api/runs?sort=pass_rate",
        "/api/runs?sort=-pass_rate&limit=1",
        "/api/runs?sort=-errors",
        "/api/runs?sort=status",  # a tie on both: newest first
        f"/api/runs/{cand}",
        f"/api/runs/{cand}/attempts?limit=500",
        f"/api/runs/{cand}/attempts?model=echo&passed=false",
        f"/api/compare?a={base}&b={cand}",
        "/api/leaderboard",
        "/api/models",
        "/api/suites",
        "/api/trends?suite=quickstart",
        "/api/spend",
        f"/api/matrix?runs={base},{cand}",
        f"/api/matrix?runs={base},{cand}&show=flips",
        f"/api/matrix?runs={base},{cand}&show=failures&q=SYDNEY",
        f"/api/matrix?runs={cand}&show=errors&sort=verdict:2&desc=true&limit=3&offset=2",
        f"/api/matrix?runs={base},{cand}&models=oracle,echo&show=disagreements&sort=score:1",
        f"/api/matrix?runs={base},{cand}&offset=40",
    ]


def test_every_read_endpoint_agrees_with_sqlite(
    pg_server: tuple[LiveServer, Seed], client: httpx.Client, seed: Seed
) -> None:
    live, pg_seed = pg_server
    with httpx.Client(base_url=live.url, timeout=30) as pg:
        for sqlite_path, pg_path in zip(_paths(seed), _paths(pg_seed), strict=True):
            on_sqlite, on_pg = client.get(sqlite_path), pg.get(pg_path)
            assert on_pg.status_code == on_sqlite.status_code == 200, (pg_path, on_pg.text)
            assert _stable(on_pg.json()) == _stable(on_sqlite.json()), pg_path


def test_the_dashboard_pages_render_on_postgresql(pg_server: tuple[LiveServer, Seed]) -> None:
    live, seed = pg_server
    base, cand = seed.runs
    with httpx.Client(base_url=live.url, timeout=30) as pg:
        for path in (
            "/",
            "/?tag=env=ci&days=0",
            "/runs",
            "/runs?sort=-pass_rate",
            f"/runs/{cand}",
            f"/compare?a={base}&b={cand}",
            "/suites",
        ):
            page = pg.get(path)
            assert page.status_code == 200 and "<html" in page.text, path
