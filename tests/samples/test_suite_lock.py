"""samples/suite_lock.py: a lock held by another process makes a writer wait, then give up with
one clear error and the file untouched; a replaced file is whole, keeps its permissions and
leaves no temporary file behind."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchlab.errors import UserError
from benchlab.samples import review_file, suite_lock
from benchlab.samples.suite_file import write_suite
from support.lock_holder import lock_held_elsewhere

SUITE = """\
name: tiny
metadata: {review_required: true}
cases:
  - {id: a, input: "2+2?", expected: "4", metadata: {review: unreviewed}}
"""


@pytest.fixture
def held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """tiny.yaml, its lock held by another process; writers here wait 0.3 s at the most."""
    path = tmp_path / "tiny.yaml"
    path.write_text(SUITE, encoding="utf-8")
    monkeypatch.setattr(suite_lock, "LOCK_TIMEOUT", 0.3)
    with lock_held_elsewhere(path):
        yield path


def test_a_writer_gives_up_on_a_lock_another_process_holds(held: Path) -> None:
    before = held.read_bytes()
    version = review_file.read_review_suite(held.parent, "tiny").version
    with pytest.raises(suite_lock.FileBusy, match=r"tiny\.yaml: another process .* 0\.3 s"):
        review_file.record_review(
            held.parent, "tiny", "a", version=version, by="ana", status="accepted"
        )
    with pytest.raises(suite_lock.FileBusy):
        write_suite(held, {"name": "tiny", "cases": []})  # a rebuild waits its turn too
    assert held.read_bytes() == before


def test_the_lock_is_free_again_once_its_holder_is_done(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(SUITE, encoding="utf-8")
    with suite_lock.locked(path):
        pass
    with suite_lock.locked(path):  # released, not merely re-entered
        pass
    assert suite_lock.lock_path(path).name == ".tiny.yaml.lock"


def test_a_folder_that_cannot_be_written_is_said_at_once_not_blamed_on_a_peer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """filelock retries a lock file it cannot create until the timeout, and the writer then
    blamed "another process" after ten seconds: the folder is checked first."""
    monkeypatch.setattr(suite_lock, "LOCK_TIMEOUT", 30.0)
    (tmp_path / "afile").write_text("")
    blocked = tmp_path / "afile" / "sub" / "x.yaml"
    with pytest.raises(UserError, match=r"afile is a file, not a folder") as raised:
        suite_lock.ensure_writable(blocked)
    with (
        pytest.raises(UserError, match=r"afile is a file, not a folder"),
        suite_lock.locked(blocked),
    ):
        pass
    assert not isinstance(raised.value, suite_lock.FileBusy)
    with pytest.raises(UserError, match=r"cannot write there \(No such file"):
        write_suite(Path("/proc/benchlab-nowhere.yaml"), {"name": "x", "cases": []})
    (tmp_path / "taken.yaml").mkdir()
    with pytest.raises(UserError, match="cannot write the suite"):
        write_suite(tmp_path / "taken.yaml", {"name": "x", "cases": []})
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_replaced_file_keeps_its_mode_and_a_new_one_gets_the_umasks(tmp_path: Path) -> None:
    kept = tmp_path / "kept.yaml"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    suite_lock.replace_atomically(kept, b"new")
    assert kept.read_bytes() == b"new" and stat.S_IMODE(kept.stat().st_mode) == 0o640

    fresh, plain = tmp_path / "fresh.yaml", tmp_path / "plain.txt"
    suite_lock.replace_atomically(fresh, b"x")
    plain.write_text("x")  # what an ordinary write gets under this umask
    assert stat.S_IMODE(fresh.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.yaml", "kept.yaml", "plain.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(SUITE, encoding="utf-8")
    with pytest.raises(TypeError):
        suite_lock.replace_atomically(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_text(encoding="utf-8") == SUITE
    assert [p.name for p in tmp_path.iterdir()] == ["tiny.yaml"]
