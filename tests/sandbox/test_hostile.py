"""Hostile programs fail their own execution and nothing else, under every backend here.

Each test runs a hostile program next to a benign one on the same executor
and checks three things: the hostile one did not get what it wanted, the
benign one (and the next one) still passed, and nothing it started is left
running on the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchlab.sandbox import ExecResult, Job, Limits, LocalExecutor, SandboxError
from benchlab.sandbox.isolation import BACKENDS
from support.sandboxes import started_executor

QUICK = Limits(timeout=2, memory=256 << 20)
BENIGN = Job.python("print(sum(range(10)))", limits=QUICK)


@pytest.fixture(scope="module", params=BACKENDS)
def ex(request: pytest.FixtureRequest) -> Iterator[LocalExecutor]:
    executor = started_executor(request.param)
    with executor:
        yield executor


def run_with_benign(ex: LocalExecutor, code: str, limits: Limits = QUICK) -> ExecResult:
    hostile, benign, after = ex.run_many([Job.python(code, limits=limits), BENIGN, BENIGN])
    assert benign.outcome == "passed" and benign.stdout == "45\n"
    assert after.outcome == "passed" and after.stdout == "45\n"
    return hostile


@contextmanager
def accepting(*servers: socket.socket) -> Iterator[list[object]]:
    """The connections `servers` accept while the block runs a program, and once more after
    it: a connection the program made is still queued in a server's backlog then."""
    accepted: list[object] = []
    program_done = threading.Event()
    for server in servers:
        server.settimeout(0.2)

    def accept() -> None:
        last_round = False
        while not last_round:
            last_round = program_done.is_set()
            for server in servers:
                try:
                    accepted.append(server.accept())
                except TimeoutError:
                    continue

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        yield accepted
    finally:
        program_done.set()
        thread.join()


def processes_with(marker: str) -> list[str]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in cmdline:
                found.append(entry)
    return found


def test_fork_bomb(ex: LocalExecutor) -> None:
    iso = ex.isolation
    if os.geteuid() == 0 and iso.uid is None:
        pytest.skip("root without a uid of its own: RLIMIT_NPROC does not bind (doctor warns)")
    code = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    result = run_with_benign(ex, code)
    assert result.outcome in ("timeout", "runtime_error")


def test_memory_bomb(ex: LocalExecutor) -> None:
    code = "chunks = []\nwhile True:\n    chunks.append(bytearray(16 << 20))"
    assert run_with_benign(ex, code).outcome == "memory_limit"


def test_infinite_loop(ex: LocalExecutor) -> None:
    result = run_with_benign(ex, "while True:\n    pass", Limits(timeout=1))
    assert result.outcome == "timeout"
    assert result.duration_ms < 3000


def test_no_orphan_survives_its_execution(ex: LocalExecutor) -> None:
    marker = f"{uuid.uuid4().int % 10**6}.{uuid.uuid4().int % 10**6}"
    code = (
        "import subprocess\n"
        f"subprocess.Popen(['sleep', '{marker}'])\n"
        f"subprocess.Popen(['sleep', '{marker}'], start_new_session=True)\n"
        "while True:\n    pass"
    )
    assert run_with_benign(ex, code, Limits(timeout=1)).outcome == "timeout"
    assert processes_with(marker) == []
    quiet = f"import subprocess\nsubprocess.Popen(['sleep', '{marker}'], start_new_session=True)"
    assert run_with_benign(ex, quiet).outcome == "passed"  # exited, left a child behind
    assert processes_with(marker) == []


def test_writing_outside_its_folder(ex: LocalExecutor, tmp_path: Path) -> None:
    if ex.isolation.landlock == 0 and ex.isolation.backend != "bwrap":
        pytest.skip("without Landlock or bubblewrap the fallback cannot confine writes")
    target = tmp_path / "escaped.txt"
    tmp_path.chmod(0o777)  # even a world-writable folder is out of reach
    code = (
        "import os\n"
        "ok = []\n"
        f"for path in [{str(target)!r}, '../escaped.txt', '/tmp/escaped-{uuid.uuid4().hex}']:\n"
        "    try:\n"
        "        open(path, 'w').write('x')\n"
        "        ok.append(path)\n"
        "    except OSError:\n"
        "        pass\n"
        "assert not ok, ok\n"
        "open('inside.txt', 'w').write('fine')\n"
    )
    assert run_with_benign(ex, code).outcome == "passed"
    assert not target.exists()


def test_opening_a_socket(ex: LocalExecutor) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    code = f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1)"
    with server, accepting(server) as accepted:
        result = run_with_benign(ex, code)
    assert result.outcome == "runtime_error"
    assert accepted == []


def test_reading_the_parents_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = f"sk-{uuid.uuid4().hex}"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    code = (
        "import os\n"
        "seen = [repr(dict(os.environ))]\n"
        "for pid in [p for p in os.listdir('/proc') if p.isdigit()] + ['self']:\n"
        "    for name in ('environ', 'cmdline'):\n"
        "        try:\n"
        "            seen.append(open(f'/proc/{pid}/{name}', 'rb').read().decode('latin-1'))\n"
        "        except OSError:\n"
        "            pass\n"
        "print('\\n'.join(seen))\n"
    )
    for backend in BACKENDS:
        with started_executor(backend) as executor:
            result = run_with_benign(executor, code, Limits(timeout=5, output=1 << 22))
        assert result.outcome == "passed"
        assert secret not in result.stdout, backend


def test_killing_its_parent(ex: LocalExecutor) -> None:
    for code in (
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
        "import os, signal\nos.kill(-1, signal.SIGKILL)",
        "import os, signal\nos.killpg(os.getpgid(os.getppid()), signal.SIGKILL)",
    ):
        result = run_with_benign(ex, code)
        assert result.outcome in ("passed", "runtime_error")


def test_a_program_that_kills_its_worker_fails_alone() -> None:
    """The weakest fallback lets a program kill its fork server; the slot starts a new one."""
    with LocalExecutor(workers=1, isolation="none", landlock=False) as executor:
        if os.geteuid() == 0 and executor.isolation.uid is not None:
            pytest.skip("the program runs under its own uid and cannot signal the server")
        killer = Job.python("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
        results = executor.run_many([killer, BENIGN, killer, BENIGN])
        assert [r.outcome for r in results] == ["runtime_error", "passed"] * 2
        assert "killed its sandbox worker" in results[0].stderr
        assert executor.restarts == 2


def test_weakest_fallback_blocks_every_socket_in_the_kernel() -> None:
    """No namespace, no Landlock: seccomp still refuses socket(), whichever way it is called."""
    with LocalExecutor(workers=1, isolation="none", landlock=False) as executor:
        assert "all-sockets" in executor.isolation.seccomp
        code = (
            "import _socket, ctypes, socket\n"
            "for make in (socket.socket, lambda: _socket.socket(2, 2)):\n"
            "    try:\n"
            "        make()\n"
            "    except PermissionError:\n"
            "        print('no')\n"
            "print(ctypes.CDLL(None).socket(2, 1, 0))\n"
        )
        result = executor.run_many([Job.python(code)])[0]
    assert result.stdout == "no\nno\n-1\n", result.stderr


@pytest.fixture
def outside() -> Iterator[Path]:
    """A folder every backend shows the program (bwrap hides /tmp and the home folders)."""
    folder = Path(tempfile.mkdtemp(prefix="benchlab-outside-", dir="/var/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_unix_sockets_outside_its_folder(ex: LocalExecutor, outside: Path) -> None:
    """A listening path socket (world-writable) and an abstract one: neither accepts the program."""
    path = outside / "service.sock"
    abstract = f"\0benchlab-test-{uuid.uuid4().hex}"
    servers = []
    for address in (str(path), abstract):
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(address)
        server.listen()
        servers.append(server)
    path.chmod(0o777)
    code = (
        "import socket\n"
        "reached = []\n"
        f"for address in ({str(path)!r}, {abstract!r}):\n"
        "    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):\n"
        "        try:\n"
        "            s = socket.socket(socket.AF_UNIX, kind)\n"
        "            s.connect(address)\n"
        "            reached.append(address)\n"
        "        except OSError as exc:\n"
        "            print(address[:8], exc)\n"
        "    try:\n"
        "        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
        "        a.connect(address)\n"
        "        reached.append(address)\n"
        "    except OSError:\n"
        "        pass\n"
        "a, b = socket.socketpair()\n"  # a connected pair is harmless, and asyncio needs one
        "a.send(b'x')\n"
        "assert b.recv(1) == b'x'\n"
        "assert not reached, reached\n"
    )
    try:
        with accepting(*servers) as accepted:
            result = run_with_benign(ex, code)
    finally:
        for server in servers:
            server.close()
    assert result.outcome == "passed", result.stderr
    assert accepted == []


def test_programs_never_run_as_root(ex: LocalExecutor, outside: Path) -> None:
    """As root, under every backend: a uid of its own, no root-only file, no other job's folder."""
    if os.geteuid() != 0:
        pytest.skip("only root can give programs a uid of their own")
    secret = outside / "secret.txt"
    secret.write_text("root only")
    secret.chmod(0o600)
    holder = "import time\nopen('mine.txt', 'w').write('job a')\ntime.sleep(5)\n"
    prober = (
        "import glob, os, time\n"
        "assert os.getuid() != 0 and os.geteuid() != 0, os.getuid()\n"
        "me = os.path.realpath(os.getcwd())\n"
        "others = []\n"
        "deadline = time.time() + 5\n"
        "while not others and time.time() < deadline:\n"
        "    root = os.path.dirname(os.path.dirname(me))\n"
        "    others = [p for p in glob.glob(root + '/*/w*') if os.path.realpath(p) != me]\n"
        "    time.sleep(0.05)\n"
        "got = []\n"
        f"for path in [{str(secret)!r}, '/etc/shadow', *[p + '/mine.txt' for p in others]]:\n"
        "    try:\n"
        "        got.append(open(path).read())\n"
        "    except OSError:\n"
        "        pass\n"
        "for folder in others:\n"
        "    try:\n"
        "        got.append(os.listdir(folder))\n"
        "    except OSError:\n"
        "        pass\n"
        "assert not got, got\n"
        "print(len(others))\n"
    )
    limits = Limits(timeout=10)
    first, second = ex.run_many(
        [Job.python(holder, limits=limits), Job.python(prober, limits=limits)]
    )
    assert first.outcome == "passed", first.stderr
    assert second.outcome == "passed", second.stderr
    assert ex.isolation.uid is not None
    if ex.isolation.backend != "bwrap":  # bwrap gives each worker a /tmp of its own
        assert second.stdout.strip() == "1"  # it saw the other job's folder, and no more


def test_a_python_kept_in_a_private_folder_still_runs_under_its_own_uid(ex: LocalExecutor) -> None:
    """Imports from the standard library and site-packages work after the uid is dropped."""
    code = "import os, json, csv, sqlite3, xml.dom.minidom, email.mime.text\nprint(os.getuid())"
    result = run_with_benign(ex, code)
    assert result.outcome == "passed", result.stderr
    assert (result.stdout.strip() != "0") == (os.geteuid() == 0)


def _public(path: str) -> bool:
    current = Path(os.path.realpath(path))
    return all(folder.stat().st_mode & 0o001 for folder in (current, *current.parents))


def test_a_command_its_uid_cannot_reach_is_the_sandboxs_error_not_a_failure() -> None:
    """Under `none` as root, a toolchain in a private folder cannot be shown to the program's uid:
    that is an infrastructure error (no verdict), never a failed test."""
    if os.geteuid() != 0:
        pytest.skip("only root gives programs a uid of their own")
    with LocalExecutor(workers=1, isolation="none") as executor:
        job = Job.command("sh", "-c", f"{sys.executable} -c 'print(6 * 7)'", limits=QUICK)
        if _public(os.path.dirname(os.path.realpath(sys.executable))):
            assert executor.run_many([job])[0].stdout == "42\n"
        else:
            with pytest.raises(SandboxError, match="cannot enter"):
                executor.run_many([job])


def test_without_seccomp_or_landlock_python_sockets_are_still_blocked() -> None:
    with LocalExecutor(workers=1, isolation="none", landlock=False, seccomp=False) as executor:
        assert executor.isolation.python_socket_block and not executor.isolation.seccomp
        code = "import socket\ntry:\n    socket.socket()\nexcept PermissionError:\n    print('no')"
        result = executor.run_many([Job.python(code)])[0]
    assert result.stdout == "no\n"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_program_running_on_after_its_verdict_is_gone_before_the_next_job(backend: str) -> None:
    """A checked job's reply leaves before its program is stopped (see _server._settles); a
    program that keeps computing, writing and forking after its last answer is still stopped,
    with all it started, before the next job of its server runs (one slot: the same server)."""
    marker = f"{uuid.uuid4().int % 10**6}.{uuid.uuid4().int % 10**6}"
    code = (
        "import os, subprocess, threading\n"
        "print('PID', os.getpid(), flush=True)\n"
        f"subprocess.Popen(['sleep', '{marker}'], start_new_session=True)\n"
        f"subprocess.Popen(['sleep', '{marker}'])\n"
        "def spin():\n"
        "    while True:\n"
        "        os.write(1, b'x' * 4096)\n"
        "threading.Thread(target=spin, daemon=True).start()\n"
        "def f():\n"
        "    return 1\n"
    )
    probe = (
        "import os\n"
        "def left(pid):\n"
        "    found = [str(pid)] if os.path.exists(f'/proc/{pid}') else []\n"
        "    for entry in os.listdir('/proc'):\n"
        "        try:\n"
        "            with open(f'/proc/{entry}/cmdline', 'rb') as fh:\n"
        f"                if b'{marker}' in fh.read():\n"
        "                    found.append(entry)\n"
        "        except OSError:\n"
        "            pass\n"
        "    return found\n"
    )
    limits = Limits(timeout=10, output=1 << 16)
    executor = started_executor(backend)  # skips where the backend cannot run
    executor.close()
    with LocalExecutor(workers=1, in_flight=1, isolation=backend) as one:
        hostile = one.submit(Job.python(code, check="assert f() == 1\n", limits=limits)).result()
        assert hostile.outcome == "passed", hostile.stderr
        assert hostile.stdout_bytes > 0 and hostile.stdout.startswith("PID ")
        pid = int(hostile.stdout.split()[1])
        check = f"assert left({pid}) == [], left({pid})\n"
        after = one.submit(Job.python(probe, check=check, limits=QUICK)).result()
        assert after.outcome == "passed", after.stderr
    assert processes_with(marker) == []
