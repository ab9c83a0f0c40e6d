"""Importing thousands of generated production lines per format into a real store, twice."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from benchlab.errors import UserError
from benchlab.samples import import_chunks
from benchlab.samples.decoding import DecodedLines
from benchlab.samples.formats.items import Parsed
from benchlab.samples.formats.jsonl import read_jsonl
from benchlab.samples.importer import import_files
from benchlab.store import Store
from benchlab.store.samples import count_samples, iter_samples
from support.production_samples import (
    Generated,
    write_csv,
    write_openai,
    write_otlp,
    write_ours,
)

N = 2500


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generated]:
    folder = tmp_path_factory.mktemp("production")
    return {
        "jsonl": write_ours(folder / "app-2026-11.jsonl", N),
        "csv": write_csv(folder / "feedback-export.csv", N),
        "openai": write_openai(folder / "gateway.log.jsonl", N),
        "otlp": write_otlp(folder / "traces.json", N),
    }


def test_every_format_imports_its_samples_and_reports_its_bad_lines(
    db_url: str, files: dict[str, Generated]
) -> None:
    reported: list[tuple[str, int, str]] = []
    with Store(db_url) as store:
        results = import_files(
            store,
            [g.path for g in files.values()],
            on_bad=lambda path, line, reason: reported.append((path.name, line, reason)),
        )
        assert [r.format for r in results] == list(files)
        for result, made in zip(results, files.values(), strict=True):
            assert result.read == made.good, result
            assert result.imported == made.good - made.duplicates, result
            assert result.duplicates == made.duplicates
            assert result.bad == len(made.bad_lines)
            assert result.bad_lines == made.bad_lines
            assert result.skipped == made.skipped
            assert result.fallback_decoded == made.latin1_lines
            assert [line for name, line, _ in reported if name == made.path.name] == made.bad_lines
        total = sum(g.good - g.duplicates for g in files.values())
        assert count_samples(store) == total

        again = import_files(store, [g.path for g in files.values()])
        assert [r.imported for r in again] == [0, 0, 0, 0]
        assert [r.duplicates for r in again] == [g.good for g in files.values()]
        assert count_samples(store) == total

        rows = list(iter_samples(store))
    by_format: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_format.setdefault(str(row["source_format"]), []).append(row)
    # chat inputs stay chat messages, and Latin-1 text arrives as the characters it meant
    chats = [r for r in by_format["jsonl"] if str(r["input"]).startswith("[")]
    assert len(chats) == files["jsonl"].chat_inputs > N // 4
    assert any("Café ouvert" in str(r["output"]) for r in by_format["jsonl"])
    assert any("Müller: façade" in str(r["output"]) for r in by_format["csv"])
    assert any("Grüße aus Köln" in str(r["output"]) for r in by_format["openai"])
    otlp = by_format["otlp"]
    assert all(r["input_tokens"] is not None and r["output_tokens"] for r in otlp)
    assert {json.loads(str(r["metadata"]))["service_name"] for r in otlp} == {"support-api"}
    assert all(r["timestamp"] is not None for r in rows)


def test_a_missing_file_stops_the_import_before_anything_is_stored(
    db_url: str, tmp_path: Path
) -> None:
    made = write_ours(tmp_path / "ok.jsonl", 10)
    with Store(db_url) as store:
        with pytest.raises(UserError, match=r"nope\.jsonl: no such file"):
            import_files(store, [made.path, tmp_path / "nope.jsonl"])
        (tmp_path / "logs").mkdir()
        with pytest.raises(UserError, match=r"logs: a folder, not a file"):
            import_files(store, [made.path, tmp_path / "logs"])
        assert count_samples(store) == 0


def test_a_file_of_no_known_format_is_refused(db_url: str, tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("dear diary\n" * 5)
    with Store(db_url) as store, pytest.raises(UserError, match=r"notes\.txt: unknown format"):
        import_files(store, [odd])


def _stored(store: Store) -> list[dict[str, Any]]:
    """Every stored row but its import time, by hash."""
    rows = [{k: v for k, v in r.items() if k != "imported_at"} for r in iter_samples(store)]
    return sorted(rows, key=lambda r: str(r["hash"]))


def test_worker_processes_store_what_one_process_stores(
    db_url: str, files: dict[str, Generated], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_chunks, "BLOCK_BYTES", 20000)  # many blocks per file
    paths = [files["jsonl"].path, files["openai"].path]
    bad: list[tuple[str, int]] = []
    with Store(db_url) as store:
        parallel = import_files(
            store, paths, workers=2, on_bad=lambda p, n, _: bad.append((p.name, n))
        )
        rows = _stored(store)
    with Store(f"sqlite:///{tmp_path}/serial.db") as store:
        serial = import_files(store, paths, workers=0)
        assert rows == _stored(store)
    assert [r.document() for r in parallel] == [r.document() for r in serial]
    assert len(rows) == sum(files[k].good - files[k].duplicates for k in ("jsonl", "openai"))
    assert bad == [(files[k].path.name, n) for k in ("jsonl", "openai") for n in files[k].bad_lines]


# An import that holds still in its bad-record callback at line `stall_at` (its rows before
# committed every 500, or in the transaction in flight) until it is killed.
_STALLING_IMPORT = """
import sys, time
from pathlib import Path
import benchlab.store.samples as stored
from benchlab.samples import import_chunks
from benchlab.samples.importer import import_files
from benchlab.store import Store

stored.COMMIT_ROWS = 500
import_chunks.BLOCK_BYTES = 16000
url, path, ready, stall_at = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
if sys.argv[5] != "default":  # how worker processes are started
    import functools, multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    context = multiprocessing.get_context(sys.argv[5])
    import_chunks.ProcessPoolExecutor = functools.partial(ProcessPoolExecutor, mp_context=context)

def on_bad(file, line, reason):
    if line >= stall_at:
        ready.write_text("stalled")
        while True:
            time.sleep(1)

if __name__ == "__main__":  # a worker started by spawn imports this file too
    with Store(url) as store:
        import_files(store, [path], workers=2, on_bad=on_bad)
"""


def _descendants(pid: int) -> list[int]:
    """The process's children, theirs, and so on (a fork server's workers are its own)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *_descendants(int(child))]
    return found


def _exited(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # a zombie has exited; its new parent may never reap it


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("start", ["default", "forkserver"])  # forkserver: 3.14's default
def test_an_import_killed_midway_keeps_its_commits_and_a_rerun_completes_it(
    db_url: str, tmp_path: Path, start: str
) -> None:
    made = write_ours(tmp_path / "big.jsonl", 6000)
    stall_at = made.bad_lines[len(made.bad_lines) * 2 // 3]
    firsts: dict[str, None] = {}  # distinct samples in file order
    before = 0  # how many of them come before line stall_at
    for item in read_jsonl(DecodedLines(made.path)):
        if isinstance(item, Parsed):
            firsts.setdefault(item.sample.content_hash())
            before = len(firsts) if item.line < stall_at else before
    order = list(firsts)
    script = tmp_path / "stalling_import.py"
    script.write_text(_STALLING_IMPORT)
    ready = tmp_path / "stalled"
    command = [
        *(sys.executable, str(script), db_url, str(made.path), str(ready), str(stall_at), start)
    ]
    proc = subprocess.Popen(command, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the import never stalled"
            time.sleep(0.05)
        workers = _descendants(proc.pid)
        assert len(workers) >= 2
        proc.kill()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    deadline = time.monotonic() + 15
    try:
        while not all(_exited(pid) for pid in workers):  # they notice the import is gone
            assert time.monotonic() < deadline, "worker processes outlived the killed import"
            time.sleep(0.1)
    finally:
        for pid in workers:
            if not _exited(pid):
                os.kill(pid, signal.SIGKILL)
    with Store(db_url) as store:
        kept = {str(r["hash"]) for r in iter_samples(store, ["hash"])}
        # whole transactions of the first samples, in file order; at most the one in flight
        # (< 500 rows) and the rows of the block held up (< 200) are missing
        assert kept == set(order[: len(kept)])
        assert before - 700 < len(kept) <= before
        [again] = import_files(store, [made.path])
        assert (again.imported, again.read) == (len(order) - len(kept), made.good)
        assert again.duplicates == made.good - again.imported
        assert count_samples(store) == len(order) == made.good - made.duplicates


def test_a_sample_with_no_input_text_is_a_bad_record_in_every_format(
    db_url: str, tmp_path: Path
) -> None:
    ours = tmp_path / "app.jsonl"
    ours.write_text(
        json.dumps({"input": "a real question", "output": "ok"})
        + "\n"
        + json.dumps({"input": "  \n", "output": "ok"})
        + "\n"
        + json.dumps({"input": [{"role": "user", "content": ""}], "output": "ok"})
        + "\n",
        encoding="utf-8",
    )
    table = tmp_path / "export.csv"
    table.write_text("input,output\nasked,answered\n,answered anyway\n", encoding="utf-8")
    gateway = tmp_path / "gateway.jsonl"
    chat = {
        "request": {"model": "m", "messages": [{"role": "user", "content": [{"type": "image"}]}]},
        "response": {"choices": [{"message": {"role": "assistant", "content": "a cat"}}]},
    }
    gateway.write_text(json.dumps(chat) + "\n", encoding="utf-8")
    reported: list[tuple[str, int, str]] = []
    with Store(db_url) as store:
        results = import_files(
            store,
            [ours, table, gateway],
            on_bad=lambda path, line, reason: reported.append((path.name, line, reason)),
        )
        stored = [row["input"] for row in iter_samples(store)]
    assert [(r.imported, r.bad) for r in results] == [(1, 2), (1, 1), (0, 1)]
    assert [(name, line) for name, line, _ in reported] == [
        ("app.jsonl", 2),
        ("app.jsonl", 3),
        ("export.csv", 3),
        ("gateway.jsonl", 1),
    ]
    assert {reason for _, _, reason in reported} == {"input: empty (no text to ask a model)"}
    assert sorted(stored) == ['"a real question"', '"asked"']


@pytest.mark.parametrize("workers", [0, 2])
def test_gzip_files_import_as_what_they_hold_and_a_cut_one_keeps_its_start(
    db_url: str, files: dict[str, Generated], tmp_path: Path, workers: int
) -> None:
    """Rotated logs are kept compressed (`app-2026-11-02.jsonl.gz`). A gzip file of each format
    imports as the same file uncompressed does (told by its bytes, whatever its name); one
    cut short, as a copy taken while the log was being written is, keeps the samples before
    the cut and reports the rest as one bad record at the line where it stops."""
    packed = []
    for made in files.values():
        path = tmp_path / (made.path.name + ".gz")
        path.write_bytes(gzip.compress(made.path.read_bytes()))
        packed.append(path)
    whole = files["jsonl"].path.read_bytes()
    cut = tmp_path / "cut.log"  # no telling name: the bytes say it is gzip
    cut.write_bytes(gzip.compress(whole)[: len(gzip.compress(whole)) // 2])
    reported: list[tuple[str, int, str]] = []
    with Store(db_url) as store:
        results = import_files(
            store,
            [*packed, cut],
            workers=workers,
            on_bad=lambda path, line, reason: reported.append((path.name, line, reason)),
        )
        stored = count_samples(store)
    for result, made in zip(results[:4], files.values(), strict=True):
        assert (result.read, result.bad_lines) == (made.good, made.bad_lines), result
    assert [r.format for r in results[:4]] == list(files)
    assert stored == sum(g.good - g.duplicates for g in files.values())  # the cut one: repeats
    stop = [(line, reason) for name, line, reason in reported if name == "cut.log"][-1]
    assert "the gzip stream stops here" in stop[1] and "lines after it are missing" in stop[1]
    lines_before = whole.count(b"\n")
    assert lines_before // 3 < stop[0] < lines_before  # about half of the file was read
    assert 0 < results[4].read < files["jsonl"].good
