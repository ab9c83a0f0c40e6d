"""What this machine can isolate, found by starting real workers: `benchlab doctor`.

Each backend is tried for real (a worker started and one program run),
because whether user namespaces or bubblewrap work inside a container is
only known by trying; the report says which one `auto` picks and what every
execution will record, and warns about what the fallback cannot enforce.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from typing import Any

from benchlab.sandbox import landlock
from benchlab.sandbox.isolation import BACKENDS, available
from benchlab.sandbox.job import Job, Limits
from benchlab.sandbox.pool import LocalExecutor, SandboxError

_TOOLCHAINS = {
    "python": [sys.executable, "--version"],
    "node": ["node", "--version"],
    "g++": ["g++", "--version"],
    "rustc": ["rustc", "--version"],
    "cargo": ["cargo", "--version"],
    "go": ["go", "version"],
}


def diagnose(backends: tuple[str, ...] = BACKENDS) -> dict[str, Any]:
    """Try every backend, then `auto`; report what runs and what each execution records."""
    report: dict[str, Any] = {
        "root": os.geteuid() == 0,
        "cores": os.cpu_count(),
        "landlock_abi": landlock.abi_version(),
        "backends": {name: _try(name) for name in backends},
    }
    chosen = next((n for n in backends if report["backends"][n]["works"]), None)
    report["auto"] = chosen
    report["isolation"] = report["backends"][chosen]["isolation"] if chosen else None
    report["warnings"] = _warnings(report)
    report["toolchains"] = {name: _version(argv) for name, argv in _TOOLCHAINS.items()}
    return report


def _try(backend: str) -> dict[str, Any]:
    if not available(backend):
        return {"works": False, "reason": f"{backend} is not installed", "isolation": None}
    executor = LocalExecutor(workers=1, isolation=backend)
    try:
        started = time.perf_counter()
        isolation = executor.isolation
        start_ms = (time.perf_counter() - started) * 1000.0
        result = executor.run_many([Job.python("print(6 * 7)", limits=Limits(timeout=10))])[0]
    except SandboxError as exc:
        return {"works": False, "reason": str(exc), "isolation": None}
    finally:
        executor.close()
    works = result.passed and result.stdout.strip() == "42"
    return {
        "works": works,
        "reason": "" if works else f"test program: {result.outcome} {result.stderr.strip()}",
        "isolation": isolation.as_dict(),
        "start_ms": round(start_ms, 1),
        "run_ms": round(result.duration_ms, 2),
    }


def _warnings(report: dict[str, Any]) -> list[str]:
    out: list[str] = []
    iso = report["isolation"]
    if iso is None:
        return ["no sandbox backend works: code cannot be executed here"]
    if iso["backend"] != "bwrap":
        out.append("bubblewrap is not in use: the host's files stay visible (install `bubblewrap`)")
    if not iso["network_isolated"] and "all-sockets" not in iso["seccomp"]:
        if "tcp" not in iso["landlock"]:
            out.append(
                "no network namespace, seccomp or Landlock: only Python's sockets are blocked"
            )
        else:
            out.append("no network namespace or seccomp: Landlock blocks TCP but not UDP")
    if "unix-sockets" not in iso["seccomp"]:
        out.append("no seccomp: programs can connect to Unix sockets their uid may write to")
    if iso["private_imports"]:
        out.append(
            "Python lives in a folder other uids cannot enter: programs import it through "
            "descriptors, and commands that start that Python (task tests) cannot run it; "
            "install Python in a public place or use unshare/bwrap"
        )
    if report["root"] and not iso["separate_uid"]:
        out.append(
            "programs run as root without a uid of their own: the process cap is not "
            "enforced (root is exempt) and only Landlock keeps writes in their folder"
        )
    if not iso["landlock"] and iso["backend"] == "none":
        out.append("no Landlock: programs can write wherever their uid may")
    return out


def _version(argv: list[str]) -> str | None:
    if shutil.which(argv[0]) is None:
        return None
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else ""
