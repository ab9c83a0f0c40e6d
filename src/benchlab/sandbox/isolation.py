"""Which isolation a worker gets, and the command that starts it there.

Three backends, strongest first: `bwrap` (Debian's bubblewrap: new network,
pid, ipc, uts and mount namespaces; the host's files read-only, home
directories hidden, a private /tmp), `unshare` (the same namespaces from
util-linux, but the host's files stay as they are) and `none` (a plain
process). Inside each, every child also gets rlimits, its own uid whenever
the worker runs as root (under `unshare` the home folders are emptied and
the interpreter bound back so that uid reaches it; under `none` Python
imports reach it through descriptors, see _child._reach_private_paths),
Landlock where the kernel has it, a seccomp filter against Unix sockets (and
every socket where there is no network namespace; see seccomp.py), and
Python-level socket blocking only where neither seccomp nor anything else
cuts the network.

Whether a backend works is decided by starting a real worker with it (user
namespaces may be forbidden in a container, bwrap may be missing), never by
looking at the kernel version; `auto` takes the first that starts. What
actually ran is reported by the worker itself and recorded on every
execution.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BACKENDS = ("bwrap", "unshare", "none")
SERVER = Path(__file__).with_name("_server.py")
_NAMESPACES = ["net", "pid", "ipc", "uts", "mount"]

# Variables a program may need to find its toolchain; everything else stays outside.
_PASS_ENV = (
    "PATH",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "RUSTUP_HOME",
    "CARGO_HOME",
    "RUSTUP_TOOLCHAIN",
    "GOROOT",
    "JAVA_HOME",
)
_SECRET = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|COOKIE|SESSION", re.IGNORECASE)
_DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin"


@dataclass(frozen=True)
class Isolation:
    """What a worker reported about itself once it started: the truth, not the request."""

    backend: str
    namespaces: list[str] = field(default_factory=list)
    network_isolated: bool = False
    landlock: int = 0
    landlock_features: list[str] = field(default_factory=list)
    uid: int | None = None
    python_socket_block: bool = False
    seccomp: list[str] = field(default_factory=list)
    reach: list[str] = field(default_factory=list)

    @classmethod
    def from_report(cls, report: Mapping[str, Any]) -> Isolation:
        return cls(
            backend=str(report.get("backend", "none")),
            namespaces=list(report.get("namespaces", [])),
            network_isolated=bool(report.get("network_isolated")),
            landlock=int(report.get("landlock", 0)),
            landlock_features=list(report.get("landlock_features", [])),
            uid=report.get("uid"),
            python_socket_block=bool(report.get("python_socket_block")),
            seccomp=list(report.get("seccomp", [])),
            reach=list(report.get("reach", [])),
        )

    def label(self) -> str:
        """One short string per execution record, e.g. `bwrap[net,pid,...]+landlock[...]+uid`."""
        parts = [f"{self.backend}[{','.join(self.namespaces)}]" if self.namespaces else "process"]
        if self.landlock:
            parts.append(f"landlock{self.landlock}[{','.join(self.landlock_features)}]")
        if self.seccomp:
            parts.append(f"seccomp[{','.join(self.seccomp)}]")
        if self.uid is not None:
            parts.append("uid")
        parts.append("rlimits")
        if self.python_socket_block:
            parts.append("pysocket")
        return "+".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "label": self.label(),
            "namespaces": self.namespaces,
            "network_isolated": self.network_isolated,
            "landlock_abi": self.landlock,
            "landlock": self.landlock_features,
            "separate_uid": self.uid is not None,
            "python_socket_block": self.python_socket_block,
            "seccomp": self.seccomp,
            "private_imports": self.reach,
            "defends": defends(self),
        }


# What each layer keeps a program from, for `doctor` (rows) and the JSON records.
DEFENCES = ("network", "unix sockets", "filesystem", "uid", "limits")


def defends(iso: Isolation) -> dict[str, str]:
    """One line per kind of harm: what stops it under this isolation, or `no` and why."""
    netns = iso.network_isolated
    tcp = "tcp" in iso.landlock_features
    if netns:
        network = "network namespace (loopback only)"
    elif "all-sockets" in iso.seccomp:
        network = "seccomp: no socket() at all" + (" + Landlock TCP" if tcp else "")
    elif tcp:
        network = "partly: Landlock blocks TCP, not UDP"
    elif iso.python_socket_block:
        network = "weak: Python's socket module only"
    else:
        network = "no"
    if "unix-sockets" in iso.seccomp:
        unix = "seccomp: no AF_UNIX socket (connected stream pairs only)"
    elif "signals" in iso.landlock_features:
        unix = "partly: Landlock scopes abstract sockets; path sockets reachable"
    else:
        unix = "no"
    if iso.backend == "bwrap":
        files = "read-only host, empty /tmp and home folders; writes in its folder only"
    elif iso.backend == "unshare" and iso.uid is not None:
        files = "home folders emptied; host files as the program's uid sees them"
    else:
        files = "host files as the program's uid sees them"
    if iso.landlock and iso.backend != "bwrap":
        files += "; Landlock: writes in its folder only"
    elif not iso.landlock and iso.backend != "bwrap":
        files += "; writes wherever that uid may"
    uid = (
        "a uid of its own per worker: no root, no other job's folder, no root-only file"
        if iso.uid is not None
        else "no: the worker's own uid"
    )
    limits = "rlimits: cpu, memory, processes, file size, open files; wall-clock kill"
    if iso.uid is None:
        limits += " (the process cap does not bind root)"
    return {
        "network": network,
        "unix sockets": unix,
        "filesystem": files,
        "uid": uid,
        "limits": limits,
    }


def scrubbed_env(source: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment programs see: toolchain variables only, never a key or token."""
    env = os.environ if source is None else source
    out = {k: env[k] for k in _PASS_ENV if k in env and not _SECRET.search(k)}
    out.setdefault("PATH", _DEFAULT_PATH)
    out.setdefault("LANG", "C.UTF-8")
    home = Path.home()
    for name, default in (("RUSTUP_HOME", home / ".rustup"), ("CARGO_HOME", home / ".cargo")):
        if name not in out and default.is_dir():
            out[name] = str(default)
    return out


def available(backend: str) -> bool:
    """Whether the backend's tool is installed (whether it works is for a real start to say)."""
    if backend == "none":
        return True
    return shutil.which(backend) is not None


def launch_command(backend: str, config: dict[str, Any], env: Mapping[str, str]) -> list[str]:
    """argv that starts one fork server under `backend` (config is passed as JSON)."""
    import json

    python = [sys.executable, "-I", str(SERVER)]
    if backend == "bwrap":
        return [*_bwrap_args(env), "--", *python, json.dumps(config)]
    if backend == "unshare":
        user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
        args = ["--net", "--pid", "--ipc", "--uts", "--mount", "--fork", "--mount-proc"]
        return ["unshare", *user, *args, "--kill-child", "--", *python, json.dumps(config)]
    if backend == "none":
        return [*python, json.dumps(config)]
    raise ValueError(f"unknown sandbox backend {backend!r} (use auto, {', '.join(BACKENDS)})")


def namespaces_for(backend: str) -> list[str]:
    if backend == "none":
        return []
    user = [] if os.geteuid() == 0 else ["user"]
    return [*_NAMESPACES, *user]


def _bwrap_args(env: Mapping[str, str]) -> list[str]:
    args = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    args += ["--size", str(1 << 30), "--tmpfs", "/tmp"]
    hidden = _hidden_dirs()
    for path in hidden:
        args += ["--tmpfs", path]
    made: set[str] = set()
    # The private /tmp hides whatever lives there on the host too: a venv or a checkout
    # under /tmp (as in a CI clone) must be re-exposed like one under a home directory.
    covered = [*hidden, "/tmp"]
    for path in _needed_paths(env):
        root = next((h for h in covered if path == h or path.startswith(h + "/")), None)
        if root is None:
            continue
        # bwrap would create the directories on the way as 0700, closed to the program's uid
        parts = Path(path).relative_to(root).parts[:-1]
        for depth in range(1, len(parts) + 1):
            step = str(Path(root, *parts[:depth]))
            if step not in made:
                made.add(step)
                args += ["--perms", "0755", "--dir", step]
        args += ["--ro-bind", path, path]
    args += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
    args += ["--unshare-cgroup-try"]
    if os.geteuid() != 0:
        args.append("--unshare-user")
    args += ["--die-with-parent", "--new-session", "--clearenv", "--chdir", "/tmp"]
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


def _hidden_dirs() -> list[str]:
    """Home directories, where keys and tokens live; the sandbox sees empty ones."""
    found = {"/root", "/home", str(Path.home())}
    return sorted(p for p in found if os.path.isdir(p) and p != "/")


def _needed_paths(env: Mapping[str, str]) -> list[str]:
    """What programs need from inside hidden directories: Python, benchlab, toolchains."""
    paths = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        os.path.dirname(os.path.realpath(sys.executable)),
        str(SERVER.parent),
    }
    paths.update(p for p in sys.path if p and os.path.isdir(p))
    paths.update(env[k] for k in ("RUSTUP_HOME", "CARGO_HOME", "GOROOT", "JAVA_HOME") if k in env)
    paths.update(p for p in env.get("PATH", "").split(":") if p)
    real = {os.path.realpath(p) for p in paths if os.path.isdir(p)}
    kept = sorted(real | {p for p in paths if os.path.isdir(p)})
    # a path below another kept path is already visible
    return [p for p in kept if not any(p.startswith(q + "/") for q in kept if q != p)]


def home_plan(env: Mapping[str, str]) -> dict[str, list[str]]:
    """For the unshare backend as root: which home folders to empty, what to bind back.

    The same view bubblewrap gives (see `_bwrap_args`), made by the fork server
    itself in its mount namespace (see _server._private_home), so that a
    program dropped to a uid of its own reaches its interpreter and toolchains
    while every other file in a home directory stays out of sight.
    """
    hidden = _hidden_dirs()
    expose = [
        path
        for path in _needed_paths(env)
        if any(path == h or path.startswith(h + "/") for h in hidden)
    ]
    return {"hide": hidden, "expose": expose}


def mount_namespace() -> int | None:
    """This process's mount namespace (an inode number), to tell the sandbox's apart from it."""
    try:
        return os.stat("/proc/self/ns/mnt").st_ino
    except OSError:
        return None
