"""`fewer_collections` (engine/collector.py): counted, so that a run launched inside the server,
or two overlapping runs, leave the collector as they found it only when the last one ends.

Each check runs in a fresh interpreter: the setting is process-wide, and a server fixture
of another test module may hold it in this one."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHECK = """
import gc
from contextlib import ExitStack

from benchlab.engine.collector import YOUNG_THRESHOLD, fewer_collections

before = gc.get_threshold()
raised = max(before[0], YOUNG_THRESHOLD)
assert gc.get_freeze_count() == 0
server, run = ExitStack(), ExitStack()
server.enter_context(fewer_collections())
assert gc.get_threshold()[0] == raised and gc.get_freeze_count() > 0
run.enter_context(fewer_collections())  # a run launched from the dashboard
server.close()  # the server leaves first: the run still wants fewer collections
assert gc.get_threshold()[0] == raised and gc.get_freeze_count() > 0, "left too early"
run.close()
assert gc.get_threshold() == before and gc.get_freeze_count() == 0, "not restored"
try:
    with fewer_collections():
        raise RuntimeError("boom")
except RuntimeError:
    pass
assert gc.get_threshold() == before and gc.get_freeze_count() == 0, "not restored on error"
print("ok")
"""


def test_the_last_user_out_restores_the_threshold_and_unfreezes() -> None:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(CHECK)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
