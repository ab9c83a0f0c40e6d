"""Landlock through ctypes: confine a process's writes, TCP and signals, unprivileged.

Landlock is the one kernel isolation that a process can apply to itself after
fork, without root and in microseconds, so the fork server applies it in every
child just before the untrusted code runs: writes only beneath the child's own
directory, no TCP bind/connect (ABI 4+), and no signals or abstract-socket
connections to processes outside the child's domain (ABI 6+), which is what
keeps a program from killing the worker that runs it.

This module imports only the standard library, because the fork server
(which runs inside the sandbox with `python -I`) imports it by path.
"""

from __future__ import annotations

import ctypes
import os
import platform

# x86_64 and aarch64 share the generic syscall numbers for Landlock.
_SYS_CREATE_RULESET = 444
_SYS_ADD_RULE = 445
_SYS_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# Filesystem access rights that change something; reading and executing stay allowed
# everywhere, because a program needs its interpreter, libraries and toolchain.
_WRITE_FILE = 1 << 1
_REMOVE_DIR = 1 << 4
_REMOVE_FILE = 1 << 5
_MAKE_CHAR = 1 << 6
_MAKE_DIR = 1 << 7
_MAKE_REG = 1 << 8
_MAKE_SOCK = 1 << 9
_MAKE_FIFO = 1 << 10
_MAKE_BLOCK = 1 << 11
_MAKE_SYM = 1 << 12
_REFER = 1 << 13  # ABI 2
_TRUNCATE = 1 << 14  # ABI 3
_ABI1_WRITES = (
    _WRITE_FILE
    | _REMOVE_DIR
    | _REMOVE_FILE
    | _MAKE_CHAR
    | _MAKE_DIR
    | _MAKE_REG
    | _MAKE_SOCK
    | _MAKE_FIFO
    | _MAKE_BLOCK
    | _MAKE_SYM
)
_NET_BIND_TCP = 1 << 0  # ABI 4
_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = (
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    )


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


_libc: ctypes.CDLL | None = None


def _syscall() -> ctypes.CDLL | None:
    global _libc
    if _libc is None and platform.system() == "Linux":
        try:
            _libc = ctypes.CDLL(None, use_errno=True)
        except OSError:
            return None
        _libc.prctl, _libc.syscall  # noqa: B018 (resolve now: children must not pay for dlsym)
    return _libc


def abi_version() -> int:
    """The kernel's Landlock ABI (0 when Landlock is missing, disabled or not Linux)."""
    if platform.machine() not in ("x86_64", "aarch64", "AMD64"):
        return 0
    libc = _syscall()
    if libc is None:
        return 0
    version = int(libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), 1))
    return max(version, 0)


def features(abi: int) -> list[str]:
    """What a ruleset at this ABI confines, as names for `doctor` and execution records."""
    if abi <= 0:
        return []
    names = ["fs-write"]
    if abi >= 4:
        names.append("tcp")
    if abi >= 6:
        names.append("signals")
    return names


def ruleset(writable: list[str], abi: int) -> int:
    """A Landlock ruleset fd allowing writes only beneath `writable` (dirs, or files like
    /dev/null), TCP nowhere (ABI 4+), signals to nobody outside (ABI 6+).

    Built by the fork server before it forks, where the work is cheap; the
    child only calls `enforce`, because every page a freshly forked Python
    touches is a copy-on-write fault.
    """
    libc = _syscall()
    if libc is None or abi <= 0:
        raise OSError("Landlock is not available")
    handled = _ABI1_WRITES
    if abi >= 2:
        handled |= _REFER
    if abi >= 3:
        handled |= _TRUNCATE
    attr = _RulesetAttr(
        handled_access_fs=handled,
        handled_access_net=(_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0,
        scoped=(_SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL) if abi >= 6 else 0,
    )
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    fd = int(libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0))
    if fd < 0:
        raise _errno_error("landlock_create_ruleset")
    try:
        for path in writable:
            _allow(libc, fd, path, handled)
    except BaseException:
        os.close(fd)
        raise
    return fd


def enforce(fd: int) -> None:
    """Confine the calling process (and its future children) to a ruleset, for good.

    Raises OSError when the kernel refuses; callers treat that as fatal,
    because a child that silently ran unconfined would misreport its isolation.
    """
    libc = _syscall()
    assert libc is not None
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise _errno_error("prctl(NO_NEW_PRIVS)")
    if libc.syscall(_SYS_RESTRICT_SELF, fd, 0) != 0:
        raise _errno_error("landlock_restrict_self")


def restrict_self(writable: list[str], abi: int) -> None:
    """`ruleset` then `enforce`, for a process that is not in a hurry."""
    fd = ruleset(writable, abi)
    try:
        enforce(fd)
    finally:
        os.close(fd)


def _allow(libc: ctypes.CDLL, ruleset: int, path: str, handled: int) -> None:
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        access = handled if os.path.isdir(path) else (handled & (_WRITE_FILE | _TRUNCATE))
        rule = _PathBeneath(allowed_access=access, parent_fd=fd)
        if libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            raise _errno_error(f"landlock_add_rule({path})")
    finally:
        os.close(fd)


def _errno_error(what: str) -> OSError:
    err = ctypes.get_errno()
    return OSError(err, f"{what}: {os.strerror(err)}")
