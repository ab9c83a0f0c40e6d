"""Where runs live: SQLite by default, any SQLAlchemy URL otherwise."""

from benchlab.store.db import DEFAULT_URL, resolve_url
from benchlab.store.store import AttemptKey, Store
from benchlab.store.writer import BatchWriter

__all__ = ["DEFAULT_URL", "AttemptKey", "BatchWriter", "Store", "resolve_url"]
