"""Another process holding a suite file's lock (samples/suite_lock.py), for as long as a test
needs it: what a second server or a `samples build` in the middle of a write looks like."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import benchlab

SRC = str(Path(benchlab.__file__).parent.parent)
HOLDER = """
import sys
from pathlib import Path
from benchlab.samples.suite_lock import locked
with locked(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes the pipe
"""


@contextmanager
def lock_held_elsewhere(path: Path) -> Iterator[None]:
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        env={**os.environ, "PYTHONPATH": SRC},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline() == "held\n"
        yield
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
