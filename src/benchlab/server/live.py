"""`WS /api/runs/{id}/events`: a run's progress, live, wherever the run is executing.

The store is the one source: the socket polls it for attempts stored since
the last look, so a run started by `benchlab run` in another process against
the same database streams exactly like one launched from the browser. The
engine's writer flushes every 100 ms, stamping attempts with the time they
finished, so each look re-reads a short overlap window and drops ids it has
already sent. Messages, all JSON with a `type`:

- `snapshot`: status, planned total and counts when the socket opens;
- `attempt`: one finished attempt (at most `MAX_PER_TICK` per look; counts stay exact);
- `totals`: done / total / errors / passed / cost after each look that found new attempts;
- `finished`: the final status and totals; the server then closes the socket.

A browser page of another site is refused at the handshake (server/origins.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from benchlab.errors import NotFound
from benchlab.server.deps import server_state
from benchlab.server.errors import redact
from benchlab.server.origins import origin_allowed
from benchlab.store import Store, queries

router = APIRouter()

OVERLAP_S = 2.0
MAX_PER_TICK = 50


@dataclass
class Totals:
    total: int | None
    done: int = 0
    errors: int = 0
    passed: int = 0
    cost_usd: float = 0.0

    def add(self, row: dict[str, Any]) -> None:
        self.done += 1
        if row["status"] == "error":
            self.errors += 1
        elif row["passed"]:
            self.passed += 1
        self.cost_usd += row["cost_usd"] or 0.0

    def add_counted(self, counted: queries.AttemptTotals) -> None:
        """What an aggregate counted, added as `add` would have added each of its rows."""
        self.done += counted.done
        self.errors += counted.errors
        self.passed += counted.passed
        self.cost_usd += counted.cost_usd


def _attempt_message(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "attempt",
        "id": str(row["id"]),
        "suite": row["suite"],
        "case_id": row["case_id"],
        "model": row["model"],
        "sample": row["sample"],
        "passed": False if row["status"] == "error" else row["passed"],
        "error_type": row["error_type"],
        "latency_ms": row["latency_ms"],
        "cost_usd": row["cost_usd"],
        "cached": bool(row["cached"]),
    }


class _Follower:
    """The polling state of one socket."""

    def __init__(self, store: Store, run_id: str, total: int | None) -> None:
        self.store = store
        self.run_id = run_id
        self.totals = Totals(total)
        self.seen: dict[int, float] = {}
        self.recent: list[dict[str, Any]] = []
        self.last = 0.0

    def start(self) -> tuple[str, dict[str, Any]]:
        run = self.store.get_run(self.run_id)
        self.run_id = run.id
        if self.totals.total is None:
            self.totals.total = queries.planned_total(self.store, run)
        # Counted in two parts split at a cut-off: an aggregate of what finished before it,
        # then row by row what finished after. An attempt stored between the two queries
        # (a run finishing as the socket opens) lands in the second part, counted and seen
        # once; aggregating first and then marking the overlap window "seen" lost them.
        latest = queries.last_finished_at(self.store, run.id)
        since = 0.0
        if latest is not None:
            since = latest - OVERLAP_S
            self.totals.add_counted(queries.attempt_totals(self.store, run.id, before=since))
            self.last = since
        rows = queries.attempts_since(self.store, run.id, since, 100_000)
        for row in rows:
            self.seen[row["id"]] = row["finished_at"]
            self.totals.add(row)
            self.last = max(self.last, row["finished_at"])
        # A run that finished before the socket opened still shows its latest attempts.
        self.recent = rows[-MAX_PER_TICK:]
        return run.status, {
            "type": "snapshot",
            "run_id": run.id,
            "status": run.status,
            **asdict(self.totals),
        }

    def poll(self) -> tuple[list[dict[str, Any]], str]:
        """New attempts since the last look, and the run's status read *before* them."""
        status = queries.run_status(self.store, self.run_id)
        rows = queries.attempts_since(self.store, self.run_id, self.last - OVERLAP_S, 100_000)
        fresh = [r for r in rows if r["id"] not in self.seen]
        for r in fresh:
            self.seen[r["id"]] = r["finished_at"]
            self.totals.add(r)
            self.last = max(self.last, r["finished_at"])
        horizon = self.last - OVERLAP_S
        if len(self.seen) > 10_000:
            self.seen = {k: v for k, v in self.seen.items() if v >= horizon}
        return fresh, "missing" if status is None else status[0]

    def finish(self) -> dict[str, Any]:
        """The final totals, counted afresh: nothing is written any more, so they are exact
        even if an attempt was flushed later than the overlap window allows for."""
        self.totals = Totals(self.totals.total)
        self.totals.add_counted(queries.attempt_totals(self.store, self.run_id))
        return asdict(self.totals)


@router.websocket("/api/runs/{run_id}/events")
async def run_events(websocket: WebSocket, run_id: str) -> None:
    state = server_state(websocket)
    if not origin_allowed(websocket, state.settings.allowed_origins):
        # before accept: the handshake is answered 403, and nothing about the run leaves
        await websocket.close(code=1008)
        return
    await websocket.accept()
    follower = _Follower(state.store, run_id, state.launcher.total(run_id))
    try:
        status, snapshot = await run_in_threadpool(follower.start)
    except NotFound as exc:
        message = redact(websocket, str(exc))
        await websocket.send_json({"type": "error", "status": 404, "error": message})
        await websocket.close(code=4404)
        return
    try:
        await websocket.send_json(snapshot)
        for row in follower.recent:
            await websocket.send_json(_attempt_message(row))
        interval = state.settings.poll_interval
        while status == "running":
            if await _closed_within(websocket, interval):
                return
            fresh, status = await run_in_threadpool(follower.poll)
            for row in fresh[-MAX_PER_TICK:]:
                await websocket.send_json(_attempt_message(row))
            if fresh:
                await websocket.send_json({"type": "totals", **asdict(follower.totals)})
        fresh, status = await run_in_threadpool(follower.poll)  # attempts flushed at the end
        for row in fresh[-MAX_PER_TICK:]:
            await websocket.send_json(_attempt_message(row))
        totals = await run_in_threadpool(follower.finish)
        await websocket.send_json({"type": "finished", "status": status, **totals})
        await websocket.close()
    except WebSocketDisconnect:
        return


async def _closed_within(websocket: WebSocket, seconds: float) -> bool:
    """Wait `seconds`, returning early (True) if the client goes away meanwhile."""
    try:
        message = await asyncio.wait_for(websocket.receive(), timeout=seconds)
    except TimeoutError:
        return False
    return message.get("type") == "websocket.disconnect"
