"""Importing and de-duplicating N logged production samples: time and peak memory.

Run:  .venv/bin/python bench/samples_clean.py [--sizes 10000,100000] [--near 0.8] [--no-near]
                                              [--pii 2000]

For each size N, a fresh child process (so each peak RSS is its own):

  1. writes N samples as `log_sample` JSONL (random sentences from a 600-word
     vocabulary, 8-40 words; 20% repeat an earlier input exactly with other
     casing or spacing, 10% are an earlier input with a few words added; a
     third are chat inputs), timed but not counted below;
  2. `benchlab samples import` (importer.import_files) into a fresh SQLite file;
  3. de-duplicates every stored sample streaming from the store (iter_samples ->
     clean.input_text -> dedupe, exact + near at --near);
  4. with --pii K, redacts the first K samples' inputs and outputs (rate only).

It prints seconds and samples/s per phase, the peak RSS after import and after
de-duplication, and the duplicates found against those planted (every exact
repeat must be found; a near variant of a short input can be below the
threshold in true Jaccard similarity, and then rightly stays).
The last size is extrapolated linearly to 1,000,000. Figures only, no asserts.
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

WORDS = 600


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def one(n: int, near: float | None, pii: int) -> dict[str, float | int | None]:
    from benchlab.samples.clean import input_text
    from benchlab.samples.dedupe import dedupe
    from benchlab.samples.importer import import_files
    from benchlab.samples.redact import redact
    from benchlab.store import Store
    from benchlab.store.samples import iter_samples

    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "2026-10-01.jsonl"
        began = time.perf_counter()
        planted = write_log(log, n)
        written = time.perf_counter() - began
        with Store(f"sqlite:///{folder}/samples.db") as store:
            began = time.perf_counter()
            [counts] = import_files(store, [log])
            imported = time.perf_counter() - began
            rss_import = _rss_mb()
            began = time.perf_counter()
            groups = dedupe(
                (input_text(row["input"]) for row in iter_samples(store, ["input"])),
                near_threshold=near,
            )
            deduped = time.perf_counter() - began
            rss_dedupe = _rss_mb()
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
        "n": n,
        "write_s": written,
        "import_s": imported,
        "imported": counts.imported,
        "dedupe_s": deduped,
        "rss_import_mb": rss_import,
        "rss_dedupe_mb": rss_dedupe,
        "exact": groups.exact_duplicates,
        "near": groups.near_duplicates,
        "planted_exact": planted["exact"],
        "planted_near": planted["near"],
        "redact_per_s": pii_rate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--near", type=float, default=0.8)
    parser.add_argument("--no-near", action="store_true")
    parser.add_argument("--pii", type=int, default=2000, help="samples to redact (0: skip)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    near = None if args.no_near else args.near
    if args.one:
        print(json.dumps(one(args.one, near, args.pii)))
        return
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; near {near}")
    header = (
        f"{'N':>9} {'import s':>9} {'/s':>8} {'dedupe s':>9} {'/s':>8} {'total s':>8} "
        f"{'RSS imp':>8} {'RSS dd':>7} {'exact':>7}/{'plant':<7} {'near':>6}/{'plant':<6} "
        f"{'redact/s':>8}"
    )
    print(header)
    last: dict[str, float] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(size), "--pii", str(args.pii)]
        command += ["--no-near"] if near is None else ["--near", str(near)]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        r = json.loads(result.stdout)
        total = r["import_s"] + r["dedupe_s"]
        redact_rate = "-" if r["redact_per_s"] is None else f"{r['redact_per_s']:.0f}"
        print(
            f"{size:>9} {r['import_s']:>9.1f} {size / r['import_s']:>8.0f} "
            f"{r['dedupe_s']:>9.1f} {size / r['dedupe_s']:>8.0f} {total:>8.1f} "
            f"{r['rss_import_mb']:>7.0f}M {r['rss_dedupe_mb']:>6.0f}M "
            f"{r['exact']:>7}/{r['planted_exact']:<7} {r['near']:>6}/{r['planted_near']:<6} "
            f"{redact_rate:>8}"
        )
        last = {"n": size, "import": r["import_s"], "dedupe": r["dedupe_s"]}
    if last:
        scale = 1_000_000 / last["n"]
        print(
            f"1,000,000 extrapolated from N={last['n']:.0f}: "
            f"import {last['import'] * scale:.0f} s, "
            f"de-duplication {last['dedupe'] * scale:.0f} s"
        )


if __name__ == "__main__":
    main()
