"""Run a set of workers to the end, and stop them all when one fails or the run is cancelled.

The run loop's model lanes, a scoring pass's and pairwise judging's workers all
run this way: an `asyncio.TaskGroup` cancels the others and waits for them to
finish unwinding before the failure goes on, so no worker keeps asking a
model (or writing) after its run has ended.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterable
from typing import Any


async def run_workers(coros: Iterable[Coroutine[Any, Any, None]]) -> None:
    """Await every worker; the first failure stops the others and is raised as itself.

    TaskGroup reports failures as an ExceptionGroup; callers (and users) read the
    worker's own exception, as they did when this was a hand-written gather, so
    the first one is raised unwrapped. KeyboardInterrupt and cancellation pass
    through TaskGroup as they are.
    """
    try:
        async with asyncio.TaskGroup() as group:
            for coro in coros:
                group.create_task(coro)
    except BaseExceptionGroup as failed:
        raise failed.exceptions[0] from None
