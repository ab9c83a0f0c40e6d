"""Writing the files commands are asked for (reports, PR comments, JUnit) all or nothing."""

from __future__ import annotations

from pathlib import Path

from benchlab.errors import ConfigError


def write_text(path: Path, text: str, *, flag: str) -> None:
    """Write through a temporary file, so CI never picks up a half-written report."""
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise ConfigError(f"{flag} {path}: cannot write: {exc.strerror}") from exc
    finally:
        tmp.unlink(missing_ok=True)
