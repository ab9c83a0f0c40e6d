"""What to execute (`Job`, `Limits`) and how it went (`ExecResult`): plain data.

Plain frozen dataclasses that serialise to JSON, because a job crosses a
pipe to the fork server and may cross a network to a Ray worker; nothing in
them refers to the executor that runs them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Outcome = Literal["passed", "failed", "syntax_error", "runtime_error", "timeout", "memory_limit"]
OUTCOMES: tuple[Outcome, ...] = (
    "passed",
    "failed",
    "syntax_error",
    "runtime_error",
    "timeout",
    "memory_limit",
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-execution limits. `cpu` defaults to the wall-clock timeout, rounded up.

    `memory` bounds the data segment (heap and anonymous mappings) of every
    program and, for Python, the address space too; JIT runtimes such as
    node reserve far more address space than they use, so an address-space
    limit would kill them at start (`address_space=True` forces it anyway).
    `processes` counts processes and threads.
    """

    timeout: float = 10.0
    cpu: float | None = None
    memory: int | None = 1 << 30
    processes: int = 64
    output: int = 64 << 10
    file_size: int = 64 << 20
    open_files: int = 256
    address_space: bool = False

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if self.processes < 1 or self.output < 0 or self.file_size < 0 or self.open_files < 8:
            raise ValueError("limits must be positive (open_files at least 8)")

    def wire(self) -> dict[str, Any]:
        return dict(_limits_wire(self))


@functools.lru_cache(maxsize=256)
def _limits_wire(limits: Limits) -> dict[str, Any]:
    """As the server reads them; cached (asdict is slow, and a suite's jobs share their limits)."""
    cpu = limits.cpu if limits.cpu is not None else limits.timeout
    return {**asdict(limits), "cpu": max(1, math.ceil(cpu))}


@dataclass(frozen=True, slots=True)
class Step:
    """One command of an `exec` job; a failing `compile` step is a syntax error."""

    argv: tuple[str, ...]
    compile: bool = False


@dataclass(frozen=True, slots=True)
class Job:
    """One untrusted program: Python source (warm, forked) or commands (exec'd)."""

    code: str | None = None
    check: str | None = None
    steps: tuple[Step, ...] = ()
    stdin: str | None = None
    files: Mapping[str, str] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if (self.code is None) == (not self.steps):
            raise ValueError("a job is either Python `code` or command `steps`, not both")

    @classmethod
    def python(cls, code: str, check: str | None = None, **kwargs: Any) -> Job:
        """Load `code`, then run the tests in `check` against it; see `benchlab.sandbox`.

        The tests run in a checker process of their own, where every global
        name of the program (`candidate`, `Solution`, helpers of the prompt)
        is a proxy to the program's process; they pass only by running to
        their end. Without `check`, `code` runs as a script (`__main__`).
        """
        return cls(code=code, check=check, **kwargs)

    @classmethod
    def command(cls, *argv: str, compile: tuple[str, ...] | None = None, **kwargs: Any) -> Job:
        steps = (Step(tuple(compile), compile=True),) if compile else ()
        return cls(steps=(*steps, Step(tuple(argv))), **kwargs)

    def wire(self, job_id: int, env: Mapping[str, str]) -> dict[str, Any]:
        """The request frame the fork server reads; `env` is the scrubbed base environment.

        The tests are not in it: they follow in a frame of their own
        (`check_frame`) that only the checker process reads.
        """
        return {
            "id": job_id,
            "kind": "python" if self.code is not None else "exec",
            "code": self.code,
            "check": self.check is not None and self.code is not None,
            "steps": [{"argv": list(s.argv), "compile": s.compile} for s in self.steps],
            "stdin": self.stdin,
            "files": dict(self.files),
            "env": {**env, **self.env},
            "limits": self.limits.wire(),
        }

    def check_frame(self) -> dict[str, Any] | None:
        """The second frame of a job with tests (see `wire`), None without tests."""
        return {"check": self.check} if self.check is not None and self.code is not None else None


@dataclass(frozen=True, slots=True)
class ExecResult:
    """How one execution ended, with capped output and the isolation it really had."""

    outcome: Outcome
    exit_code: int | None
    duration_ms: float
    stdout: str = ""
    stderr: str = ""
    isolation: str = ""
    signal: int | None = None
    cpu_ms: float | None = None
    # None when unknown: a job with tests answered before its program was stopped (see
    # _server._settles) has its peak read from /proc, gone if the program had begun to exit.
    max_rss_kb: int | None = None
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    @property
    def truncated(self) -> bool:
        return self.stdout_bytes > len(self.stdout.encode()) or self.stderr_bytes > len(
            self.stderr.encode()
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_wire(cls, frame: Mapping[str, Any], isolation: str) -> ExecResult:
        return cls(
            outcome=frame["outcome"],
            exit_code=frame.get("exit_code"),
            duration_ms=float(frame.get("duration_ms") or 0.0),
            stdout=frame.get("stdout", ""),
            stderr=frame.get("stderr", ""),
            isolation=isolation,
            signal=frame.get("signal"),
            cpu_ms=frame.get("cpu_ms"),
            max_rss_kb=frame.get("max_rss_kb"),
            stdout_bytes=int(frame.get("stdout_bytes", 0)),
            stderr_bytes=int(frame.get("stderr_bytes", 0)),
            detail=str(frame.get("detail", "")),
        )
