"""Importing and de-duplicating N logged production samples: time, CPU and peak memory.

Run:  .venv/bin/python bench/samples_clean.py [--sizes 10000,100000] [--near 0.8] [--no-near]
                                              [--pii 2000] [--workers W]

For each size N:

  1. this process writes N samples as `log_sample` JSONL (random sentences from a
     600-word vocabulary, 8-40 words; 20% repeat an earlier input exactly with other
     casing or spacing, 10% are an earlier input with a few words added; a third are
     chat inputs), not timed;
  2. a fresh child process (so each peak RSS is its own, and the writing is not in it)
     runs `benchlab samples import` (importer.import_files; --workers as its `workers`,
     default: its own choice) into a fresh SQLite file;
  3. then de-duplicates every stored sample streaming from the store as `samples build`
     and `samples stats` do (iter_samples -> clean.dedupe_rows: the sketches stored at
     import, exact + near at --near; with a benchlab from before them, clean.input_text
     -> dedupe);
  4. with --pii K, redacts the first K samples' inputs and outputs (rate only).

It prints per phase the wall seconds, the CPU seconds (user + system, the import's
worker processes included) and samples/s (wall), the peak RSS of the importing process
after import ("RSS imp"), its RSS as de-duplication starts ("dd from") and its peak
during de-duplication ("RSS dd": on Linux the peak is reset as de-duplication starts,
so this is that phase's own; elsewhere the process's), that of its largest worker, and the
duplicates found against those planted (every exact repeat must be found; a near
variant of a short input can be below the threshold in true Jaccard similarity, and
then rightly stays). A last size below 1,000,000 is extrapolated linearly to it.
Figures only, no asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

WORDS = 600


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _peak_reset() -> float | None:
    """The RSS now, and the process's peak RSS reset to it (Linux: /proc/self/clear_refs),
    so the next phase's own peak can be read (`_status_mb("VmHWM")`); None elsewhere."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return None
    return _status_mb("VmRSS")


def _status_mb(field: str) -> float | None:
    """A memory field of /proc/self/status in MB. The peak since a reset is VmHWM, not
    ru_maxrss: that also keeps the peak at which any thread of the process exited (the
    import's pool threads): it read 163 MB where VmHWM read 130, the RSS at the start."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return None
    return next((int(x.split()[1]) / 1024 for x in lines if x.startswith(field + ":")), None)


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}M"


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (the import's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def write_log(path: Path, n: int, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(WORDS)
    ]
    start = datetime(2026, 10, 1, tzinfo=UTC)
    inputs: list[str] = []
    planted = {"exact": 0, "near": 0}
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            roll = rng.random()
            if inputs and roll < 0.2:
                text = rng.choice(inputs)
                text = text.upper() if rng.random() < 0.5 else "  " + text.replace(" ", "  ")
                planted["exact"] += 1
            elif inputs and roll < 0.3:
                text = rng.choice(inputs) + " " + " ".join(rng.sample(vocabulary, 2))
                planted["near"] += 1
            else:
                text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 40))) + "?"
                inputs.append(text)
            line = {
                "id": f"{i:032x}",
                "timestamp": (start + timedelta(seconds=7 * i)).isoformat(),
                "input": [{"role": "user", "content": text}] if i % 3 == 0 else text,
                "output": "Answer: " + " ".join(rng.sample(vocabulary, 12)),
                "feedback": {"score": rng.choice([0.0, 1.0])} if i % 4 == 0 else None,
                "metadata": {"category": f"c{i % 7}"},
                "model": "openai/gpt-4o-mini",
            }
            out.write(json.dumps(line) + "\n")
    return planted


def one(log: Path, near: float | None, pii: int, workers: int | None) -> dict[str, Any]:
    from benchlab.samples.clean import input_text
    from benchlab.samples.dedupe import dedupe
    from benchlab.samples.importer import import_files
    from benchlab.samples.redact import redact
    from benchlab.store import Store
    from benchlab.store.samples import iter_samples

    options = {} if workers is None else {"workers": workers}  # main's import has no workers
    with tempfile.TemporaryDirectory() as folder, Store(f"sqlite:///{folder}/s.db") as store:
        began, cpu = time.perf_counter(), _cpu_s()
        [counts] = import_files(store, [log], **options)
        imported, imported_cpu = time.perf_counter() - began, _cpu_s() - cpu
        rss_import = _rss_mb()
        rss_before_dedupe = _peak_reset()
        began, cpu = time.perf_counter(), _cpu_s()
        try:
            from benchlab.samples.clean import dedupe_rows
        except ImportError:  # a benchlab from before the stored sketches (main, for a baseline)
            groups = dedupe(
                (input_text(row["input"]) for row in iter_samples(store, ["input"])),
                near_threshold=near,
            )
        else:  # what `samples build` and `samples stats` do
            rows = iter_samples(store, ["input", "dedupe_sketch"])
            groups = dedupe_rows(rows, near_threshold=near)
        deduped, deduped_cpu = time.perf_counter() - began, _cpu_s() - cpu
        rss_dedupe = _rss_mb() if rss_before_dedupe is None else _status_mb("VmHWM")
        pii_rate = None
        if pii:
            rows = []
            for row in iter_samples(store):
                rows.append(row)
                if len(rows) >= pii:
                    break
            began = time.perf_counter()
            for row in rows:
                redact(input_text(row["input"]))
                redact(row["output"])
            pii_rate = len(rows) / (time.perf_counter() - began)
    return {
        "import_s": imported,
        "import_cpu_s": imported_cpu,
        "imported": counts.imported,
        "dedupe_s": deduped,
        "dedupe_cpu_s": deduped_cpu,
        "rss_import_mb": rss_import,
        "rss_dedupe_mb": rss_dedupe,
        "rss_before_dedupe_mb": rss_before_dedupe,
        "rss_worker_mb": _rss_mb(resource.RUSAGE_CHILDREN),
        "exact": groups.exact_duplicates,
        "near": groups.near_duplicates,
        "redact_per_s": pii_rate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--near", type=float, default=0.8)
    parser.add_argument("--no-near", action="store_true")
    parser.add_argument("--pii", type=int, default=2000, help="samples to redact (0: skip)")
    parser.add_argument("--workers", type=int, help="import_files' workers (default: its own)")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    near = None if args.no_near else args.near
    if args.one:
        print(json.dumps(one(args.one, near, args.pii, args.workers)))
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; near {near}")
    header = (
        f"{'N':>9} {'import s':>8} {'cpu s':>6} {'/s':>7} {'dedupe s':>8} {'cpu s':>6} "
        f"{'/s':>7} {'total s':>7} {'cpu s':>6} {'RSS imp':>7} {'dd from':>7} {'RSS dd':>7} "
        f"{'RSS wk':>6} "
        f"{'exact':>7}/{'plant':<7} {'near':>6}/{'plant':<6} {'redact/s':>8}"
    )
    print(header)
    last: dict[str, float] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "2026-10-01.jsonl"
            planted = write_log(log, size)
            command = [sys.executable, __file__, "--one", str(log), "--pii", str(args.pii)]
            command += ["--no-near"] if near is None else ["--near", str(near)]
            command += [] if args.workers is None else ["--workers", str(args.workers)]
            result = subprocess.run(command, capture_output=True, text=True, check=True)
        r = json.loads(result.stdout)
        total, total_cpu = r["import_s"] + r["dedupe_s"], r["import_cpu_s"] + r["dedupe_cpu_s"]
        redact_rate = "-" if r["redact_per_s"] is None else f"{r['redact_per_s']:.0f}"
        print(
            f"{size:>9} {r['import_s']:>8.1f} {r['import_cpu_s']:>6.1f} "
            f"{size / r['import_s']:>7.0f} {r['dedupe_s']:>8.1f} {r['dedupe_cpu_s']:>6.1f} "
            f"{size / r['dedupe_s']:>7.0f} {total:>7.1f} {total_cpu:>6.1f} "
            f"{r['rss_import_mb']:>6.0f}M {_mb(r['rss_before_dedupe_mb']):>7} "
            f"{r['rss_dedupe_mb']:>6.0f}M "
            f"{r['rss_worker_mb']:>5.0f}M "
            f"{r['exact']:>7}/{planted['exact']:<7} {r['near']:>6}/{planted['near']:<6} "
            f"{redact_rate:>8}",
            flush=True,
        )
        last = {"n": size, "import": r["import_s"], "dedupe": r["dedupe_s"], "cpu": total_cpu}
    if last and last["n"] < 1_000_000:
        scale = 1_000_000 / last["n"]
        print(
            f"1,000,000 extrapolated from N={last['n']:.0f}: "
            f"import {last['import'] * scale:.0f} s, "
            f"de-duplication {last['dedupe'] * scale:.0f} s, CPU {last['cpu'] * scale:.0f} s"
        )


if __name__ == "__main__":
    main()
