"""Running untrusted programs: isolated, limited, killed on time, fast.

`LocalExecutor` keeps one warm fork server per core inside the strongest
isolation this machine allows (bubblewrap, unshare, or a plain process) and
forks a confined child per program; `Job` says what to run, `ExecResult`
how it ended and under which isolation. See isolation.py for the layers.
"""

from benchlab.sandbox.isolation import Isolation, scrubbed_env
from benchlab.sandbox.job import OUTCOMES, ExecResult, Job, Limits, Outcome, Step
from benchlab.sandbox.pool import DEFAULT_PRELOAD, LocalExecutor, SandboxError

__all__ = [
    "DEFAULT_PRELOAD",
    "OUTCOMES",
    "ExecResult",
    "Isolation",
    "Job",
    "Limits",
    "LocalExecutor",
    "Outcome",
    "SandboxError",
    "Step",
    "scrubbed_env",
]
