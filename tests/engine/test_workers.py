"""`run_workers`: the first failure stops the other workers and is raised as itself."""

from __future__ import annotations

import asyncio

import pytest

from benchlab.engine.workers import run_workers


async def test_a_failing_worker_cancels_the_others_and_its_own_error_is_raised() -> None:
    stopped: list[str] = []

    async def slow(name: str) -> None:
        try:
            await asyncio.sleep(30)
        finally:
            stopped.append(name)

    async def fails() -> None:
        await asyncio.sleep(0.01)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full") as info:  # not an ExceptionGroup
        await asyncio.wait_for(run_workers([slow("a"), fails(), slow("b")]), 5)
    assert type(info.value) is OSError
    assert sorted(stopped) == ["a", "b"]  # both unwound before the error went on


async def test_cancelling_the_caller_cancels_every_worker() -> None:
    started = asyncio.Event()
    stopped: list[int] = []

    async def worker(n: int) -> None:
        started.set()
        try:
            await asyncio.sleep(30)
        finally:
            stopped.append(n)

    task = asyncio.create_task(run_workers([worker(i) for i in range(3)]))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sorted(stopped) == [0, 1, 2]


async def test_workers_that_finish_return_nothing() -> None:
    done: list[int] = []

    async def worker(n: int) -> None:
        await asyncio.sleep(0)
        done.append(n)

    await run_workers(worker(i) for i in range(4))
    assert sorted(done) == [0, 1, 2, 3]
