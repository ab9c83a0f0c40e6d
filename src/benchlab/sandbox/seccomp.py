"""A seccomp filter, written by hand: no Unix sockets (and, off the network, no sockets at all).

Neither a network namespace nor Landlock's TCP rules stop a program from
connecting to a Unix socket by its path (a Docker or D-Bus socket, another
job's server): the filesystem is shared, and connecting is not a write
Landlock (up to ABI 7) can refuse. Abstract sockets are scoped by Landlock ABI
6 only. So every program gets this filter, whatever the isolation level:

- `socket(AF_UNIX, ...)` fails with EACCES: no path or abstract connection,
  inside the job's folder or out (nothing a benchmark needs);
- `socketpair(AF_UNIX, SOCK_STREAM or SOCK_SEQPACKET)` stays allowed
  (asyncio's self-pipe, multiprocessing's duplex pipes, Rust's process
  spawning): such a pair is born connected to itself and cannot be pointed
  anywhere else; datagram pairs, which can be, are refused;
- where the worker has no network namespace, every `socket()` fails, which
  also closes UDP (Landlock only covers TCP);
- io_uring (which can open and connect sockets without these syscalls) and
  foreign syscall ABIs (i386 `socketcall`, x32) are refused.

Classic BPF built with ctypes from the standard library only: the fork
server imports this by path and every child installs it in microseconds.
"""

from __future__ import annotations

import ctypes
import errno
import platform

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_KILL_PROCESS = 0x80000000
_RET_DENY = 0x00050000 | errno.EACCES  # SECCOMP_RET_ERRNO
_AF_UNIX = 1
_SOCK_DGRAM = 2
_SOCK_TYPE_MASK = 0xF
_X32_BIT = 0x40000000

# (audit arch, socket, socketpair, io_uring_setup, whether x32 numbers exist)
_ARCHES = {
    "x86_64": (0xC000003E, 41, 53, 425, True),
    "AMD64": (0xC000003E, 41, 53, 425, True),
    "aarch64": (0xC00000B7, 198, 199, 425, False),
}

# struct seccomp_data: int nr; u32 arch; u64 ip; u64 args[6] (little-endian: low word first)
_NR, _ARCH, _ARG0, _ARG1 = 0, 4, 16, 24
_LD_ABS, _JEQ, _JGE, _AND, _RET = 0x20, 0x15, 0x35, 0x54, 0x06


class _Filter(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint32),
    )


class _Program(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter)))


def supported() -> bool:
    return platform.system() == "Linux" and platform.machine() in _ARCHES


def program(no_network: bool) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions; jumps count the instructions skipped."""
    arch, socket, pair, uring, x32 = _ARCHES[platform.machine()]
    code: list[tuple[int, int, int, int]] = [
        (_LD_ABS, 0, 0, _ARCH),
        (_JEQ, 1, 0, arch),
        (_RET, 0, 0, _RET_KILL_PROCESS),  # another ABI's syscall numbers mean other things
        (_LD_ABS, 0, 0, _NR),
    ]
    if x32:
        code += [(_JGE, 0, 1, _X32_BIT), (_RET, 0, 0, _RET_KILL_PROCESS)]
    code += [
        (_JEQ, 0, 1, uring),
        (_RET, 0, 0, _RET_DENY),
        (_JEQ, 2, 0, socket),
        (_JEQ, 5, 0, pair),
        (_RET, 0, 0, _RET_ALLOW),
        # socket(domain, ...)
        (_LD_ABS, 0, 0, _ARG0),
        (_JEQ, 0, 1, _AF_UNIX) if not no_network else (_JEQ, 0, 0, _AF_UNIX),
        (_RET, 0, 0, _RET_DENY),
        (_RET, 0, 0, _RET_ALLOW),
        # socketpair(domain, type, ...): no Unix datagram pair
        (_LD_ABS, 0, 0, _ARG0),
        (_JEQ, 1, 0, _AF_UNIX),
        (_RET, 0, 0, _RET_ALLOW),  # other families have no pairs; the kernel says so
        (_LD_ABS, 0, 0, _ARG1),
        (_AND, 0, 0, _SOCK_TYPE_MASK),
        (_JEQ, 0, 1, _SOCK_DGRAM),
        (_RET, 0, 0, _RET_DENY),
        (_RET, 0, 0, _RET_ALLOW),
    ]
    return code


class Installer:
    """A filter built once (in the fork server) and installed by each child with two prctls."""

    def __init__(self, no_network: bool) -> None:
        code = program(no_network)
        self._filters = (_Filter * len(code))(*(_Filter(*ins) for ins in code))
        self._program = _Program(len(code), self._filters)
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._libc.prctl  # noqa: B018 (resolve now: children must not pay for dlsym)

    def __call__(self) -> None:
        """Install the filter on this process and its future children, for good."""
        libc = self._libc
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise _error("prctl(NO_NEW_PRIVS)")
        if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(self._program), 0, 0):
            raise _error("prctl(SECCOMP_MODE_FILTER)")


def _error(what: str) -> OSError:
    err = ctypes.get_errno()
    return OSError(err, f"{what}: {errno.errorcode.get(err, err)}")


def features(no_network: bool) -> list[str]:
    """What the filter refuses, as names for `doctor` and execution records."""
    return ["unix-sockets", "all-sockets"] if no_network else ["unix-sockets"]
