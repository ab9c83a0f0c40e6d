"""A database left at an older schema revision, as a user upgrading benchlab has one."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from benchlab.store.db import MIGRATIONS_DIR, create_db_engine


def database_at(folder: Path, revision: str) -> tuple[str, Engine]:
    """A SQLite file migrated by the real alembic scripts up to `revision`: its URL and
    engine (dispose of the engine before opening a Store on the URL)."""
    from alembic import command
    from alembic.config import Config

    url = f"sqlite:///{folder}/old.db"
    engine = create_db_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return url, engine
