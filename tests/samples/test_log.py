"""log_sample: one valid line per call, safe across threads and processes, never raising."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import benchlab
from benchlab.samples import log, log_sample, log_sample_failures
from benchlab.samples.line import SampleLine

SRC = str(Path(benchlab.__file__).parent.parent)


@pytest.fixture
def samples_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logged"
    monkeypatch.setenv("BENCHLAB_SAMPLES_DIR", str(folder))
    return folder


@pytest.fixture
def fresh_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the 'first failure is logged' moment afresh."""
    monkeypatch.setattr(log, "_failures", 0)
    monkeypatch.setattr(log, "_reported", False)


def _lines(folder: Path) -> list[dict[str, object]]:
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_the_top_level_name_is_this_function() -> None:
    assert benchlab.log_sample is log_sample


def test_a_sample_is_one_line_of_the_schema_in_the_file_of_its_day(samples_dir: Path) -> None:
    when = datetime(2026, 12, 7, 23, 30, tzinfo=timezone(timedelta(hours=-2)))  # 8 Dec UTC
    log_sample(
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi é"}],
        "Hello!",
        feedback={"score": 0.0, "label": "thumbs_down", "comment": "too short"},
        metadata={"category": "greeting", "tenant": 7},
        model="openai/gpt-4o-mini",
        timestamp=when,
    )
    log_sample("2+2?", "4", feedback=1, timestamp=1_765_000_000.25)
    assert sorted(p.name for p in samples_dir.iterdir()) == ["2025-12-06.jsonl", "2026-12-08.jsonl"]
    chat = json.loads((samples_dir / "2026-12-08.jsonl").read_text(encoding="utf-8"))
    assert chat["timestamp"] == "2026-12-08T01:30:00.000000Z"
    assert chat["input"][1] == {"role": "user", "content": "Hi é"}
    assert chat["feedback"] == {"score": 0.0, "label": "thumbs_down", "comment": "too short"}
    assert chat["metadata"] == {"category": "greeting", "tenant": 7}
    assert set(chat) == {"id", "timestamp", "input", "output", "feedback", "metadata", "model"}
    for line in _lines(samples_dir):
        parsed = SampleLine.model_validate(line)
        assert parsed.id and parsed.timestamp is not None
        assert parsed.timestamp.tzinfo is not None
    text = json.loads((samples_dir / "2025-12-06.jsonl").read_text())
    assert text["feedback"] == {"score": 1.0, "label": None, "comment": None}
    assert text["model"] is None and text["metadata"] == {}


def test_chat_messages_may_be_benchlab_messages(samples_dir: Path) -> None:
    log_sample([benchlab.Message(role="user", content="hi")], "hello")
    (line,) = _lines(samples_dir)
    assert line["input"] == [{"role": "user", "content": "hi"}]


def test_the_default_timestamp_is_now_in_utc(samples_dir: Path) -> None:
    before = datetime.now(UTC)
    log_sample("q", "a")
    (line,) = _lines(samples_dir)
    stamp = datetime.fromisoformat(str(line["timestamp"]).replace("Z", "+00:00"))
    assert before <= stamp <= datetime.now(UTC)


@pytest.mark.usefixtures("fresh_failures")
def test_failures_are_swallowed_counted_and_logged_once(
    samples_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.WARNING, logger="benchlab.samples")
    log_sample("q", "a", metadata={"when": object()})  # not JSON
    log_sample("q", 42)  # type: ignore[arg-type]  # an output that is not text
    log_sample("q", "a", feedback={"stars": 5})  # not a feedback field
    log_sample("q", "a", metadata={"score": float("nan")})  # NaN is not JSON
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("BENCHLAB_SAMPLES_DIR", str(blocker / "sub"))  # cannot be a folder
    log_sample("q", "a")
    assert log_sample_failures() == 5
    records = [r for r in caplog.records if r.name == "benchlab.samples"]
    assert len(records) == 1 and "not JSON serializable" in records[0].getMessage()
    assert not samples_dir.exists() or _lines(samples_dir) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.usefixtures("fresh_failures")
def test_a_full_disk_is_a_counted_failure(samples_dir: Path) -> None:
    samples_dir.mkdir()
    today = datetime.now(UTC)
    for day in (today, today + timedelta(days=1)):  # midnight may pass during the test
        (samples_dir / f"{day:%Y-%m-%d}.jsonl").symlink_to("/dev/full")
    log_sample("q", "a")
    assert log_sample_failures() == 1


@pytest.mark.usefixtures("fresh_failures")
def test_a_read_only_folder_is_a_counted_failure(samples_dir: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    samples_dir.mkdir(mode=0o500)
    log_sample("q", "a")
    assert log_sample_failures() == 1


WRITER = """
import os, sys, threading
from benchlab.samples import log_sample, log_sample_failures
proc, threads, per_thread = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def work(t):
    for i in range(per_thread):
        # lines from 100 bytes to ~40 kB: a non-atomic append would tear the long ones
        log_sample(f"p{proc} t{t} i{i}", "x" * ((proc * 7919 + t * 104729 + i * 31) % 40000),
                   metadata={"proc": proc, "thread": t, "i": i}, timestamp=1765000000)
ts = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
for t in ts: t.start()
for t in ts: t.join()
sys.exit(log_sample_failures())
"""


def test_many_processes_and_threads_lose_and_tear_no_line(samples_dir: Path) -> None:
    procs, threads, per_thread = 8, 4, 200
    env = {**os.environ, "PYTHONPATH": SRC, "BENCHLAB_SAMPLES_DIR": str(samples_dir)}
    running = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(p), str(threads), str(per_thread)], env=env
        )
        for p in range(procs)
    ]
    assert [p.wait(timeout=300) for p in running] == [0] * procs
    (path,) = samples_dir.iterdir()  # one day: every sample has the same timestamp
    raw = path.read_bytes().split(b"\n")
    assert raw[-1] == b""
    seen = set()
    for line in raw[:-1]:
        sample = json.loads(line)  # a torn or interleaved line would not parse
        meta = sample["metadata"]
        assert sample["input"] == f"p{meta['proc']} t{meta['thread']} i{meta['i']}"
        expected = (meta["proc"] * 7919 + meta["thread"] * 104729 + meta["i"] * 31) % 40000
        assert sample["output"] == "x" * expected
        seen.add((meta["proc"], meta["thread"], meta["i"]))
    assert len(raw) - 1 == len(seen) == procs * threads * per_thread


def test_importing_the_package_for_log_sample_stays_light() -> None:
    code = (
        "import sys, benchlab; benchlab.log_sample; "
        "print(sorted(m for m in ('pydantic', 'sqlalchemy', 'orjson') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert out.stdout.strip() == "[]"
