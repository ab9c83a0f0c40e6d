"""The scheduler of `benchlab serve --schedules FILE`, and `GET /api/schedules`.

One asyncio task on the server's event loop (started and stopped by the app's
lifespan) sleeps until the earliest next run time, then starts that
schedule's run through the same `Launcher` the Launch page uses: a scheduled
run is stored, live-streamed and resumable like any other, and tagged
`schedule=<name>` (and `source=schedule`). The rules:

- No pile-up: when a schedule is due while its previous run (started by this
  server) is still going, that time is skipped and logged, not queued.
- No back-fill: next run times are computed from when the server starts;
  times missed while it was down are not made up. A wake-up long after the
  due time (a suspended machine) starts the run once and skips the times in
  between.
- A launch that fails (a suite file removed, a key unset since startup) is
  logged and shown on the dashboard; the schedule stays on.

The clock is injectable (`Settings.schedule_clock`), so tests move time by
hand instead of waiting for minutes to pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from starlette.requests import HTTPConnection

from benchlab.domain import RunStatus
from benchlab.errors import UserError
from benchlab.server.deps import StoreDep, server_state
from benchlab.store import Store, queries

if TYPE_CHECKING:
    from benchlab.server.launcher import Launcher
    from benchlab.server.schedule_file import Schedule, ScheduleFile
    from benchlab.server.settings import Settings

log = logging.getLogger("benchlab.schedules")
router = APIRouter(prefix="/api", tags=["read"])

LATE_S = 300.0  # a wake-up this late is worth a warning (the machine slept, the loop stalled)


class Clock(Protocol):
    """Where the scheduler reads the time and how it waits for a moment to come."""

    def now(self) -> datetime: ...

    async def sleep_until(self, when: datetime) -> None: ...


class SystemClock:
    """The wall clock, looked at again at least every minute while asleep: asyncio's
    sleep runs on the monotonic clock, which stops while the machine is suspended and
    ignores wall-clock corrections, so one long sleep could oversleep a due time."""

    max_nap = 60.0

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, when: datetime) -> None:
        while (left := (when - self.now()).total_seconds()) > 0:
            await asyncio.sleep(min(left, self.max_nap))


@dataclass
class ScheduleState:
    """A schedule and what this server has done with it since it started."""

    schedule: Schedule
    next_at: datetime | None = None
    run_id: str | None = None  # the last run this server started for it
    started_at: datetime | None = None  # the due time of that run
    error: str | None = None  # why the last launch failed, until one succeeds
    skipped: int = 0
    skipped_at: datetime | None = None


class Scheduler:
    def __init__(
        self,
        file: ScheduleFile,
        launcher: Launcher,
        store_url: str,
        clock: Clock | None = None,
    ) -> None:
        self.file = file
        self.launcher = launcher
        self.store_url = store_url
        self.clock: Clock = clock or SystemClock()
        self.states = [ScheduleState(s) for s in file.schedules]
        self._task: asyncio.Task[None] | None = None
        self._plan(self.clock.now())

    def _plan(self, now: datetime) -> None:
        for state in self.states:
            state.next_at = state.schedule.next_after(now)

    def start(self) -> None:
        """Plan every schedule from now (nothing missed is made up) and start the loop."""
        self._plan(self.clock.now())
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="benchlab-schedules")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self) -> None:
        while True:
            pending = [s.next_at for s in self.states if s.next_at is not None]
            if not pending:
                return
            await self.clock.sleep_until(min(pending))
            await self.run_due()

    async def run_due(self) -> None:
        """Start every schedule whose time has come, then plan its next time after now."""
        now = self.clock.now()
        for state in self.states:
            due = state.next_at
            if due is None or due > now:
                continue
            state.next_at = state.schedule.next_after(now)
            await self._fire(state, due, now)

    async def _fire(self, state: ScheduleState, due: datetime, now: datetime) -> None:
        name = state.schedule.name
        late = (now - due).total_seconds()
        if late > LATE_S:
            log.warning(
                "schedule %s: woke %.0f min after %s; starting it once, not back-filling",
                name,
                late / 60,
                _stamp(due),
            )
        if state.run_id is not None and self.launcher.running(state.run_id):
            state.skipped += 1
            state.skipped_at = due
            log.warning(
                "schedule %s: skipped %s: its run %s is still going",
                name,
                _stamp(due),
                state.run_id,
            )
            return
        config = state.schedule.config.model_copy(update={"db": self.store_url, "run_id": None})
        try:
            # launch() blocks until the run exists (suites loaded): not on the event loop.
            run_id = await asyncio.to_thread(self.launcher.launch, config)
        except UserError as exc:
            state.error = str(exc)
            log.error("schedule %s: run for %s not started: %s", name, _stamp(due), exc)
            return
        except Exception as exc:  # a bug must not stop the other schedules
            state.error = f"{type(exc).__name__}: {exc}"
            log.exception("schedule %s: run for %s not started", name, _stamp(due))
            return
        state.run_id, state.started_at, state.error = run_id, due, None
        log.info("schedule %s: started run %s (due %s)", name, run_id, _stamp(due))

    def rows(self, store: Store) -> list[dict[str, Any]]:
        """Each schedule as `GET /api/schedules` shows it; the last run comes from the store,
        so runs from before a restart count too."""
        out = []
        for state in self.states:
            schedule = state.schedule
            config = schedule.config
            page = queries.runs_page(store, tags={"schedule": schedule.name}, limit=1)
            last = page.items[0] if page.items else None
            out.append(
                {
                    "name": schedule.name,
                    "cron": schedule.cron,
                    "description": schedule.describe(),
                    "timezone": schedule.timezone,
                    "enabled": schedule.enabled,
                    "suites": list(schedule.suites),
                    "models": list(schedule.models),
                    "limit": config.limit,
                    "seed": config.seed,
                    "samples": config.samples,
                    "tags": config.tags,
                    "next_run_at": _iso(state.next_at),
                    "last_run": None
                    if last is None
                    else {
                        "run_id": last.id,
                        "status": last.status,
                        "created_at": _iso(last.created_at),
                        "finished_at": _iso(last.finished_at),
                    },
                    "running": state.run_id is not None and self.launcher.running(state.run_id),
                    "skipped": state.skipped,
                    "last_skipped_at": _iso(state.skipped_at),
                    "last_error": state.error,
                }
            )
        return out


def from_settings(settings: Settings, launcher: Launcher, store: Store) -> Scheduler | None:
    """The scheduler for `settings.schedules` (checked now: a bad file is a ConfigError
    before the server starts), or None when the server has no schedules."""
    if settings.schedules is None:
        return None
    from benchlab.server.schedule_file import load_schedules

    file = load_schedules(settings.schedules, env=settings.env)
    return Scheduler(file, launcher, store.url, settings.schedule_clock)


def announce(scheduler: Scheduler) -> None:
    """For `benchlab serve`: one stderr line per schedule, and the scheduler's log on stderr."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("benchlab: %(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    count = len(scheduler.states)
    sys.stderr.write(
        f"benchlab: {count} schedule{'' if count == 1 else 's'} from {scheduler.file.path} "
        "(times missed while the server is down are not made up)\n"
    )
    for state in scheduler.states:
        s = state.schedule
        when = "paused" if state.next_at is None else f"next run {local_time(state.next_at, s)}"
        sys.stderr.write(f"benchlab:   {s.name} ({s.cron}, {s.timezone}): {when}\n")


def _scheduler(connection: HTTPConnection) -> Scheduler | None:
    return server_state(connection).scheduler


SchedulerDep = Annotated[Scheduler | None, Depends(_scheduler)]


class LastRun(BaseModel):
    run_id: str
    status: RunStatus
    created_at: str | None = Field(description="ISO 8601, UTC")
    finished_at: str | None


class ScheduleRow(BaseModel):
    """A schedule as `GET /api/schedules` lists it (`Scheduler.rows`)."""

    name: str
    cron: str
    description: str = Field(description="the cron expression in words")
    timezone: str
    enabled: bool
    suites: list[str]
    models: list[str]
    limit: int | None
    seed: int
    samples: int
    tags: dict[str, str]
    next_run_at: str | None = Field(description="ISO 8601, UTC; null: paused")
    last_run: LastRun | None = Field(description="its newest run in the store, if any")
    running: bool = Field(description="a run this server started for it is still going")
    skipped: int = Field(description="due times skipped while its last run still ran")
    last_skipped_at: str | None
    last_error: str | None = Field(description="why the last launch failed, until one works")


class ScheduleList(BaseModel):
    """Schedules of `serve --schedules FILE`; `items` is empty when the server has none."""

    timezone: str | None = Field(description="the file's default zone; null: no file")
    items: list[ScheduleRow]


@router.get("/schedules", response_model=ScheduleList)
def list_schedules(scheduler: SchedulerDep, store: StoreDep) -> ScheduleList:
    """Schedules of `serve --schedules FILE`: cron, time zone, what they run, the next run
    time (UTC) and the last run; `items` is empty when the server has none."""
    if scheduler is None:
        return ScheduleList(timezone=None, items=[])
    rows = [ScheduleRow.model_validate(row) for row in scheduler.rows(store)]
    return ScheduleList(timezone=scheduler.file.timezone, items=rows)


def page_rows(scheduler: Scheduler | None, store: Store) -> list[dict[str, Any]]:
    """The API rows plus what the Overview page shows: the next time in the schedule's own
    zone and how far off it is ("in 3 h 20 min")."""
    if scheduler is None:
        return []
    now = scheduler.clock.now()
    rows = scheduler.rows(store)
    for row, state in zip(rows, scheduler.states, strict=True):
        row["next_local"] = local_time(state.next_at, state.schedule) if state.next_at else None
        row["next_in"] = relative(state.next_at, now) if state.next_at else None
    return rows


def local_time(moment: datetime, schedule: Schedule) -> str:
    return moment.astimezone(schedule.zone).strftime("%Y-%m-%d %H:%M %Z")


def relative(when: datetime, now: datetime) -> str:
    """How long until `when`, rounded the way people say it."""
    seconds = (when - now).total_seconds()
    if seconds < 60:
        return "due now" if seconds <= 0 else "in under a minute"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"in {minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"in {hours} h {minutes} min" if minutes and hours < 10 else f"in {hours} h"
    days, hours = divmod(hours, 24)
    return f"in {days} d {hours} h" if hours and days < 7 else f"in {days} d"


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
