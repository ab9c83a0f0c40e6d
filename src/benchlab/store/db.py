"""Opening a store: resolve the URL, tune SQLite, bring the schema to head with alembic.

Start-up time matters (a 1-case offline run should take well under half a
second), so alembic is imported only when the database is not already at the
head revision; an up-to-date database costs one tiny SELECT.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from benchlab.errors import ConfigError

SCHEMA_HEAD = "0014"
DEFAULT_DIR = Path(".benchlab")
DEFAULT_URL = f"sqlite:///{DEFAULT_DIR / 'benchlab.db'}"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def resolve_url(url: str | None = None) -> str:
    """`--db` beats `BENCHLAB_DB` beats the default file; a bare path means a SQLite file."""
    chosen = url or os.environ.get("BENCHLAB_DB") or DEFAULT_URL
    if "://" not in chosen:
        chosen = f"sqlite:///{chosen}"
    return chosen


def create_db_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"--db: not a database URL: {url!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        # A path gets its folder made; an SQLite URI (`file:...?uri=true`, e.g. mode=ro)
        # names a file that must already be there, and is no folder path to make.
        is_uri = parsed.query.get("uri") in ("true", "1")
        if database and database != ":memory:" and not is_uri:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise ConfigError(
            f"--db {parsed.render_as_string(hide_password=True)}: driver missing ({exc.name}); "
            "for PostgreSQL: pip install 'benchlab[postgres]'"
        ) from exc


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    _enter_wal(cur)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _enter_wal(cur: Any, tries: int = 8) -> None:
    """`PRAGMA journal_mode=WAL`, tried again for a moment on a "disk I/O error": opening a
    WAL database while another process closes its last connection to it (and removes the
    -wal and -shm files) can fail that way once (seen once in 2,750 tests with several
    processes on one file); a lasting error is still raised."""
    import sqlite3

    for attempt in range(tries):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "disk I/O error" not in str(exc) or attempt == tries - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except (OperationalError, ProgrammingError):
        return None
    return None if row is None else str(row[0])


def migrate(engine: Engine) -> None:
    """Upgrade the schema to head; a no-op (one SELECT) when it already is."""
    if current_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
