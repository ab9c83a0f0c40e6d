"""The tables, in SQLAlchemy Core. Alembic migrations under `migrations/` create exactly these.

Hot columns (prompts, outputs, tool calls) are Text holding JSON that the
engine serialises itself, and times are epoch seconds as floats: per-row type
processing is measurable at thousands of attempts per second. Denormalised
`category` and `passed` on attempts let summaries run as one indexed scan.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("started_at", Float),
    Column("finished_at", Float),
    Column("seed", BigInteger, nullable=False),
    Column("suites", JSON, nullable=False),
    Column("models", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("benchlab_version", String(32), nullable=False),
    Column("config", JSON, nullable=False),
    Column("error", Text),
    # Who runs it, and when it last said so (see store/owner.py).
    Column("owner_pid", Integer),
    Column("owner_host", String(255)),
    Column("heartbeat_at", Float),
    # Bumped with every label written or withdrawn (migration 0014): labels can come back to
    # an earlier state (one added, then withdrawn), this count cannot, so a run's kept
    # summaries (store/run_summaries.py) are never read as made from the labels it has now
    # when they were made while a label came and went.
    Column("labels_changed", Integer, nullable=False, server_default="0"),
    Index("ix_runs_created_at", "created_at"),
)

models = Table(
    "models",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("spec", String(300), nullable=False),
    Column("provider", String(50), nullable=False),
    Column("first_seen", Float, nullable=False),
)

run_models = Table(
    "run_models",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("model", String(200), primary_key=True),
    Column("spec", String(300), nullable=False),
    Column("profile", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
    Index("ix_run_models_model_created", "model", "created_at"),
)

suites = Table(
    "suites",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("version", String(50), nullable=False),
    Column("source", Text, nullable=False),
    Column("header", JSON, nullable=False),
    Column("n_cases", Integer, nullable=False),
    Column("first_seen", Float, nullable=False),
    Index("ix_suites_name", "name"),
)

run_suites = Table(
    "run_suites",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("suite", String(200), primary_key=True),
    Column("suite_hash", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Index("ix_run_suites_suite_created", "suite", "created_at"),
)

cases = Table(
    "cases",
    metadata,
    Column("suite_hash", String(64), primary_key=True),
    Column("case_id", String(300), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("input", Text, nullable=False),
    Column("context", Text),
    Column("expected", Text),
    Column("scorers", Text),
    Column("category", String(200)),
    Column("metadata", Text, nullable=False),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("run_id", String(64), nullable=False),
    Column("suite", String(200), nullable=False),
    Column("case_id", String(300), nullable=False),
    Column("model", String(200), nullable=False),
    Column("sample", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    Column("category", String(200)),
    Column("prompt", Text, nullable=False),
    Column("output", Text),
    # What a reasoning model thought apart from its answer; kept, never scored.
    Column("reasoning", Text),
    Column("tool_calls", Text),
    Column("finish_reason", String(50)),
    Column("input_tokens", Integer),
    Column("output_tokens", Integer),
    Column("latency_ms", Float),
    Column("cost_usd", Float),
    Column("error_type", String(100)),
    Column("error_message", Text),
    Column("cached", Boolean, nullable=False),
    # When the reused answer was first asked (the cache entry's created_at); None: asked now.
    Column("cached_at", Float),
    Column("retries", Integer, nullable=False),
    Column("passed", Boolean),
    Column("finished_at", Float, nullable=False),
    UniqueConstraint("run_id", "suite", "case_id", "model", "sample", name="uq_attempt_key"),
    Index("ix_attempts_run_model", "run_id", "model"),
    Index("ix_attempts_run_finished", "run_id", "finished_at"),  # live progress polls by time
    Index("ix_attempts_finished", "finished_at"),  # a month's spend (migration 0011)
)

scores = Table(
    "scores",
    metadata,
    Column("attempt_id", BigInteger, primary_key=True, autoincrement=False),
    Column("scorer", String(200), primary_key=True),
    Column("pass_no", Integer, primary_key=True, autoincrement=False),
    Column("run_id", String(64), nullable=False),
    Column("value", Float),
    Column("passed", Boolean),
    Column("explanation", Text),
    Column("details", Text),
    Index("ix_scores_run", "run_id"),
)

# Per (run, suite, model) aggregates of a finished run, computed once on first read (see
# store/stats.py) so that leaderboards, trends and run lists never rescan attempts. A row is
# fresh while `run_finished_at` equals the run's `finished_at`; a resume or re-import changes
# that and the row is recomputed. A run without attempts gets one row with suite = model = "".
run_stats = Table(
    "run_stats",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("suite", String(200), primary_key=True),
    Column("model", String(200), primary_key=True),
    Column("run_finished_at", Float),
    Column("attempts", Integer, nullable=False),
    Column("judged", Integer, nullable=False),
    Column("passed", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("cost_usd", Float, nullable=False),
    Column("cost_unknown", Integer, nullable=False),
    Column("input_tokens", BigInteger, nullable=False),
    Column("output_tokens", BigInteger, nullable=False),
    Column("latency_sum", Float, nullable=False),
    Column("latency_n", Integer, nullable=False),
    Column("first_at", Float),
    Column("last_at", Float),
    Index("ix_run_stats_suite_model", "suite", "model"),
)

# What is computed from a finished run's attempts, scores and labels and read on every view
# of it (its summary per scoring pass, its filter values, its per-case rows), kept as JSON
# under a name (`part`) so that a run page or a compare does not rescan the run (see
# store/run_summaries.py). Read only while `fingerprint` (the run's status and finish, its
# passes, its attempt count, its labels) still matches.
run_summaries = Table(
    "run_summaries",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("part", String(300), primary_key=True),
    Column("fingerprint", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("made_at", Float, nullable=False),
)

response_cache = Table(
    "response_cache",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("model", String(300), nullable=False),
    Column("completion", Text, nullable=False),
    Column("created_at", Float, nullable=False),
)

# One row per scoring pass after a run's own (pass 0): `benchlab score` re-scores stored answers
# without asking the models again; its verdicts go to `scores` under this pass_no, beside the old
# ones. Summaries read the newest completed pass; an interrupted pass is kept but never shown.
score_passes = Table(
    "score_passes",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("pass_no", Integer, primary_key=True, autoincrement=False),
    Column("status", String(20), nullable=False),
    Column("scorers", JSON),  # the specs asked for; null: each case's recorded scorers
    Column("judge_model", String(300)),
    Column("created_at", Float, nullable=False),
    Column("finished_at", Float),
    Column("scored", Integer, nullable=False),
    Column("errors", Integer, nullable=False),
)

# Embeddings by (model, text), shared by every run: the `semantic` scorer embeds each reference
# once per model, ever. `vector` is little-endian float32.
embeddings = Table(
    "embeddings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("model", String(300), nullable=False),
    Column("dim", Integer, nullable=False),
    Column("vector", LargeBinary, nullable=False),
    Column("created_at", Float, nullable=False),
)

# Human labels: one row per (attempt, labeler); labeling again replaces the row. `kind` says
# which vocabulary `label` comes from (pass_fail, scale, stance) and a run holds one kind, so
# every label of a run lives on one scale. `value` is the label as a number on the scorers'
# scales ([0, 1], or -1..+1 for stance); the mean over labelers is the `human` score.
labels = Table(
    "labels",
    metadata,
    Column("attempt_id", BigInteger, primary_key=True, autoincrement=False),
    Column("labeler", String(64), primary_key=True),
    Column("run_id", String(64), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("label", String(20), nullable=False),
    Column("value", Float, nullable=False),
    Column("passed", Boolean),
    Column("note", Text),
    Column("created_at", Float, nullable=False),
    Index("ix_labels_run_labeler", "run_id", "labeler"),
)

# Production samples (issue 15): one row per distinct (timestamp, input, output, model), keyed by
# their content hash. `input` is JSON (a string, or a list of {role, content} messages);
# `metadata` is a JSON object; `timestamp` is epoch seconds (None: the source had none).
# Feedback is spread over columns so that sampling can filter and weight by it in SQL.
samples = Table(
    "samples",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("sample_id", String(200)),
    Column("timestamp", Float),
    Column("input", Text, nullable=False),
    Column("output", Text, nullable=False),
    Column("feedback_score", Float),
    Column("feedback_label", String(200)),
    Column("feedback_comment", Text),
    Column("metadata", Text, nullable=False),
    Column("model", String(200)),
    Column("input_tokens", Integer),
    Column("output_tokens", Integer),
    Column("source", Text, nullable=False),
    Column("source_line", Integer, nullable=False),
    Column("source_format", String(20), nullable=False),
    Column("imported_at", Float, nullable=False),
    # the input's de-duplication sketch, made at import (samples/sketch.py); NULL before 0011
    Column("dedupe_sketch", LargeBinary),
    Index("ix_samples_timestamp", "timestamp"),
    Index("ix_samples_model", "model"),
)

# Budget alerts (issue 14): one row per (month, threshold percent) the month's spend crossed.
# The row makes the alert visible; `delivered_at` records that the webhook took the notice,
# so a restarted server neither forgets the alert nor sends it twice.
budget_alerts = Table(
    "budget_alerts",
    metadata,
    Column("month", String(7), primary_key=True),
    Column("threshold_pct", Integer, primary_key=True, autoincrement=False),
    Column("budget_usd", Float, nullable=False),
    Column("spent_usd", Float, nullable=False),
    Column("raised_at", Float, nullable=False),
    Column("delivered_at", Float),
    Column("tries", Integer, nullable=False),
    Column("last_error", Text),
)
