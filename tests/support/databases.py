"""Fresh databases for tests: a SQLite file, or a PostgreSQL database on a real server.

PostgreSQL joins in when `BENCHLAB_TEST_POSTGRES_URL` names a server (`.ci/run`
installs and starts one): it is an admin URL (a role that may CREATE DATABASE),
and every test gets a database of its own, copied from a template that was
migrated once, so no test sees another's rows and migrations still run for real.

The template is the test process's own (a random name, dropped when the process exits):
pytest-xdist's workers and other test runs on the same server each make and drop theirs, and
`CREATE DATABASE ... TEMPLATE` refuses a template that another session is connected to.
"""

from __future__ import annotations

import atexit
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

POSTGRES_ENV = "BENCHLAB_TEST_POSTGRES_URL"
TEMPLATE = f"benchlab_test_template_{uuid.uuid4().hex[:12]}"

_template_ready = False


def backends() -> list[str]:
    """The database kinds the store's tests run against on this machine."""
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


def _admin() -> Any:
    from sqlalchemy import create_engine

    return create_engine(os.environ[POSTGRES_ENV], isolation_level="AUTOCOMMIT")


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _ensure_template(admin: Any) -> None:
    """The template holds the schema at head, made by the same migrations a user's store runs."""
    global _template_ready
    if _template_ready:
        return
    from sqlalchemy import text

    from benchlab.store import Store

    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{TEMPLATE}"'))
    Store(_with_database(os.environ[POSTGRES_ENV], TEMPLATE)).close()
    _template_ready = True
    atexit.register(_drop_template)


def _drop_template() -> None:
    admin = _admin()
    try:
        _drop(admin, TEMPLATE)
    finally:
        admin.dispose()


def _drop(admin: Engine, name: str, patience_s: float = 30.0) -> None:
    """DROP ... WITH (FORCE), again while an autovacuum worker holds the database: FORCE may
    not end a background worker's session without pg_signal_backend (a test that wrote many
    rows met one), and the worker finishes in moments."""
    from sqlalchemy import text
    from sqlalchemy.exc import ProgrammingError

    deadline = time.monotonic() + patience_s
    while True:
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as exc:
            if "pg_signal_backend" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new database for one test, dropped afterwards (its connections forced closed)."""
    from sqlalchemy import text

    admin = _admin()
    name = f"benchlab_test_{uuid.uuid4().hex[:12]}"
    try:
        _ensure_template(admin)
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"'))
        yield _with_database(os.environ[POSTGRES_ENV], name)
    finally:
        try:
            _drop(admin, name)
        finally:
            admin.dispose()
