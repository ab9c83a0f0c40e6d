"""Whether the process running a run is still alive.

A run is `running` from the moment it is created until its process marks it
finished. A process killed with `kill -9`, a crash or a lost machine never
marks it, so each run records its owner (pid and host) and a heartbeat the
engine refreshes every `HEARTBEAT_SECONDS`. A `running` run reads as
`interrupted` (resumable, like any interrupted run) when its owner is gone:

- on this host, when no process has its pid any more;
- on any host, when its heartbeat is older than `STALE_AFTER` seconds (a
  pid reused by another program, a run on another machine, a hung process).

Runs recorded before owners were (heartbeat NULL) keep their stored status:
nothing says whether they are alive.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from typing import Any

HEARTBEAT_SECONDS = 15.0
STALE_AFTER = 8 * HEARTBEAT_SECONDS


def this_host() -> str:
    return socket.gethostname()


@dataclass(frozen=True)
class Owner:
    pid: int
    host: str
    heartbeat_at: float

    @classmethod
    def of(cls, row: Any) -> Owner | None:
        """The owner recorded on a `runs` row, if any."""
        pid, host, beat = row.get("owner_pid"), row.get("owner_host"), row.get("heartbeat_at")
        if pid is None or host is None or beat is None:
            return None
        return cls(int(pid), str(host), float(beat))

    def gone(self, now: float | None = None) -> bool:
        """True when the owner surely no longer runs the run (see the module doc)."""
        now = time.time() if now is None else now
        if now - self.heartbeat_at > STALE_AFTER:
            return True
        return self.host == this_host() and not pid_alive(self.pid)

    def describe(self, now: float | None = None) -> str:
        now = time.time() if now is None else now
        return f"pid {self.pid} on {self.host}, last heartbeat {now - self.heartbeat_at:.0f} s ago"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True
