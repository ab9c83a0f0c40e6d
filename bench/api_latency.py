"""Latency of the server's API and pages over a large store.

Run:  .venv/bin/python bench/api_latency.py [--attempts 1000000] [--models 50] [--runs 200]
                                            [--requests 40] [--db PATH] [--only GLOB]

Seeds a SQLite store with a realistic shape (runs of 10 models out of 50 on one
of 5 suites of 500 cases, one score per attempt, a tenth of the answers wrong,
one in fifty errors) by bulk inserts, then serves it with uvicorn on 127.0.0.1
and times sequential requests with httpx: p50 / p95 per endpoint and page, of the wall
time and of the server's CPU time per request (which the wait for a core on a loaded
machine does not inflate; cache misses still do, a little).
The first request that needs the per-run aggregates computes them for every
run (once per database); it is reported on its own line.

It prints figures only (no asserts). Target: p95 < 100 ms for every listing (the results
matrix included: two runs of 10 models side by side, 50 rows of 20 cells a page).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import update

from benchlab.server import create_app
from benchlab.store import Store
from benchlab.store.schema import attempts, cases, run_models, run_suites, runs, scores

N_SUITES = 5
CASES = 500
CATEGORIES = ["math", "code", "factoid", "reasoning", "translation", "summaries"]


def seed(db: Path, n_attempts: int, n_models: int, n_runs: int) -> list[str]:
    rng = random.Random(7)
    models = [f"provider{i % 5}/model-{i:02d}" for i in range(n_models)]
    per_run = max(1, n_attempts // n_runs)
    models_per_run = min(10, n_models)
    cases_per_run = max(1, per_run // models_per_run)
    now = time.time()
    run_ids = []
    with Store(f"sqlite:///{db}") as store:
        suite_hashes = {}
        for s in range(N_SUITES):
            name = f"suite-{s}"
            suite_hashes[name] = f"{s:064x}"
        case_rows = [
            {
                "suite_hash": h,
                "case_id": f"case-{c:04d}",
                "position": c,
                "input": json.dumps(f"Question {c} of {name}: what is {c} + {c}?"),
                "context": None,
                "expected": json.dumps(str(2 * c)),
                "scorers": json.dumps([{"name": "exact", "options": {}}]),
                "category": CATEGORIES[c % len(CATEGORIES)],
                "metadata": json.dumps({"category": CATEGORIES[c % len(CATEGORIES)]}),
            }
            for name, h in suite_hashes.items()
            for c in range(CASES)
        ]
        with store.engine.begin() as conn:
            conn.execute(cases.insert(), case_rows)
        next_id = 1
        for r in range(n_runs):
            run_id = f"2026{r:04d}-000000-{r:06x}"
            suite = f"suite-{r % N_SUITES}"
            chosen = rng.sample(models, models_per_run)
            created = now - (n_runs - r) * 86400 / 2
            store.create_run(
                run_id,
                config={"suites": [suite], "samples": 1, "limit": None},
                suites_info=[
                    {
                        "name": suite,
                        "hash": suite_hashes[suite],
                        "version": "1",
                        "source": f"{suite}.yaml",
                        "header": {"name": suite, "description": "synthetic"},
                        "n_cases": CASES,
                    }
                ],
                model_profiles=[{"name": m, "spec": m} for m in chosen],
                seed=r,
                tags={"bench": "yes", "day": str(r)},
                version="bench",
            )
            attempt_rows = []
            score_rows = []
            for m_i, model in enumerate(chosen):
                skill = 0.5 + 0.45 * ((hash(model) % 100) / 100)
                for c in range(min(cases_per_run, CASES)):
                    ok = rng.random() > 0.02
                    passed = ok and rng.random() < skill
                    output = str(2 * c) if passed else f"I think it is {c}"
                    attempt_rows.append(
                        {
                            "id": next_id,
                            "run_id": run_id,
                            "suite": suite,
                            "case_id": f"case-{c:04d}",
                            "model": model,
                            "sample": 0,
                            "status": "ok" if ok else "error",
                            "category": CATEGORIES[c % len(CATEGORIES)],
                            "prompt": json.dumps(
                                [{"role": "user", "content": f"Question {c}: what is {c} + {c}?"}]
                            ),
                            "output": output if ok else None,
                            "tool_calls": None,
                            "finish_reason": "stop" if ok else None,
                            "input_tokens": 40 + c % 17 if ok else None,
                            "output_tokens": 5 + c % 7 if ok else None,
                            "latency_ms": rng.lognormvariate(6, 0.5) if ok else None,
                            "cost_usd": 2e-5 * (1 + m_i) if ok else None,
                            "error_type": None if ok else "RateLimited",
                            "error_message": None if ok else "429 Too Many Requests",
                            "cached": False,
                            "retries": 0,
                            "passed": passed,
                            "finished_at": created + c * 0.05,
                        }
                    )
                    if ok:
                        score_rows.append(
                            {
                                "attempt_id": next_id,
                                "scorer": "exact",
                                "pass_no": 0,
                                "run_id": run_id,
                                "value": 1.0 if passed else 0.0,
                                "passed": passed,
                                "explanation": "matches" if passed else "does not match",
                                "details": None,
                            }
                        )
                    next_id += 1
            with store.engine.begin() as conn:
                conn.execute(attempts.insert(), attempt_rows)
                conn.execute(scores.insert(), score_rows)
                finished = created + cases_per_run * 0.05
                conn.execute(
                    update(runs)
                    .where(runs.c.id == run_id)
                    .values(
                        status="completed",
                        created_at=created,
                        started_at=created,
                        finished_at=finished,
                    )
                )
                conn.execute(
                    update(run_models)
                    .where(run_models.c.run_id == run_id)
                    .values(created_at=created)
                )
                conn.execute(
                    update(run_suites)
                    .where(run_suites.c.run_id == run_id)
                    .values(created_at=created)
                )
            run_ids.append(run_id)
            if r % 20 == 19:
                sys.stderr.write(f"  seeded {r + 1}/{n_runs} runs ({next_id - 1} attempts)\n")
    return run_ids


class Server:
    def __init__(self, db: Path) -> None:
        app = create_app(f"sqlite:///{db}", admin_key="")
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        while not self._server.started:
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)


def measure(client: httpx.Client, paths: list[str], n: int) -> dict[str, float]:
    """Wall p50/p95 as the client saw it, and the server's CPU per request.

    The server runs in this process (threads of its own), and requests go one at a time,
    so the process's CPU time over a request less this (client) thread's own is what the
    server spent on it, SQLite's work (done without the GIL) included, the wait for a core
    on a loaded machine not."""
    times, cpu = [], []
    for i in range(n):
        path = paths[i % len(paths)]
        start, cpu_start, mine_start = time.perf_counter(), time.process_time(), time.thread_time()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        mine = time.thread_time() - mine_start
        cpu.append((time.process_time() - cpu_start - mine) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code} {response.text[:200]}")
    (p50, p95), (cpu50, cpu95) = _p50_p95(times), _p50_p95(cpu)
    return {"p50": p50, "p95": p95, "cpu50": cpu50, "cpu95": cpu95}


def _p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--models", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--requests", type=int, default=40, help="requests per endpoint")
    parser.add_argument("--db", type=Path, help="reuse (or create) this database file")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="time only the endpoints whose name matches this glob (repeatable)",
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.db"
    if not db.exists():
        start = time.perf_counter()
        seed(db, args.attempts, args.models, args.runs)
        print(f"seeded {args.attempts} attempts in {time.perf_counter() - start:.1f} s ({db})")
    with Store(f"sqlite:///{db}") as store, store.engine.connect() as conn:
        run_ids = [r for (r,) in conn.execute(runs.select().with_only_columns(runs.c.id))]
        models_of: dict[str, set[str]] = {}
        for run_id, name in conn.execute(
            run_models.select().with_only_columns(run_models.c.run_id, run_models.c.model)
        ):
            models_of.setdefault(run_id, set()).add(name)
        suite_of = dict(
            conn.execute(
                run_suites.select().with_only_columns(run_suites.c.run_id, run_suites.c.suite)
            ).all()
        )
        sample = conn.execute(
            attempts.select().with_only_columns(attempts.c.id, attempts.c.model).limit(50)
        ).all()
    rng = random.Random(1)
    some_runs = rng.sample(run_ids, min(20, len(run_ids)))
    model = sample[0][1]
    with Server(db) as base, httpx.Client(base_url=base, timeout=60) as client:
        start = time.perf_counter()
        client.get("/api/leaderboard")
        print(
            f"first aggregate request (computes run_stats for {len(run_ids)} runs): "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )
        # compare needs a suite and a model in common: pair each sampled run with such a run
        pairs = [
            (a, b)
            for a in some_runs[:10]
            for b in [
                next(
                    (
                        b
                        for b in run_ids
                        if b != a
                        and suite_of.get(b) == suite_of.get(a)
                        and models_of.get(a, set()) & models_of.get(b, set())
                    ),
                    None,
                )
            ]
            if b is not None
        ]
        endpoints: list[tuple[str, list[str], bool]] = [
            ("GET /api/runs", ["/api/runs"], True),
            ("GET /api/runs?model=&offset=", [f"/api/runs?model={model}&offset=10"], True),
            ("GET /api/runs?suite=&tag=", ["/api/runs?suite=suite-2&tag=bench=yes"], True),
            ("GET /api/runs?sort=-pass_rate", ["/api/runs?sort=-pass_rate"], True),
            ("GET /api/runs?sort=cost&offset=", ["/api/runs?sort=cost&offset=100"], True),
            ("GET /api/runs/{id}/attempts", [f"/api/runs/{r}/attempts" for r in some_runs], True),
            (
                "GET /api/runs/{id}/attempts?passed=false&model=",
                [f"/api/runs/{r}/attempts?passed=false&category=math" for r in some_runs],
                True,
            ),
            (
                "GET /api/runs/{id}/attempts?q=&offset=",
                [f"/api/runs/{r}/attempts?q=think&offset=1000" for r in some_runs],
                True,
            ),
            ("GET /api/models", ["/api/models"], True),
            ("GET /api/suites", ["/api/suites"], True),
            ("GET /api/suites/{name}/cases", ["/api/suites/suite-1/cases?category=math"], True),
            ("GET /api/leaderboard", ["/api/leaderboard"], True),
            ("GET /api/trends", ["/api/trends?suite=suite-3"], True),
            ("GET /api/spend", ["/api/spend"], False),
            ("GET /api/attempts/{id}", [f"/api/attempts/{a}" for a, _ in sample], False),
            ("GET /api/runs/{id} (summary)", [f"/api/runs/{r}" for r in some_runs], False),
            ("GET /api/compare", [f"/api/compare?a={a}&b={b}" for a, b in pairs], False),
            (
                "GET /api/matrix?runs=a,b (20 columns)",
                [f"/api/matrix?runs={a},{b}" for a, b in pairs],
                True,
            ),
            (
                "GET /api/matrix?show=flips&sort=verdict:",
                [f"/api/matrix?runs={a},{b}&show=flips&sort=verdict:3" for a, b in pairs],
                True,
            ),
            (
                "GET /api/matrix?show=failures&q=&offset=",
                [f"/api/matrix?runs={r}&show=failures&q=think&offset=100" for r in some_runs],
                True,
            ),
            (
                "GET /api/matrix?sort=score:&desc=",
                [f"/api/matrix?runs={a},{b}&sort=score:1&desc=true" for a, b in pairs],
                True,
            ),
            ("page /", ["/"], False),
            ("page /runs", ["/runs"], False),
            ("page /runs?sort=-pass_rate", ["/runs?sort=-pass_rate"], False),
            ("page /?tag=&days=", ["/?tag=bench=yes&days=365"], False),
            ("page /runs/{id}", [f"/runs/{r}" for r in some_runs], False),
            ("page /compare", [f"/compare?a={a}&b={b}" for a, b in pairs], False),
            ("page /matrix", [f"/matrix?runs={a},{b}" for a, b in pairs], False),
            ("page /suites/{name}", ["/suites/suite-1"], False),
        ]
        rows: list[dict[str, Any]] = []
        for name, paths, listing in endpoints:
            if args.only and not any(fnmatch.fnmatchcase(name, glob) for glob in args.only):
                continue
            measure(client, paths, 3)  # warm caches and templates
            figures = measure(client, paths, args.requests)
            rows.append({"endpoint": name, "listing": listing, **figures})
    print(f"\n{'':52} {'wall ms':>17} {'server CPU ms':>17}")
    print(f"{'endpoint':52} {'p50':>8} {'p95':>8} {'p50':>8} {'p95':>8}")
    for row in rows:
        over = row["listing"] and max(row["p95"], row["cpu95"]) >= 100
        print(
            f"{row['endpoint']:52} {row['p50']:8.1f} {row['p95']:8.1f} "
            f"{row['cpu50']:8.1f} {row['cpu95']:8.1f}{'  <- over 100 ms' if over else ''}"
        )
    listings = [r for r in rows if r["listing"]]
    for key, what in (("p95", "wall"), ("cpu95", "server CPU")):
        if listings:
            worst = max(listings, key=lambda r: r[key])
            print(
                f"worst listing {what} p95: {worst[key]:.1f} ms ({worst['endpoint']}); "
                "target < 100 ms"
            )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    tmp.cleanup()


if __name__ == "__main__":
    main()
