"""Writing a suite file that other processes may be writing too: a lock, then an atomic replace.

A reviewed suite is read, changed and written back (samples/review_file.py),
by any number of server processes and by `benchlab samples build` rebuilding
it. A version check inside one process is not enough: two processes could
both read version V, both find it current, and the second write would drop the
first one's verdict without a word. So every read-modify-write, and every
whole-file write, holds an exclusive lock on the file's companion lock file
`.NAME.lock` beside it (filelock's `FileLock`: `flock` where the file system
has it, a lock file of its own where it has not). The lock file is left in
place after a write: removing it would let a process that was waiting on the
old one and a newcomer that made a new one both think they hold the lock.

A writer that cannot get the lock within `LOCK_TIMEOUT` seconds raises
`FileBusy` rather than hang a request: a write takes milliseconds, so a lock
held that long is a stuck or very slow peer. A folder the writer cannot write
in at all is told apart first (`ensure_writable`, a `UserError` naming the
file and the reason): filelock would retry creating the lock file there until
the timeout and blame "another process".

The data is written to a temporary file in the same folder, flushed to disk
(`fsync`), then renamed over the file (`os.replace`): a reader, locked or not,
sees the old file or the new one, never half of one, and a crash leaves the
old file whole.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchlab.errors import UserError

__all__ = [
    "LOCK_TIMEOUT",
    "FileBusy",
    "ensure_writable",
    "lock_path",
    "locked",
    "replace_atomically",
]

LOCK_TIMEOUT = 10.0  # seconds


class FileBusy(UserError):
    """Another process held the file's lock for longer than LOCK_TIMEOUT (the server: 409)."""


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def ensure_writable(path: Path) -> None:
    """Make `path`'s folder and its lock file, or say in one line why they cannot be: what
    `samples build` checks before its work, and every lock before it waits."""
    blocking = next((p for p in (path.parent, *path.parent.parents) if p.is_file()), None)
    if blocking is not None:
        raise UserError(f"{path}: {blocking} is a file, not a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(
            lock_path(path), os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666
        )
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UserError(f"{path}: cannot write there ({reason}: {exc.filename})") from None
    os.close(handle)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of `path` (other threads of this process wait for it too)."""
    from filelock import FileLock, Timeout

    ensure_writable(path)
    lock = FileLock(lock_path(path), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise FileBusy(
            f"{path}: another process has been writing it for {LOCK_TIMEOUT:g} s "
            f"(lock {lock_path(path).name}); try again"
        ) from None
    try:
        yield
    finally:
        lock.release()


def replace_atomically(path: Path, data: bytes) -> None:
    """Write beside the file, fsync, then rename over it. The file keeps its permissions;
    a new one gets the umask's, as `open` would give it (not mkstemp's owner-only 0600)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(temporary, flags, 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            if path.exists():
                os.fchmod(out.fileno(), path.stat().st_mode & 0o777)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (the folder's entry), where the platform allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
