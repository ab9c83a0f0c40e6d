"""The one door to the database: runs, suites, models, attempts, scores and the response cache.

Everything above the store (engine, CLI, server) goes through `Store`; no other
module builds SQL. Queries stream (`yield_per`) where a run can be large, and a
streamed result is closed by a `with`: a caller that stops early (`next(...)`)
must not leave PostgreSQL's server-side cursor open until garbage collection.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from benchlab.domain import Attempt, Run, Score
from benchlab.errors import ConfigError, NotFound
from benchlab.store.db import create_db_engine, migrate, resolve_url
from benchlab.store.labels import human_scores
from benchlab.store.owner import Owner, this_host
from benchlab.store.records import AttemptRecord, CaseRecord, RunRecord, ScoreRecord
from benchlab.store.run_query import RunFilter, find_runs, run_from_row
from benchlab.store.schema import (
    attempts,
    cases,
    models,
    response_cache,
    run_models,
    run_suites,
    runs,
    score_passes,
    scores,
    suites,
)
from benchlab.store.writer import BatchWriter, insert_ignoring_duplicates

AttemptKey = tuple[str, str, str, int]  # (suite, case_id, model, sample)


def attempt_from_row(row: Any, *, expected: Any, scores: list[Score]) -> Attempt:
    """An `attempts` row (with its case's expected answer and its scores) as the domain model."""
    return AttemptRecord.domain_from_row(row, expected=expected, scores=scores)


def case_from_row(row: Any) -> dict[str, Any]:
    """A `cases` row as the case document exports and the API show."""
    return CaseRecord.from_row(row).to_document()


class Store:
    """A database of runs (SQLite path or URL; default $BENCHLAB_DB or .benchlab/), migrated
    to the current schema when opened. Use it as a context manager."""

    def __init__(self, url: str | None = None, *, must_exist: bool = False) -> None:
        """`must_exist`: the caller only reads (a listing, a report, a spend check), so a
        SQLite file named by `--db`/`BENCHLAB_DB` that is not there is a mistake to say,
        not an empty database to make and report on (`spend --budget` passing on a typo)."""
        self.url = resolve_url(url)
        if must_exist:
            _refuse_missing_file(
                self.url,
                "--db" if url else "BENCHLAB_DB",
                chosen=bool(url or os.environ.get("BENCHLAB_DB")),
            )
        self.engine: Engine = create_db_engine(self.url)
        try:
            migrate(self.engine)
        except DBAPIError as exc:
            self.engine.dispose()
            # A file that is not SQLite, a server that refuses us: the --db given is wrong.
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise ConfigError(
                f"--db {self.display_url}: cannot open the database: {reason}"
            ) from exc

    @property
    def artifacts_dir(self) -> Path:
        """Files that belong to runs live beside a SQLite file, else under ./.benchlab/."""
        parsed = make_url(self.url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            return Path(str(parsed.database)).expanduser().resolve().parent / "artifacts"
        return Path(".benchlab/artifacts").resolve()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def writer(self, flush_interval: float = 0.1) -> BatchWriter:
        return BatchWriter(self.engine, flush_interval=flush_interval)

    # --- runs -------------------------------------------------------------------------------
    def create_run(
        self,
        run_id: str,
        *,
        config: dict[str, Any],
        suites_info: list[dict[str, Any]],
        model_profiles: list[dict[str, Any]],
        seed: int,
        tags: dict[str, str],
        version: str,
    ) -> None:
        now = time.time()
        run = RunRecord(
            id=run_id,
            status="running",
            created_at=now,
            started_at=now,
            finished_at=None,
            seed=seed,
            suites=[s["name"] for s in suites_info],
            models=[m["name"] for m in model_profiles],
            tags=tags,
            benchlab_version=version,
            config=config,
            error=None,
            owner_pid=None,
            owner_host=None,
            heartbeat_at=None,
        )
        with self.engine.begin() as conn:
            self.insert_run(conn, run, suites_info, model_profiles)

    def insert_run(
        self,
        conn: Connection,
        run: RunRecord,
        suites_info: Sequence[Mapping[str, Any]],
        model_profiles: Sequence[Mapping[str, Any]],
    ) -> None:
        """The one way a run is written, in the caller's transaction: `create_run` (a new
        run) and `import_run` (a finished one from elsewhere) both come here. The run's
        suites and models are recorded as first seen (and used by it) at its `created_at`.

        `suites_info`: name, hash, version, source, header, n_cases per suite;
        `model_profiles`: each model's profile (name, and spec unless it is the name).
        """
        now = run.created_at
        conn.execute(runs.insert(), [run.to_row()])
        if suites_info:
            conn.execute(
                insert_ignoring_duplicates(self.engine, suites),
                [
                    {
                        "hash": s["hash"],
                        "name": s["name"],
                        "version": s["version"],
                        "source": s["source"],
                        "header": s["header"],
                        "n_cases": s["n_cases"],
                        "first_seen": now,
                    }
                    for s in suites_info
                ],
            )
            conn.execute(
                run_suites.insert(),
                [
                    {
                        "run_id": run.id,
                        "suite": s["name"],
                        "suite_hash": s["hash"],
                        "created_at": now,
                    }
                    for s in suites_info
                ],
            )
        if model_profiles:
            specs = [str(m.get("spec", m["name"])) for m in model_profiles]
            conn.execute(
                insert_ignoring_duplicates(self.engine, models),
                [
                    {
                        "name": m["name"],
                        "spec": spec,
                        "provider": spec.split("/", 1)[0],
                        "first_seen": now,
                    }
                    for m, spec in zip(model_profiles, specs, strict=True)
                ],
            )
            conn.execute(
                run_models.insert(),
                [
                    {
                        "run_id": run.id,
                        "model": m["name"],
                        "spec": spec,
                        "profile": dict(m),
                        "created_at": now,
                    }
                    for m, spec in zip(model_profiles, specs, strict=True)
                ],
            )

    def claim_run(self, run_id: str) -> None:
        """Record this process as the run's owner, with a fresh heartbeat (store/owner.py)."""
        values = {"owner_pid": os.getpid(), "owner_host": this_host(), "heartbeat_at": time.time()}
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(**values))

    def run_owner(self, run_id: str) -> Owner | None:
        """The process recorded as running the run (None for runs from before owners)."""
        query = select(runs.c.owner_pid, runs.c.owner_host, runs.c.heartbeat_at).where(
            runs.c.id == run_id
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else Owner.of(row)

    def heartbeat(self, run_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(heartbeat_at=time.time()))

    def set_status(self, run_id: str, status: str, *, error: str | None = None) -> None:
        values: dict[str, Any] = {"status": status, "error": error}
        values["finished_at"] = None if status == "running" else time.time()
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(**values))

    def get_run(self, run_id: str) -> Run:
        with self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
            if row is None and len(run_id) >= 4:  # accept a unique prefix, like git
                found = (
                    conn.execute(
                        select(runs).where(runs.c.id.startswith(run_id, autoescape=True)).limit(2)
                    )
                    .mappings()
                    .all()
                )
                row = found[0] if len(found) == 1 else None
        if row is None:
            raise NotFound(f"no run {run_id!r} in {self.display_url}")
        run = run_from_row(row)
        if run.status != row["status"]:
            self._mark_interrupted(row)
        return run

    def _mark_interrupted(self, row: Any) -> None:
        """Store what a dead owner's run reads as, unless it has been resumed meanwhile
        (its heartbeat changed) or the database is read-only to us."""
        query = (
            update(runs)
            .where(
                and_(
                    runs.c.id == row["id"],
                    runs.c.status == "running",
                    runs.c.heartbeat_at == row["heartbeat_at"],
                )
            )
            .values(status="interrupted", finished_at=row["heartbeat_at"])
        )
        try:
            with self.engine.begin() as conn:
                conn.execute(query)
        except DBAPIError:
            pass

    def run_error(self, run_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(runs.c.error).where(runs.c.id == run_id)).scalar()

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def list_runs(
        self,
        *,
        limit: int | None = None,
        model: str | None = None,
        suite: str | None = None,
        status: str | None = None,
    ) -> list[Run]:
        """Runs newest first (the one query of store/run_query.py)."""
        where = RunFilter(model=model, suite=suite, status=status)
        return find_runs(self.engine, where, limit=limit)

    # --- attempts ---------------------------------------------------------------------------
    def finished_keys(self, run_id: str, *, include_errors: bool = True) -> set[AttemptKey]:
        query = select(attempts.c.suite, attempts.c.case_id, attempts.c.model, attempts.c.sample)
        query = query.where(attempts.c.run_id == run_id)
        if not include_errors:
            query = query.where(attempts.c.status == "ok")
        with self.engine.connect() as conn:
            return {(s, c, m, n) for s, c, m, n in conn.execute(query)}

    def delete_errored(self, run_id: str) -> int:
        """Forget a run's errored attempts so that `resume --retry-errors` asks again."""
        ids = select(attempts.c.id).where(
            and_(attempts.c.run_id == run_id, attempts.c.status == "error")
        )
        with self.engine.begin() as conn:
            conn.execute(delete(scores).where(scores.c.attempt_id.in_(ids)))
            result = conn.execute(
                delete(attempts).where(
                    and_(attempts.c.run_id == run_id, attempts.c.status == "error")
                )
            )
        return int(result.rowcount or 0)

    def count_attempts(self, run_id: str) -> int:
        with self.engine.connect() as conn:
            query = select(func.count()).select_from(attempts).where(attempts.c.run_id == run_id)
            return int(conn.execute(query).scalar_one())

    def summary_rows(self, run_id: str, pass_no: int | None = None) -> Iterator[tuple[Any, ...]]:
        """Per attempt: (model, suite, category, status, passed, latency_ms, input tokens,
        output tokens, cost, case_id, sample)
        per attempt, streamed: enough to summarise a run without loading attempts whole.
        `passed` is the newest completed pass's verdict, or that of scoring pass `pass_no`."""
        from benchlab.store.pass_view import verdict_column

        passed: Any = attempts.c.passed
        source: Any = attempts
        if pass_no is not None and pass_no != self.latest_pass(run_id):
            passed, source = verdict_column(run_id, pass_no)
        query = (
            select(
                attempts.c.model,
                attempts.c.suite,
                attempts.c.category,
                attempts.c.status,
                passed,
                attempts.c.latency_ms,
                attempts.c.input_tokens,
                attempts.c.output_tokens,
                attempts.c.cost_usd,
                attempts.c.case_id,
                attempts.c.sample,
            )
            .select_from(source)
            .where(attempts.c.run_id == run_id)
            .execution_options(yield_per=2000)
        )
        with self.engine.connect() as conn, conn.execute(query) as rows:
            yield from (tuple(r) for r in rows)

    def latest_pass(self, run_id: str) -> int:
        """The newest completed scoring pass of a run (0: the run's own scoring)."""
        query = select(func.max(score_passes.c.pass_no)).where(
            and_(score_passes.c.run_id == run_id, score_passes.c.status == "completed")
        )
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def iter_attempts(
        self,
        run_id: str,
        *,
        model: str | None = None,
        with_cases: bool = True,
        pass_no: int | None = None,
        human: bool = True,
    ) -> Iterator[Attempt]:
        """A run's attempts with their scores (and expected answers), streamed in order.

        Scores are those of the newest completed scoring pass unless `pass_no`
        names another; -1 gives every pass's scores. Labeled attempts end their
        scores with `human` (the mean label) unless `human` is False.
        """
        from benchlab.store.pass_view import pass_clause

        shown = self.latest_pass(run_id) if pass_no is None else pass_no
        query = select(attempts).where(attempts.c.run_id == run_id)
        if model is not None:
            query = query.where(attempts.c.model == model)
        query = query.order_by(
            attempts.c.suite, attempts.c.case_id, attempts.c.model, attempts.c.sample
        ).execution_options(yield_per=1000)
        hashes = self.run_suite_hashes(run_id)
        with self.engine.connect() as conn, conn.execute(query) as rows:
            for chunk in rows.mappings().partitions(1000):
                ids = [r["id"] for r in chunk]
                by_attempt: dict[int, list[Score]] = {}
                score_query = select(scores).where(scores.c.attempt_id.in_(ids))
                if shown >= 0:
                    score_query = score_query.where(pass_clause(run_id, shown))
                # by scorer within a pass: one order on every database (SQLite's key order)
                ordered = score_query.order_by(scores.c.pass_no, scores.c.scorer)
                for s in conn.execute(ordered).mappings():
                    by_attempt.setdefault(s["attempt_id"], []).append(
                        ScoreRecord.from_row(s).to_domain()
                    )
                for aid, score in (human_scores(conn, ids) if human else {}).items():
                    by_attempt.setdefault(aid, []).append(score)
                expected: dict[tuple[str, str], Any] = {}
                if with_cases:
                    expected = self._expected_for(conn, hashes, chunk)
                for r in chunk:
                    yield attempt_from_row(
                        r,
                        expected=expected.get((r["suite"], r["case_id"])),
                        scores=by_attempt.get(r["id"], []),
                    )

    def _expected_for(
        self, conn: Any, hashes: dict[str, str], chunk: Iterable[Any]
    ) -> dict[tuple[str, str], Any]:
        wanted: dict[str, set[str]] = {}
        for r in chunk:
            wanted.setdefault(r["suite"], set()).add(r["case_id"])
        out: dict[tuple[str, str], Any] = {}
        for suite, ids in wanted.items():
            suite_hash = hashes.get(suite)
            if suite_hash is None:
                continue
            query = select(cases.c.case_id, cases.c.expected).where(
                and_(cases.c.suite_hash == suite_hash, cases.c.case_id.in_(ids))
            )
            for case_id, value in conn.execute(query):
                out[(suite, case_id)] = None if value is None else json.loads(value)
        return out

    def run_suite_hashes(self, run_id: str) -> dict[str, str]:
        with self.engine.connect() as conn:
            query = select(run_suites.c.suite, run_suites.c.suite_hash).where(
                run_suites.c.run_id == run_id
            )
            return {name: h for name, h in conn.execute(query)}

    def count_cases(self, suite_hash: str) -> int:
        """How many of a suite version's cases are stored (cases are keyed by content hash)."""
        query = select(func.count()).select_from(cases).where(cases.c.suite_hash == suite_hash)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def iter_cases(self, suite_hash: str) -> Iterator[dict[str, Any]]:
        query = (
            select(cases)
            .where(cases.c.suite_hash == suite_hash)
            .order_by(cases.c.position)
            .execution_options(yield_per=1000)
        )
        with self.engine.connect() as conn, conn.execute(query) as rows:
            for r in rows.mappings():
                yield case_from_row(r)

    def suite_record(self, suite_hash: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(select(suites).where(suites.c.hash == suite_hash)).mappings().first()
        if row is None:
            raise NotFound(f"no suite with hash {suite_hash}")
        return dict(row)

    # --- response cache ---------------------------------------------------------------------
    def cache_get_many(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        """key -> the stored entry ({"completion", "latency_ms"}) with its `created_at`:
        a run that reuses an answer says from when it is."""
        if not keys:
            return {}
        query = select(
            response_cache.c.key, response_cache.c.completion, response_cache.c.created_at
        ).where(response_cache.c.key.in_(keys))
        with self.engine.connect() as conn:
            return {k: {**json.loads(v), "created_at": t} for k, v, t in conn.execute(query)}

    def recorded_outputs(self, run_id: str) -> dict[tuple[str, str, int], str]:
        """(suite, case_id, sample) -> output of a run's successful attempts (`replay/RUN_ID`)."""
        query = select(
            attempts.c.suite, attempts.c.case_id, attempts.c.sample, attempts.c.output
        ).where(and_(attempts.c.run_id == run_id, attempts.c.status == "ok"))
        with self.engine.connect() as conn:
            return {(s, c, n): o or "" for s, c, n, o in conn.execute(query)}


def _refuse_missing_file(url: str, source: str, *, chosen: bool) -> None:
    """The default file may be missing (nothing run yet: empty listings); a chosen one not."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # not a URL at all: create_db_engine says so, naming --db
    database = parsed.database or ""
    if not chosen or parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return
    if parsed.query.get("uri") in ("true", "1"):
        return  # an SQLite URI says itself whether the file must exist (mode=ro, rw, rwc)
    if not Path(database).expanduser().exists():
        raise ConfigError(
            f"{source} {database}: no database there (a typo? `benchlab run` creates one)"
        )
