"""Backends, launch commands, the scrubbed environment and Landlock, each checked for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchlab.sandbox import landlock
from benchlab.sandbox.isolation import Isolation, launch_command, scrubbed_env


def test_scrubbed_env_keeps_toolchain_variables_and_no_secret() -> None:
    env = scrubbed_env(
        {
            "PATH": "/bin",
            "LANG": "C.UTF-8",
            "OPENAI_API_KEY": "sk-1",
            "GITHUB_TOKEN": "t",
            "AWS_SECRET_ACCESS_KEY": "s",
            "HOME": "/root",
            "RUSTUP_TOOLCHAIN": "stable",
        }
    )
    assert env["PATH"] == "/bin" and env["RUSTUP_TOOLCHAIN"] == "stable"
    assert not {"OPENAI_API_KEY", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "HOME"} & set(env)
    assert scrubbed_env({})["PATH"]  # a default PATH when none is given


def test_launch_commands_per_backend() -> None:
    config = {"workroot": "/tmp/x"}
    bwrap = launch_command("bwrap", config, {"PATH": "/bin"})
    assert bwrap[0] == "bwrap" and "--unshare-net" in bwrap and "--clearenv" in bwrap
    assert bwrap[bwrap.index("--ro-bind") + 1 : bwrap.index("--ro-bind") + 3] == ["/", "/"]
    if os.path.isdir("/root"):
        assert "/root" in bwrap[bwrap.index("--tmpfs") :]  # home directories hidden
    unshare = launch_command("unshare", config, {})
    assert unshare[0] == "unshare" and "--net" in unshare and "--pid" in unshare
    assert launch_command("none", config, {})[1] == "-I"
    with pytest.raises(ValueError, match="docker"):
        launch_command("docker", config, {})


def test_isolation_label_says_what_ran() -> None:
    full = Isolation(
        backend="bwrap",
        namespaces=["net", "pid"],
        network_isolated=True,
        landlock=6,
        landlock_features=["fs-write", "tcp", "signals"],
        uid=1234,
    )
    assert full.label() == "bwrap[net,pid]+landlock6[fs-write,tcp,signals]+uid+rlimits"
    weakest = Isolation(backend="none", python_socket_block=True)
    assert weakest.label() == "process+rlimits+pysocket"
    assert weakest.as_dict()["separate_uid"] is False


@pytest.mark.skipif(landlock.abi_version() == 0, reason="this kernel has no Landlock")
def test_landlock_confines_a_process(tmp_path: Path) -> None:
    inside = tmp_path / "inside"
    inside.mkdir()
    outside = tmp_path / "outside.txt"
    script = (
        "import sys\n"
        "from benchlab.sandbox import landlock\n"
        "landlock.restrict_self([sys.argv[1]], landlock.abi_version())\n"
        "open(sys.argv[1] + '/ok.txt', 'w').write('x')\n"
        "try:\n"
        "    open(sys.argv[2], 'w').write('x')\n"
        "except PermissionError:\n"
        "    sys.exit(0)\n"
        "sys.exit(1)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(inside), str(outside)], timeout=30)
    assert done.returncode == 0
    assert (inside / "ok.txt").exists() and not outside.exists()


def test_landlock_features_by_abi() -> None:
    assert landlock.features(0) == []
    assert landlock.features(1) == ["fs-write"]
    assert landlock.features(4) == ["fs-write", "tcp"]
    assert landlock.features(7) == ["fs-write", "tcp", "signals"]


def test_what_each_level_defends_is_said_for_every_harm() -> None:
    strong = Isolation(
        backend="bwrap",
        namespaces=["net"],
        network_isolated=True,
        landlock=7,
        landlock_features=["fs-write", "tcp", "signals"],
        uid=1234,
        seccomp=["unix-sockets"],
    )
    assert strong.label() == (
        "bwrap[net]+landlock7[fs-write,tcp,signals]+seccomp[unix-sockets]+uid+rlimits"
    )
    said = strong.as_dict()["defends"]
    assert list(said) == ["network", "unix sockets", "filesystem", "uid", "limits"]
    assert "seccomp" in said["unix sockets"] and "own" in said["uid"]
    bare = Isolation(backend="none").as_dict()["defends"]
    assert bare["network"] == "no" and bare["unix sockets"] == "no"
    assert bare["uid"].startswith("no") and "does not bind root" in bare["limits"]


@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux unshare is missing")
def test_root_of_a_user_namespace_keeps_no_capability() -> None:
    """Unprivileged runs give programs no uid of their own: they lose every capability instead."""
    script = (
        "import ctypes, os, subprocess, sys\n"
        "from benchlab.sandbox import _child\n"
        "_child.drop_capabilities(ctypes.CDLL(None, use_errno=True))\n"
        "caps = {k: v.strip() for k, v in (l.split(':', 1) for l in open('/proc/self/status'))}\n"
        "grep = ['grep', 'CapEff', '/proc/self/status']\n"
        "after_exec = subprocess.run(grep, capture_output=True).stdout.decode().split()[1]\n"
        "print(os.geteuid(), caps['CapEff'], caps['CapBnd'], after_exec)\n"
    )
    assert _as_root_of_a_user_namespace(script).split() == ["0", "0" * 16, "0" * 16, "0" * 16]


@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux unshare is missing")
def test_a_bounding_set_emptied_by_the_server_leaves_its_children_none() -> None:
    """The server empties the bounding set once and keeps its own powers; its children then
    need only drop their own sets (see _child.drop_bounding_set), and end with none at all."""
    script = (
        "import ctypes, os, subprocess, sys\n"
        "from benchlab.sandbox import _child\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "def caps():\n"
        "    lines = open('/proc/self/status')\n"
        "    return {k: v.strip() for k, v in (l.split(':', 1) for l in lines)}\n"
        "assert _child.drop_bounding_set(libc)\n"
        "print(caps()['CapEff'], caps()['CapBnd'])\n"
        "sys.stdout.flush()\n"
        "if os.fork() == 0:\n"
        "    _child.drop_capabilities(libc, bounding=False)\n"
        "    grep = ['grep', 'CapEff', '/proc/self/status']\n"
        "    after_exec = subprocess.run(grep, capture_output=True).stdout.decode().split()[1]\n"
        "    print(caps()['CapEff'], caps()['CapBnd'], after_exec)\n"
        "    sys.stdout.flush()\n"
        "    os._exit(0)\n"
        "os.wait()\n"
    )
    server, child = _as_root_of_a_user_namespace(script).splitlines()
    effective, bounding = server.split()
    assert int(effective, 16) != 0 and int(bounding, 16) == 0  # its powers kept, none to hand on
    assert child.split() == ["0" * 16] * 3


def _as_root_of_a_user_namespace(script: str) -> str:
    """What `script` prints, run by Python as root of a new user namespace (as unprivileged
    benchlab runs its programs); skips the test where user namespaces are not allowed."""
    argv = ["unshare", "--user", "--map-root-user", sys.executable, "-c", script]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0 and "unshare failed" in done.stderr:
        pytest.skip(f"user namespaces are not allowed here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    return done.stdout
