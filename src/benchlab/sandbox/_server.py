"""The fork server: one warm Python inside the sandbox that forks a child per program.

Started once per worker slot (inside bubblewrap or unshare when they work),
it imports what programs commonly need, then serves requests read from
stdin as length-prefixed JSON frames, one at a time: make a fresh directory,
fork, confine the child (see _child.py), wait for it with a wall-clock
deadline while capping its output (saying, if the pool asked, when it is
only waiting: see _wait.IDLE_AFTER), kill whatever it left behind, remove the
directory, reply on stdout. Forking a warm interpreter costs about a
millisecond where starting one costs tens, which is the whole point. A
program under test whose checker gave a clean verdict (see _settles) is
stopped and its directory removed just after the reply instead of before it
(the kernel tearing down a forked copy of this server takes a millisecond),
but still before the next request is read.

It is a child subreaper, so processes that escape the program's process
group (setsid, double fork) are re-parented here and killed before the next
request: no orphan outlives its execution and no zombie is left.

Standard library only, run as `python -I _server.py CONFIG_JSON`.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import gc
import importlib
import json
import os
import re
import shutil
import signal
import socket
import stat
import sys
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchlab.sandbox import _checker, _child, _rpc, _wait, landlock, seccomp
else:  # run by path inside the sandbox, where benchlab itself need not be importable
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import _checker
    import _child
    import _rpc
    import _wait
    import landlock
    import seccomp

    del sys.path[0]  # programs must not import our modules by accident

_PR_SET_CHILD_SUBREAPER = 36
RULESET_FD = 10
REACH_FD = 20  # and up: see Server._reach
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_REMOUNT, _MS_BIND, _MS_REC = 1, 2, 4, 32, 4096, 16384
_MS_PRIVATE = 1 << 18
# A job ending so leaves the checker as it found it; any other end retires the checker.
_CLEAN = ("passed", "failed", "runtime_error")


read_frame, write_frame = _rpc.read_frame, _rpc.send  # the pool's wire, framed as the RPC's


class Server:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        if config.get("private_home"):
            _private_home(config["private_home"], config.get("host_mount_ns"))
        self.root = config["workroot"]
        self.uid: int | None = config.get("uid") if os.geteuid() == 0 else None
        self.landlock = landlock.abi_version() if config.get("landlock", True) else 0
        self.netns = _network_isolated()
        self.seccomp = _working_filter(not self.netns) if config.get("seccomp", True) else None
        self.block_sockets = not self.netns and self.landlock < 4 and self.seccomp is None
        self.count = 0
        self.unread_tests = False
        self.checker: tuple[socket.socket, int] | None = None  # see _checker.py
        self.later: list[Callable[[], None]] = []  # see _settle
        self.me = os.getpid()
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        os.makedirs(self.root, mode=0o755, exist_ok=True)
        self.ruleset = self._ruleset()
        for module in config.get("preload", []):
            with contextlib.suppress(ImportError):
                importlib.import_module(module)
        # Dispositions every child needs, set once here instead of in each child (exec keeps
        # them): SIGPIPE as a normal program has it, and an oversized write fails, not kills.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        self.reach = self._reach()
        self.ctx = {
            "libc": libc,
            "uid": self.uid,
            "enforce": landlock.enforce,
            "block_sockets": self.block_sockets,
            "seccomp": self.seccomp,
            "reach": self.reach,
            "base_vm": _vm_bytes(),
            "nproc_base": _processes_of(self.uid if self.uid is not None else os.getuid()),
            "vm_bytes": _vm_bytes,
        }
        if self.uid is None and os.geteuid() == 0:  # root of a user namespace: see _child.enter
            self.ctx["bounding_set_dropped"] = _child.drop_bounding_set(libc)
        gc.collect()
        gc.freeze()  # fewer copy-on-write faults in every forked child

    def isolation(self) -> dict[str, Any]:
        return {
            "backend": self.config.get("backend", "none"),
            "namespaces": self.config.get("namespaces", []),
            "network_isolated": self.netns,
            "landlock": self.landlock,
            "landlock_features": landlock.features(self.landlock),
            "uid": self.uid,
            "python_socket_block": self.block_sockets,
            "seccomp": [] if self.seccomp is None else seccomp.features(no_network=not self.netns),
            "reach": [path for _, path in self.reach],
            "pid": self.me,
        }

    def serve(self) -> None:
        write_frame(1, {"ready": True, "isolation": self.isolation()})
        while True:
            req = read_frame(0)
            if req is None:
                return
            # A job with tests is followed by a second frame holding them, which only the
            # checker reads (see _checker.py); until it has, our input is out of step.
            self.unread_tests = bool(req.get("check"))
            try:
                reply = self.handle(req)
            except Exception:  # our own failure (fork, disk): say so instead of dying silently
                self._sweep()
                reply = {"id": req.get("id"), "outcome": "server_error"}
                reply["stderr"] = traceback.format_exc(limit=4)
            write_frame(1, reply)
            self._settle()
            if self.unread_tests:
                return  # never read them ourselves: later programs are forked from us

    def _settle(self) -> None:
        """What a job left to do once its reply is out: stop its program, clear its folders.

        Run before the next request is even read, so nothing of a job
        (process, file) is left when the next one is forked; a failure here
        ends the server (the pool starts a fresh one) rather than risk it.
        """
        later, self.later = self.later, []
        for step in later:
            step()

    def handle(self, req: dict[str, Any]) -> dict[str, Any]:
        self.count += 1
        if self.uid is not None and self.config.get("backend") == "none" and req.get("steps"):
            hidden = _unreachable_commands(req["steps"], (req.get("env") or {}).get("PATH", ""))
            if hidden:  # the machine's fault, not the program's: never a failed test
                message = (
                    f"{', '.join(hidden)}: in a folder the program's uid cannot enter; without a "
                    "mount namespace (backend none) it cannot be shown to it: install the "
                    "toolchain in a public place, or use the unshare or bwrap backend\n"
                )
                return {"id": req.get("id"), "outcome": "setup_error", "stderr": message}
        # wN is the program's folder (cwd, HOME) and tN its TMPDIR, both fresh and the only
        # places it may write; apart, because some toolchains (go) refuse a project that
        # sits in the temp root.
        name = f"{self.me}-{self.count}"
        workdir, tmpdir = os.path.join(self.root, f"w{name}"), os.path.join(self.root, f"t{name}")
        try:
            self._prepare(workdir, tmpdir, req.get("files") or {})
            env = {k: v.replace("{workdir}", workdir) for k, v in (req.get("env") or {}).items()}
            env.setdefault("HOME", workdir)
            env.setdefault("TMPDIR", tmpdir)
            job = {**req, "workdir": workdir, "tmpdir": tmpdir, "env": env}
            steps = req.get("steps") or [{"argv": None}]
            job["last_step"] = steps[-1]
            deadline = time.monotonic() + float(req["limits"]["timeout"])
            result: dict[str, Any] = {}
            spent = 0.0
            for step in steps:
                result = self._run_one(job, step, deadline)
                spent += result["duration_ms"]
                result["duration_ms"] = round(spent, 3)  # the whole job: build and tests
                if result["outcome"] != "passed":
                    if step.get("compile") and result["outcome"] in ("failed", "runtime_error"):
                        result["outcome"] = "syntax_error"
                    break
            result["id"] = req.get("id")
            return result
        finally:
            self.later.append(lambda: self._clear(workdir, tmpdir))

    def _clear(self, workdir: str, tmpdir: str) -> None:
        _remove(workdir)
        _remove(tmpdir)
        for stray in os.listdir(self.root):  # written beside its folders (same-uid fallback)
            _remove(os.path.join(self.root, stray))

    def _prepare(self, workdir: str, tmpdir: str, files: dict[str, str]) -> None:
        os.mkdir(workdir, 0o700)
        os.mkdir(tmpdir, 0o700)
        for rel, text in files.items():
            path = os.path.normpath(os.path.join(workdir, rel))
            if not path.startswith(workdir + os.sep):
                raise ValueError(f"file outside the work directory: {rel!r}")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            if rel.endswith((".sh", ".bin")) or text.startswith("#!"):
                os.chmod(path, 0o755)
        if self.uid is not None:
            os.chown(tmpdir, self.uid, self.uid)
            os.chown(workdir, self.uid, self.uid)
            for dirpath, dirnames, filenames in os.walk(workdir) if files else ():
                for name in dirnames + filenames:
                    os.chown(os.path.join(dirpath, name), self.uid, self.uid, follow_symlinks=False)

    def _run_one(
        self, job: dict[str, Any], step: dict[str, Any], deadline: float
    ) -> dict[str, Any]:
        if not step.get("argv") and job.get("check"):
            return self._run_checked(job, step, deadline)
        stdin_fd = _stdin_fd(job.get("stdin"))
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        st_r, st_w = os.pipe()
        ruleset = self._job_ruleset(job)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                _child.enter(job, (stdin_fd, out_w, err_w, st_w, ruleset), self.ctx)
                if step.get("argv"):
                    _child.run_exec(step["argv"], job["env"])
                else:
                    _child.run_python(job["code"])
            except BaseException:  # the harness's own fault: say so where someone will read it
                os.write(2, f"sandbox harness failed: {traceback.format_exc()}".encode())
            finally:
                os._exit(_child.EXIT_SETUP)
        for fd in (stdin_fd, out_w, err_w, st_w):
            os.close(fd)
        if ruleset is not None and ruleset != self.ruleset:
            os.close(ruleset)
        waited = _wait.Waiter(
            pid, (out_r, err_r, st_r), self._cap(job), self._sweep, self._on_idle(job)
        )
        status, rusage, timed_out = waited.wait(deadline)
        duration = (time.monotonic() - started) * 1000.0
        self._sweep()  # after a timeout too; idempotent
        out, err, st = waited.buffers
        return _wait.verdict(
            status=status,
            rusage=rusage,
            timed_out=timed_out,
            reported=_child.said(bytes(st).decode(errors="replace")),
            stdout=bytes(out),
            stderr=bytes(err),
            totals=waited.totals,
            duration_ms=duration,
            kind="exec" if step.get("argv") else "python",
        )

    def _run_checked(
        self, job: dict[str, Any], step: dict[str, Any], deadline: float
    ) -> dict[str, Any]:
        """A program under test: forked here, judged by the checker (see _checker.py).

        The program gets the wire's far ends and a status pipe of its own; the
        checker gets the wire's near ends, the job's output pipes (what the
        tests print is the job's output too) and the verdict pipe, which only
        it ever holds. The verdict is the checker's; what the program said
        about itself only names the way it failed, once the wire broke.
        """
        checker = self._live_checker()
        stdin_fd = _stdin_fd(job.get("stdin"))
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        st_r, st_w = os.pipe()
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        verdict_r, verdict_w = os.pipe()
        ruleset = self._job_ruleset(job)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the program: never returns
            try:
                fds = (stdin_fd, out_w, err_w, st_w, ruleset)
                wire = {_rpc.REQUEST_FD: requests_r, _rpc.REPLY_FD: replies_w}
                _child.enter(job, fds, self.ctx, wire)
                _child.run_python(job["code"], serve=True)
            except BaseException:
                os.write(2, f"sandbox harness failed: {traceback.format_exc()}".encode())
            finally:
                os._exit(_child.EXIT_SETUP)
        for fd in (stdin_fd, st_w, requests_r, replies_w):
            os.close(fd)
        if ruleset is not None and ruleset != self.ruleset:
            os.close(ruleset)
        handed = (requests_w, replies_r, out_w, err_w, verdict_w)
        header = json.dumps({"id": job.get("id"), "memory": job["limits"].get("memory")})
        try:
            socket.send_fds(checker[0], [header.encode()], list(handed))
        except OSError:  # the checker died between jobs: the sandbox's fault, not the program's
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            raise
        finally:
            for fd in handed:  # the checker's now: the program's end of input is its close
                os.close(fd)
        waited = _wait.Waiter(
            pid,
            (out_r, err_r, st_r, verdict_r),
            self._cap(job),
            self._sweep,
            self._on_idle(job),
            verdict=3,
            roots=(checker[1],),
            settle=_settles if job.get("last_step") is step else None,
        )
        status, rusage, timed_out = waited.wait(deadline)
        duration = (time.monotonic() - started) * 1000.0
        if waited.settled:  # the reply goes first; the program is stopped right after it
            self.later.append(lambda: self._stop(pid))
        else:
            self._sweep()
        out, err, st, said = (bytes(b) for b in waited.buffers)
        words = said.decode(errors="replace")
        if words.startswith(_checker.READ_MARK):
            self.unread_tests = False
            words = words[len(_checker.READ_MARK) :]
        leaving = words.startswith(_checker.LEAVING_MARK)
        words = words[len(_checker.LEAVING_MARK) :] if leaving else words
        outcome, _, broken = words.partition(";")
        if 3 not in waited.ended or not outcome or broken or outcome not in _CLEAN or leaving:
            self._retire_checker()  # mid-job, in doubt or leaving: the next job gets a fresh one
        program = _child.said(st.decode(errors="replace"))
        program = program if program in _child.OUTCOMES_SAID else ""
        if 3 not in waited.ended or not outcome:
            outcome = "runtime_error"
            err += b"the checker ended without a verdict\n"
        elif broken and program:
            outcome = program  # the program said why it stopped answering: a failure of its own
        elif broken:
            err += f"{broken}\n".encode()
        if program == "setup_error":
            outcome = "setup_error"
        result = _wait.verdict(
            status=status,
            rusage=rusage,
            timed_out=timed_out,
            reported="",
            stdout=out,
            stderr=err,
            totals=waited.totals,
            duration_ms=duration,
            kind="python",
        )
        if waited.settled:
            result["cpu_ms"], result["max_rss_kb"] = waited.usage
        if result["outcome"] != "timeout":
            result["outcome"] = outcome
            result["exit_code"] = 0 if outcome == "passed" else 1
            result["signal"] = None
        return result

    def _stop(self, pid: int) -> None:
        """Stop a judged program still running (see _settles), and all it left behind."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.wait4(pid, 0)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)  # a member forked between the kill and the reap
        self._sweep()

    def _live_checker(self) -> tuple[socket.socket, int]:
        """The checker of this server (see _checker.py), forked now if it has none alive."""
        if self.checker is not None:
            try:
                done, _ = os.waitpid(self.checker[1], os.WNOHANG)
            except ChildProcessError:
                done = self.checker[1]
            if done:
                self.checker[0].close()
                self.checker = None
        if self.checker is None:
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            pid = os.fork()
            if pid == 0:
                try:
                    ours.close()
                    _checker.serve(theirs.detach(), self.ctx)
                except BaseException:
                    os.write(2, f"checker failed: {traceback.format_exc()}".encode())
                finally:
                    os._exit(_child.EXIT_SETUP)
            theirs.close()
            self.checker = (ours, pid)
        return self.checker

    def _retire_checker(self) -> None:
        if self.checker is None:
            return
        sock, pid = self.checker
        self.checker = None
        sock.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)

    def _job_ruleset(self, job: dict[str, Any]) -> int | None:
        _take_env(job["env"])  # the child inherits it, warm
        return self.ruleset if self.ruleset is not None else self._ruleset(job)

    @staticmethod
    def _cap(job: dict[str, Any]) -> int:
        return int(job["limits"]["output"])

    def _on_idle(self, job: dict[str, Any]) -> Callable[[], None] | None:
        if not job.get("notify_idle") or job.get("idle_said"):
            return None

        # Said once per job (a build step may have said it): the pool may then start another
        # job beside this one, which no longer keeps a core busy.
        def on_idle() -> None:
            job["idle_said"] = True
            write_frame(1, {"id": job.get("id"), "waiting": True})

        return on_idle

    def _reach(self) -> list[tuple[int, str]]:
        """Descriptors on the import folders a program's uid cannot pass through to (see
        _child._reach_private_paths), held open at fixed numbers; none when all are public."""
        if self.uid is None:
            return []
        out: list[tuple[int, str]] = []
        for path in dict.fromkeys(p for p in sys.path if p and os.path.isdir(p)):
            if _public(path):
                continue
            fd = os.open(path, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
            high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, REACH_FD + len(out))
            os.close(fd)
            out.append((high, path))
        return out

    def _ruleset(self, job: dict[str, Any] | None = None) -> int | None:
        """A Landlock ruleset: writes beneath the job's two folders, or (job None) the server's.

        With a uid of its own the program cannot write in the server's folder
        (root's, 0755) beside its own two, so one ruleset for the server's
        life is as tight as one per job and saves a dozen syscalls per job;
        without one, each job gets a ruleset naming exactly its folders.
        """
        if not self.landlock or (job is None and self.uid is None):
            return None
        paths = [self.root] if job is None else [job["workdir"], job["tmpdir"]]
        fd = landlock.ruleset([*paths, "/dev/null"], self.landlock)
        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, RULESET_FD)  # above what the child dup2s
        os.close(fd)
        return high

    def _sweep(self) -> None:
        """Kill and reap every process the program left behind (they re-parent to us).

        The checker, our one child meant to live on, is spared (and noted
        gone if it died).
        """
        spared = self.checker[1] if self.checker is not None else None
        for _ in range(1000):
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid:
                if pid == spared:
                    assert self.checker is not None
                    self.checker[0].close()
                    self.checker = None
                    spared = None
                continue
            left = [child for child in _children(self.me) if child != spared]
            if not left:
                return
            for child in left:
                for kill in (os.killpg, os.kill):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        kill(child, signal.SIGKILL)
            time.sleep(0.001)


def _settles(said: bytes) -> bool:
    """Whether a checker's verdict lets the reply go before the program is stopped.

    Only a verdict given with the wire whole (the program answered every
    question) and leaving the checker kept: then nothing the program does
    after it can change the reply, whose output is already in its pipes (it
    flushes before each answer, the checker before its verdict). Any other
    end waits for the program, as its own words on the status pipe may name
    why the wire broke.
    """
    words = said.decode(errors="replace")
    if not words.startswith(_checker.READ_MARK):
        return False
    words = words[len(_checker.READ_MARK) :]
    if words.startswith(_checker.LEAVING_MARK):  # retired before the reply: no matter here
        words = words[len(_checker.LEAVING_MARK) :]
    outcome, sep, broken = words.partition(";")
    return bool(sep) and not broken and outcome in _CLEAN


def _working_filter(no_network: bool) -> seccomp.Installer | None:
    """The seccomp filter if a child can install it here (a container may forbid it), else None.

    Tried in a throwaway child, because a filter that fails in every program's
    setup would turn every job into a sandbox error; without it the worker
    reports no seccomp and `doctor` says what that leaves open.
    """
    if not seccomp.supported():
        return None
    installer = seccomp.Installer(no_network=no_network)
    pid = os.fork()
    if pid == 0:
        try:
            installer()
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return installer if os.waitstatus_to_exitcode(status) == 0 else None


def _unreachable_commands(steps: list[dict[str, Any]], path: str) -> list[str]:
    """Commands of an exec job (shell words included) found only where other uids cannot go."""
    import shlex

    out: list[str] = []
    for step in steps:
        for arg in step.get("argv") or []:
            try:
                words = shlex.split(arg)
            except ValueError:
                words = arg.split()
            for word in words:
                if "/" in word:
                    found = word if os.path.isabs(word) and os.path.exists(word) else None
                else:
                    command = re.fullmatch(r"[\w.+-]+", word) is not None
                    found = shutil.which(word, path=path) if command else None
                folder = os.path.dirname(os.path.realpath(found)) if found else None
                if folder and not _public(folder) and word not in out:
                    out.append(word)
    return out


def _public(path: str) -> bool:
    """Whether any uid may pass through every folder down to `path` (and into it)."""
    current = os.path.realpath(path)
    while True:
        try:
            if not os.stat(current).st_mode & 0o001:
                return False
        except OSError:
            return False
        if current == "/":
            return True
        current = os.path.dirname(current)


def _private_home(plan: dict[str, list[str]], host_ns: int | None) -> None:
    """In our own mount namespace (unshare, as root): empty home folders, as bubblewrap makes.

    Each hidden folder (`/root`, `/home`) becomes an empty tmpfs, and what
    programs need from inside it (the Python, the venv, a toolchain) is bound
    back read-only at its own path, through folders any uid may cross: the
    program's own uid then reaches its interpreter, and nothing else there.
    Refused unless this process really has a mount namespace of its own,
    because the same mounts on the host would hide everyone's home.
    """
    if host_ns is None or os.stat("/proc/self/ns/mnt").st_ino == host_ns:
        raise RuntimeError("refusing to remount home folders outside a private mount namespace")
    libc = ctypes.CDLL(None, use_errno=True)

    def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str) -> None:
        args = [None if v is None else v.encode() for v in (source, target, fstype)]
        if libc.mount(args[0], args[1], args[2], ctypes.c_ulong(flags), data.encode()) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"mount {target}: {os.strerror(err)}")

    mount(None, "/", None, _MS_REC | _MS_PRIVATE, "")  # nothing we mount may reach the host
    sources = {path: os.open(path, os.O_PATH) for path in plan["expose"]}
    try:
        for folder in plan["hide"]:
            mount("tmpfs", folder, "tmpfs", _MS_NOSUID | _MS_NODEV, "mode=0755,size=1m")
        for path, fd in sources.items():
            os.makedirs(path, mode=0o755, exist_ok=True)
            mount(f"/proc/self/fd/{fd}", path, None, _MS_BIND | _MS_REC, "")
            mount(None, path, None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY, "")
    finally:
        for fd in sources.values():
            os.close(fd)


def _take_env(env: dict[str, str]) -> None:
    """Make os.environ `env`, changing only what differs (from job to job, HOME and TMPDIR).

    Every key set is a putenv and a write to pages a fork shares: a dozen
    of them per job, where two would do, cost the server and every child.
    """
    for key in [k for k in os.environ if k not in env]:
        del os.environ[key]
    for key, value in env.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


def _stdin_fd(data: str | None) -> int:
    if data is None:
        return os.open(os.devnull, os.O_RDONLY)
    fd = os.memfd_create("stdin")
    payload = memoryview(data.encode())
    while payload:
        payload = payload[os.write(fd, payload) :]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _children(me: int) -> list[int]:
    """Our live children, from the kernel's own list (a scan of /proc where it has none).

    The list is read under the kernel's task-list lock: a process re-parented
    to us (its parent died) is on it by the time that parent can be reaped.
    """
    try:
        with open(f"/proc/{me}/task/{me}/children", "rb") as fh:
            return [int(pid) for pid in fh.read().split()]
    except (OSError, ValueError):
        return _children_of(me)


def _children_of(parent: int) -> list[int]:
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(entry))
    return found


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


def _vm_bytes() -> int:
    fd = os.open("/proc/self/statm", os.O_RDONLY)
    try:
        return int(os.read(fd, 256).split()[0]) * os.sysconf("SC_PAGE_SIZE")
    finally:
        os.close(fd)


def _network_isolated() -> bool:
    """True when this process sees no network interface but loopback (a fresh netns)."""
    try:
        with open("/proc/self/net/dev") as fh:
            names = [line.split(":")[0].strip() for line in fh.readlines()[2:]]
    except OSError:
        return False
    return all(name == "lo" for name in names)


def _remove(path: str) -> None:
    def retry(func: Any, target: str, _exc: Any) -> None:
        try:
            os.chmod(os.path.dirname(target), stat.S_IRWXU)
            os.chmod(target, stat.S_IRWXU)
            func(target)
        except OSError:
            pass

    try:  # the usual case: the program left its folder empty
        os.rmdir(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            shutil.rmtree(path, onerror=retry)
    except OSError:
        shutil.rmtree(path, onerror=retry)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to benchlab, which closes us
    Server(json.loads(sys.argv[1])).serve()
