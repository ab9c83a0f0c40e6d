"""The run page of a big run: its HTML's time and server CPU, and Chromium's time to load it.

    PYTHONPATH=src .venv/bin/python bench/run_page.py [--cases 10000] [--models 6]
                                                      [--db sqlite:///PATH] [--rounds 5]

Without --db it writes a JSONL suite of --cases cases and a models file of --models offline
models (oracle and echo profiles) to a temp dir and runs them with the CLI (about 10 s for
60,000 attempts). It starts `benchlab serve` on that database (the benchlab that PYTHONPATH
finds, so an older tree can be measured the same way), warms it with two requests, then:

- **HTML**: --rounds GETs of `/runs/ID`: wall time, and the server's CPU (user+sys from
  /proc/PID/stat, Linux only) for each.
- **Browser**: headless Chromium (/usr/bin/chromium), --rounds loads in a fresh context each
  (nothing cached: the first view of a page) and --rounds reloads in one context (cached):
  DOMContentLoaded and load from the navigation timing, and the time until every chart is
  drawn; with the rows the attempts table holds, to show that it is paged.

It prints `uptime` before and after: on a shared machine compare figures of one run only.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
TICK = os.sysconf("SC_CLK_TCK")


def benchlab(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchlab", *args]


def make_run(folder: Path, cases: int, models: int) -> str:
    suite = folder / "big.jsonl"
    with suite.open("w") as f:
        for i in range(cases):
            expected = str(i + 1) if i % 3 else "x"
            case = {"id": f"c{i:05d}", "input": f"What is {i}+1?", "expected": expected}
            f.write(json.dumps({**case, "metadata": {"category": f"cat{i % 7}"}}) + "\n")
    names = [f"{'oracle' if k % 2 == 0 else 'echo'}-{k}" for k in range(models)]
    lines = [f"  - {{name: {n}, spec: {n.split('-')[0]}}}" for n in names]
    (folder / "models.yaml").write_text("models:\n" + "\n".join(lines) + "\n")
    db = f"sqlite:///{folder / 'big.db'}"
    picks = [x for n in names for x in ("-m", n)]
    cmd = benchlab("run", str(suite), "--models", str(folder / "models.yaml"), *picks)
    subprocess.run([*cmd, "--scorer", "exact", "-c", "64", "--db", db, "-q"], check=True)
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def get(url: str) -> bytes:
    with urlopen(url) as r:  # our own server on 127.0.0.1
        return bytes(r.read())


def html_rounds(url: str, pid: int, rounds: int) -> None:
    walls, cpus = [], []
    for _ in range(rounds):
        before, t = cpu_ticks(pid), time.perf_counter()
        body = get(url)
        walls.append(time.perf_counter() - t)
        cpus.append((cpu_ticks(pid) - before) / TICK)
    print(
        f"HTML  {len(body):,} bytes  wall median {statistics.median(walls) * 1000:.0f} ms "
        f"(min {min(walls) * 1000:.0f})  server CPU median {statistics.median(cpus) * 1000:.0f} ms "
        f"(min {min(cpus) * 1000:.0f})"
    )


def one_load(page: Page, url: str) -> tuple[float, float, float]:
    t = time.perf_counter()
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "[...document.querySelectorAll('.plot')].every((p) => p.querySelector('.main-svg'))",
        timeout=60_000,
    )
    drawn = time.perf_counter() - t
    nav = page.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
    return nav["domContentLoadedEventEnd"], nav["loadEventEnd"], drawn * 1000


def report(label: str, loads: list[tuple[float, float, float]]) -> None:
    cols = list(zip(*loads, strict=True))
    med = [statistics.median(c) for c in cols]
    print(
        f"{label}  DOMContentLoaded {med[0]:.0f} ms  load {med[1]:.0f} ms  charts drawn "
        f"{med[2]:.0f} ms  (medians of {len(loads)}; loads {[round(x) for x in cols[1]]})"
    )


def browser_rounds(url: str, rounds: int) -> None:
    with sync_playwright() as p:
        args = ["--no-sandbox", "--disable-background-networking"]
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        cold = []
        for _ in range(rounds):
            context = browser.new_context(bypass_csp=True)  # for wait_for_function
            cold.append(one_load(context.new_page(), url))
            context.close()
        report("Chromium, fresh context (nothing cached)", cold)
        page = browser.new_page(bypass_csp=True)
        one_load(page, url)
        report(
            "Chromium, same context (cached)      ", [one_load(page, url) for _ in range(rounds)]
        )
        rows = page.locator("#attempts tbody tr").count()
        print(f"attempts table: {rows} rows; {page.locator('#attempts-count').inner_text()}")
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--models", type=int, default=6)
    ap.add_argument("--db", help="a database that holds the run already (its newest run)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or make_run(Path(tmp), args.cases, args.models)
        port = free_port()
        server = subprocess.Popen(benchlab("serve", "--port", str(port), "--db", db))
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                if server.poll() is not None:
                    sys.exit(f"benchlab serve exited with {server.returncode}")
                try:
                    runs = json.loads(get(f"{base}/api/runs"))
                    break
                except OSError:
                    time.sleep(0.2)
            url = f"{base}/runs/{runs['items'][0]['run_id']}"
            get(url), get(url)  # warm: kept summaries written, templates compiled
            html_rounds(url, server.pid, args.rounds)
            browser_rounds(url, args.rounds)
        finally:
            server.terminate()
            server.wait()
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
