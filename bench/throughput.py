"""Throughput, CPU, memory and start-up figures for benchlab against an instant stub.

Run:  .venv/bin/python bench/throughput.py [--n 2000] [--big-n 20000] [--quick]

It starts nginx (Debian's) as a child process answering every
`POST /v1/chat/completions` with one fixed chat.completion, then measures in
the same run:

  a. a bare asyncio + aiohttp loop (the floor benchlab is built on),
  b. a bare asyncio + httpx loop (for comparison),
  c. `benchlab run ... --no-cache --json -q` as a subprocess (scoring and the
     SQLite store included), whole-process and with start-up subtracted,
  d. peak RSS of benchlab at N and at --big-n,
  e. start-up: `benchlab --help` and a 1-case offline run.

It prints figures only: no asserts, no pass/fail exit code (exit 2 only when
nginx is missing and cannot be installed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
BENCHLAB = VENV_BIN / "benchlab"
if not BENCHLAB.exists():  # fall back to the repo's venv
    BENCHLAB = ROOT / ".venv" / "bin" / "benchlab"

RESPONSE = {
    "id": "chatcmpl-bench0000000000000000000000",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "stub",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "4"},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 17, "completion_tokens": 1, "total_tokens": 18},
    "system_fingerprint": "fp_bench",
}

NGINX_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    access_log off;
    default_type application/json;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    client_body_buffer_size 64k;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location = /v1/chat/completions {{
            return 200 '{body}';
        }}
        location / {{
            return 404 '{{"error": {{"message": "not found"}}}}';
        }}
    }}
}}
"""


# --------------------------------------------------------------------------- nginx stub


def ensure_nginx() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(p)), None
    )
    if found:
        return found
    if os.geteuid() != 0:
        print(
            "bench: nginx is not installed and this is not root; install it with "
            "`sudo apt-get install -y nginx` and run again.",
            file=sys.stderr,
        )
        sys.exit(2)
    print("bench: nginx missing; installing it with apt-get ...", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=False, env=env)
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None
    )
    if not found:
        print("bench: apt-get could not install nginx; giving up.", file=sys.stderr)
        sys.exit(2)
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class NginxStub:
    def __init__(self, nginx: str, workdir: Path) -> None:
        self.nginx = nginx
        self.prefix = workdir / "nginx"
        self.prefix.mkdir(parents=True, exist_ok=True)
        os.chmod(self.prefix, 0o755)  # the worker may run as nobody
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        body = json.dumps(RESPONSE, separators=(",", ":"))
        assert "'" not in body and "$" not in body
        for _attempt in range(5):
            self.port = free_port()
            conf = NGINX_CONF.format(prefix=self.prefix, port=self.port, body=body)
            (self.prefix / "nginx.conf").write_text(conf)
            self.proc = subprocess.Popen(
                [
                    self.nginx,
                    "-p",
                    str(self.prefix),
                    "-c",
                    "nginx.conf",
                    "-e",
                    str(self.prefix / "error.log"),
                    "-g",
                    "daemon off;",
                ],
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C reaches us, and we stop nginx ourselves
            )
            if self._wait_ready():
                return
            self.stop()
        log = self.prefix / "error.log"
        raise RuntimeError(
            "nginx did not start; error.log:\n" + (log.read_text() if log.exists() else "(none)")
        )

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                return False
            try:
                req = urllib.request.Request(
                    self.base_url + "/chat/completions",
                    data=b"{}",
                    method="POST",
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(req, timeout=1) as resp:
                    data = json.loads(resp.read())
                    return bool(data["choices"][0]["message"]["content"] == "4")
            except OSError:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)  # nginx: fast shutdown
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


# --------------------------------------------------------------------------- suite


CATEGORIES = ("arithmetic", "geometry", "algebra", "trivia", "units")


def write_suite(path: Path, n: int) -> Path:
    with path.open("w") as f:
        for i in range(n):
            f.write(
                json.dumps(
                    {
                        "id": f"case-{i:06d}",
                        "input": f"What is 2+2? (case {i})",
                        "expected": "4",
                        "metadata": {"category": CATEGORIES[i % len(CATEGORIES)]},
                    }
                )
                + "\n"
            )
    return path


def request_body(i: int) -> dict[str, Any]:
    return {"model": "stub", "messages": [{"role": "user", "content": f"What is 2+2? (case {i})"}]}


# --------------------------------------------------------------------------- measurements


@dataclass
class Result:
    name: str
    n: int
    c: int
    wall: float
    cpu: float  # seconds, user+sys
    ok: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.n / self.wall if self.wall else float("nan")

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.n if self.n else float("nan")


async def _aiohttp_loop(url: str, n: int, c: int) -> int:
    import aiohttp

    ok = 0
    connector = aiohttp.TCPConnector(limit=c)
    async with aiohttp.ClientSession(
        connector=connector,
        headers={"Authorization": "Bearer x", "Content-Type": "application/json"},
        timeout=aiohttp.ClientTimeout(total=None),
    ) as session:
        items = iter(range(n))

        async def worker() -> None:
            nonlocal ok
            for i in items:
                async with session.post(url, data=json.dumps(request_body(i))) as resp:
                    body = await resp.read()
                    status = resp.status
                data = json.loads(body)
                if status == 200 and data["choices"][0]["message"]["content"] == "4":
                    ok += 1

        await asyncio.gather(*(worker() for _ in range(c)))
    return ok


async def _httpx_loop(url: str, n: int, c: int) -> int:
    import httpx

    ok = 0
    limits = httpx.Limits(max_connections=c, max_keepalive_connections=c)
    async with httpx.AsyncClient(
        limits=limits,
        timeout=httpx.Timeout(60.0),
        headers={"Authorization": "Bearer x"},
    ) as client:
        items = iter(range(n))

        async def worker() -> None:
            nonlocal ok
            for i in items:
                resp = await client.post(url, json=request_body(i))
                data = resp.json()
                if resp.status_code == 200 and data["choices"][0]["message"]["content"] == "4":
                    ok += 1

        await asyncio.gather(*(worker() for _ in range(c)))
    return ok


def bare(name: str, loop_fn: Any, url: str, n: int, c: int, repeat: int = 1) -> Result:
    """Best (lowest) wall and CPU time of `repeat` runs, after a short warm-up."""
    asyncio.run(loop_fn(url, min(n, 200), c))  # warm-up: imports, nginx, the code paths
    walls, cpus, oks = [], [], []
    for _ in range(repeat):
        cpu0, t0 = time.process_time(), time.perf_counter()
        oks.append(asyncio.run(loop_fn(url, n, c)))
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - cpu0)
    return Result(name, n, c, min(walls), min(cpus), min(oks))


@dataclass
class Proc:
    rc: int
    wall: float
    cpu: float  # user+sys seconds (RUSAGE_CHILDREN delta)
    maxrss_kb: int  # this child's own peak (from wait4)
    stdout: str
    stderr: str


def run_child(argv: list[str], env: dict[str, str], timeout: float, cwd: Path) -> Proc:
    """Run one child, measuring its wall time, CPU (RUSAGE_CHILDREN delta) and own peak RSS.

    os.wait4 returns that child's rusage alone, so ru_maxrss is not the running
    maximum over every child this process ever had.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _pid, status, ru = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        out.seek(0)
        err.seek(0)
        return Proc(
            proc.returncode,
            wall,
            cpu,
            ru.ru_maxrss,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def benchlab_run(
    suite: Path, c: int, db: Path, env: dict[str, str], cwd: Path, timeout: float = 300
) -> Proc:
    argv = [
        str(BENCHLAB),
        "run",
        str(suite),
        "--model",
        "openai/stub",
        "--scorer",
        "numeric",
        "-c",
        str(c),
        "--no-cache",
        "--db",
        f"sqlite:///{db}",
        "--json",
        "-q",
    ]
    return run_child(argv, env, timeout, cwd)


def best_of(runs: list[Proc]) -> Proc:
    """Lowest wall and lowest CPU of several runs, highest peak RSS; output of the last."""
    last = runs[-1]
    bad = next((r for r in runs if r.rc != 0), last)
    return Proc(
        bad.rc,
        min(r.wall for r in runs),
        min(r.cpu for r in runs),
        max(r.maxrss_kb for r in runs),
        bad.stdout,
        bad.stderr,
    )


def check_run(label: str, proc: Proc, n: int) -> dict[str, Any]:
    """Parse benchlab's --json; print a loud warning when the run did not complete."""
    info: dict[str, Any] = {"ok": False}
    try:
        doc = json.loads(proc.stdout)
        m = doc["models"][0]
        info = {
            "ok": True,
            "status": doc.get("status"),
            "attempts": m.get("attempts"),
            "errors": m.get("errors"),
            "pass_rate": m.get("pass_rate"),
        }
    except Exception as exc:
        info["why"] = f"unparseable --json output ({exc!r})"
    bad = (
        proc.rc != 0
        or not info["ok"]
        or info.get("attempts") != n
        or info.get("status") != "completed"
        or info.get("errors")
    )
    if bad:
        bar = "!" * 78
        print(
            f"\n{bar}\n!!! WARNING: benchlab run '{label}' did NOT complete cleanly "
            f"(rc={proc.rc}, expected attempts={n}, got {info})",
            file=sys.stderr,
        )
        tail = proc.stderr.strip().splitlines()[-15:]
        if tail:
            print("!!! stderr tail:\n" + "\n".join("    " + t for t in tail), file=sys.stderr)
        print(bar + "\n", file=sys.stderr)
        info["bad"] = True
    return info


# The chosen libraries a `benchlab run` needs before it can do anything: Typer parses the
# flags (and, since 0.29, builds pydantic adapters to coerce them), pydantic validates the
# config (`import pydantic` alone is lazy: BaseModel is what loads it), SQLAlchemy opens the
# store, asyncio drives the engine, rich prints the summary table.
FLOOR_IMPORTS = "import typer, sqlalchemy, asyncio, rich.table; from pydantic import BaseModel"


# --------------------------------------------------------------------------- main


def fmt_row(cols: list[str], widths: list[int]) -> str:
    return "  ".join(
        c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cols, widths, strict=True))
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="cases per throughput run (2000)")
    ap.add_argument("--big-n", type=int, default=20000, help="cases for the memory run (20000)")
    ap.add_argument("--concurrency", default="32,256", help="comma-separated (32,256)")
    ap.add_argument("--reps", type=int, default=5, help="start-up repetitions (5)")
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each throughput measurement R times and keep the best (1)",
    )
    ap.add_argument("--quick", action="store_true", help="N=300, big-n 1500, c=32 only")
    ap.add_argument(
        "--startup-only", action="store_true", help="only the start-up figures (with --reps)"
    )
    args = ap.parse_args()
    if args.quick:
        args.n, args.big_n, args.concurrency, args.reps = 300, 1500, "32", 3
    concs = [int(x) for x in args.concurrency.split(",") if x.strip()]
    rss_c = 32 if 32 in concs else concs[0]
    n = args.n

    try:
        import httpx  # noqa: F401
    except ImportError:
        print("bench: installing httpx into the venv ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "httpx"], check=True)

    nginx = ensure_nginx()
    work = Path(tempfile.mkdtemp(prefix="benchlab-bench-"))
    stub = NginxStub(nginx, work)
    try:
        stub.start()
        url = stub.base_url + "/chat/completions"
        suite = write_suite(work / "suite.jsonl", n)
        suite1 = write_suite(work / "suite1.jsonl", 1)
        suite_big = write_suite(work / "suite-big.jsonl", args.big_n)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("BENCHLAB_") and k != "PYTHONDONTWRITEBYTECODE"
        }
        # Children cache bytecode in the temp dir (not beside the sources): a user's
        # benchlab has its .pyc files, and PYTHONDONTWRITEBYTECODE=1 in this
        # environment would otherwise make every start-up recompile src/benchlab.
        env.update(
            OPENAI_BASE_URL=stub.base_url,
            OPENAI_API_KEY="x",
            NO_COLOR="1",
            PYTHONPYCACHEPREFIX=str(work / "pycache"),
        )
        cwd = work  # any stray .benchlab/ lands in the temp dir
        warm = [
            [str(BENCHLAB), "--help"],
            [
                str(BENCHLAB),
                "run",
                str(suite1),
                "--model",
                "oracle",
                "--scorer",
                "exact",
                "-q",
                "--db",
                f"sqlite:///{work / 'warm0.db'}",
            ],
        ]
        for argv in warm:
            run_child(argv, env, 120, cwd)
        check_run("warm-up", benchlab_run(suite1, 32, work / "warm1.db", env, cwd), 1)

        import aiohttp

        print(f"benchlab throughput bench  {time.strftime('%Y-%m-%d %H:%M:%S')}")
        print(
            f"  python {sys.version.split()[0]}, aiohttp {aiohttp.__version__}, "
            f"httpx {__import__('httpx').__version__}, {os.cpu_count()} CPUs, "
            f"nginx stub at {stub.base_url}"
        )
        print(
            f"  N={n}, big-N={args.big_n}, concurrency={concs}, best of {args.repeat}, "
            f"load average at start {os.getloadavg()[0]:.2f} "
            "(other work on this machine skews wall times)"
        )
        print()

        if not args.startup_only:  # throughput, then memory
            results: list[Result] = []
            bl_runs: dict[int, tuple[Result, Proc, Proc, dict[str, Any]]] = {}
            for c in concs:
                rep = args.repeat
                results.append(bare("aiohttp (bare)", _aiohttp_loop, url, n, c, rep))
                results.append(bare("httpx (bare)", _httpx_loop, url, n, c, rep))
                # 1-case run first (start-up cost at this c), then the N-case run; fresh DBs.
                ones, fulls = [], []
                for k in range(rep):
                    ones.append(benchlab_run(suite1, c, work / f"one-c{c}-{k}.db", env, cwd))
                    check_run(f"1 case, c={c}", ones[-1], 1)
                    fulls.append(benchlab_run(suite, c, work / f"bench-c{c}-{k}.db", env, cwd))
                    info = check_run(f"N={n}, c={c}", fulls[-1], n)
                one, full = best_of(ones), best_of(fulls)
                res = Result(
                    "benchlab run", n, c, full.wall, full.cpu, info.get("attempts") or 0, extra=info
                )
                results.append(res)
                bl_runs[c] = (res, full, one, info)

            # ---- table
            widths = [16, 5, 6, 9, 10, 11, 8]
            print(fmt_row(["client", "c", "N", "wall s", "samples/s", "CPU ms/smp", "ok"], widths))
            print(fmt_row(["-" * w for w in widths], widths))
            for r in results:
                print(
                    fmt_row(
                        [
                            r.name,
                            str(r.c),
                            str(r.n),
                            f"{r.wall:.3f}",
                            f"{r.rate:,.0f}",
                            f"{r.cpu_ms:.3f}",
                            str(r.ok),
                        ],
                        widths,
                    )
                )
            print()

            print("benchlab detail (CPU = user+sys of the benchlab process, from RUSAGE_CHILDREN):")
            for c, (res, full, one, info) in bl_runs.items():
                steady_cpu = (full.cpu - one.cpu) / max(n - 1, 1)
                steady_wall = full.wall - one.wall
                steady_rate = (n - 1) / steady_wall if steady_wall > 0 else float("nan")
                res.extra.update(steady_cpu_ms=1000 * steady_cpu, steady_rate=steady_rate)
                print(
                    f"  c={c}: whole process {full.wall:.3f} s wall, {full.cpu:.3f} s CPU "
                    f"= {res.cpu_ms:.3f} ms/sample; 1-case run {one.wall:.3f} s wall, "
                    f"{one.cpu:.3f} s CPU"
                )
                print(
                    f"        excluding start-up: {1000 * steady_cpu:.3f} ms CPU/sample, "
                    f"{steady_rate:,.0f} samples/s"
                )
                print(
                    f"        --json: status={info.get('status')} attempts={info.get('attempts')} "
                    f"(N={n}) errors={info.get('errors')} pass_rate={info.get('pass_rate')}"
                    f"  peak RSS {full.maxrss_kb / 1024:.1f} MiB"
                )
            print()

            print("ratios:")
            by = {(r.name, r.c): r for r in results}
            for c in concs:
                a, h = by[("aiohttp (bare)", c)], by[("httpx (bare)", c)]
                b = by[("benchlab run", c)]
                sc = b.extra["steady_cpu_ms"]
                sr = b.extra["steady_rate"]
                print(
                    f"  c={c}: benchlab samples/s / aiohttp = {b.rate / a.rate:.2f} whole process, "
                    f"{sr / a.rate:.2f} excl. start-up   (target >= 0.5)"
                )
                print(
                    f"        benchlab CPU ms/sample vs aiohttp: {b.cpu_ms / a.cpu_ms:.1f}x whole, "
                    f"{sc / a.cpu_ms:.1f}x excl. start-up;  "
                    f"vs httpx: {b.cpu_ms / h.cpu_ms:.2f}x whole, "
                    f"{sc / h.cpu_ms:.2f}x excl. start-up"
                )
                print(f"        httpx CPU ms/sample vs aiohttp: {h.cpu_ms / a.cpu_ms:.1f}x")
            print()

            # ---- memory
            small = bl_runs[rss_c][1]
            big = benchlab_run(suite_big, rss_c, work / "bench-big.db", env, cwd, timeout=600)
            binfo = check_run(f"N={args.big_n}, c={rss_c}", big, args.big_n)
            print(f"peak RSS of benchlab (c={rss_c}, ru_maxrss of that child via wait4):")
            print(f"  N={n:>6}: {small.maxrss_kb / 1024:7.1f} MiB")
            print(
                f"  N={args.big_n:>6}: {big.maxrss_kb / 1024:7.1f} MiB   "
                f"({big.wall:.2f} s wall, {args.big_n / big.wall:,.0f} samples/s, "
                f"{1000 * big.cpu / args.big_n:.3f} CPU ms/sample; "
                f"attempts={binfo.get('attempts')}, "
                f"pass_rate={binfo.get('pass_rate')})"
            )
            print(
                f"  ratio big/small = {big.maxrss_kb / small.maxrss_kb:.2f}"
                "   (target ~1.0: flat in N)"
            )
            # Steady state from the two long runs at the same c: the cost of the extra
            # big-N - N samples, with start-up (identical in both) cancelled out. Less
            # noisy than subtracting one short 1-case run.
            extra = args.big_n - n
            if extra > 0 and big.wall > small.wall:
                rate = extra / (big.wall - small.wall)
                cpu_ms = 1000 * (big.cpu - small.cpu) / extra
                bare_a = next(r for r in results if r.name == "aiohttp (bare)" and r.c == rss_c)
                print(
                    f"  marginal N={n}->{args.big_n}: {rate:,.0f} samples/s, {cpu_ms:.3f} CPU "
                    f"ms/sample = {rate / bare_a.rate:.2f} of bare aiohttp's samples/s "
                    f"(target >= 0.5), {cpu_ms / bare_a.cpu_ms:.1f}x its CPU"
                )
            print()

        # ---- start-up
        # Each round runs every command once, in turn, so that a slow minute of this noisy
        # machine weighs on all of them alike; medians over the rounds.
        off_env = {k: v for k, v in env.items()}
        startup_db = work / "startup.db"
        offline = [
            str(BENCHLAB),
            "run",
            str(suite1),
            "--model",
            "oracle",
            "--scorer",
            "exact",
            "-q",
            "--db",
            f"sqlite:///{startup_db}",
        ]
        first = run_child(offline, off_env, 60, cwd)  # creates the DB
        python = str(BENCHLAB.parent / "python")
        commands = {
            "python": [python, "-c", "pass"],
            "floor": [python, "-c", FLOOR_IMPORTS],
            "help": [str(BENCHLAB), "--help"],
            "run": offline,
        }
        for argv in commands.values():
            run_child(argv, off_env, 60, cwd)  # bytecode cache of each
        walls: dict[str, list[float]] = {name: [] for name in commands}
        rcs: dict[str, int] = dict.fromkeys(commands, 0)
        for _ in range(args.reps):
            for name, argv in commands.items():
                p = run_child(argv, off_env, 60, cwd)
                walls[name].append(p.wall)
                rcs[name] = rcs[name] or p.rc
        med = {name: statistics.median(w) for name, w in walls.items()}
        help_med, help_walls, help_rc = med["help"], walls["help"], rcs["help"]
        one_med, one_walls, one_rc = med["run"], walls["run"], rcs["run"]
        print(f"start-up (median of {args.reps} interleaved rounds, wall):")
        print(f"  python -c pass           {med['python']:.3f} s")
        floor_libs = "typer, sqlalchemy, asyncio, rich.table, pydantic.BaseModel"
        print(
            f"  library import floor     {med['floor']:.3f} s  ({floor_libs}: "
            "what a run cannot start without)"
        )
        print(
            f"  benchlab --help          {help_med:.3f} s  (target 0.3)   "
            f"runs: {' '.join(f'{w:.3f}' for w in help_walls)}"
            + (f"  rc={help_rc}!" if help_rc else "")
        )
        print(
            f"  1-case oracle run        {one_med:.3f} s  (target 0.5)   "
            f"runs: {' '.join(f'{w:.3f}' for w in one_walls)}  "
            f"(first, creating the DB: {first.wall:.3f} s)"
            + (f"  rc={one_rc}!" if one_rc or first.rc else "")
        )
        print(
            f"  ratios to the floor: --help {help_med / med['floor']:.2f}x, 1-case run "
            f"{one_med / med['floor']:.2f}x; benchlab's own share of the run "
            f"{one_med - med['floor']:.3f} s"
        )
        if one_rc or first.rc:
            print(
                "!!! WARNING: the offline 1-case run failed:\n" + first.stderr[-2000:],
                file=sys.stderr,
            )
        print(f"\nload average at end {os.getloadavg()[0]:.2f}")
    finally:
        stub.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nbench: interrupted", file=sys.stderr)
        sys.exit(130)
