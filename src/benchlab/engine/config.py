"""`RunConfig`: everything a run needs, resolved, in one object the engine takes.

The CLI and the Python API both build one of these and hand it to the engine;
it is stored whole on the run, so `resume` rebuilds the exact same run from the
database instead of from flags and files that may have changed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from benchlab.domain import ModelProfile, ScorerSpec
from benchlab.suites.loader import LoadedSuite

MAX_SAMPLES = 10_000  # answers per case and model; pass@k needs k <= samples, k rarely > 100


IN_MEMORY = "memory:"  # how a suite built in code is recorded on its run (by name)


class RunConfig(BaseModel):
    """Everything a run needs. `suites` takes built-in names, suite files, and suites built
    in code (`LoadedSuite.from_cases`); the latter are recorded as `memory:NAME` (there is
    no file to read them from again), so resuming such a run needs them passed again."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    suites: list[str | LoadedSuite] = Field(
        min_length=1, description="built-in names, file paths or LoadedSuite objects"
    )
    models: list[ModelProfile] = Field(min_length=1)
    limit: int | None = Field(default=None, gt=0)
    # The store keeps a seed in a 64-bit integer column.
    seed: int = Field(default=0, ge=-(2**63), le=2**63 - 1)
    # Bounded so that a typo (99999999999) is an error, not a run that never ends.
    samples: int = Field(default=1, gt=0, le=MAX_SAMPLES)
    concurrency: int = Field(default=16, gt=0)
    timeout: float = Field(default=120.0, gt=0)
    retries: int = Field(default=4, ge=0)
    retry_base_delay: float = Field(default=1.0, ge=0)
    retry_max_delay: float = Field(default=60.0, ge=0)
    scorers: list[ScorerSpec] = Field(default_factory=list)
    # A run measures: answers are asked again unless `cache` (`--cache`) says to reuse stored
    # ones (every answer is stored either way). Judges may reuse a verdict on an unchanged
    # answer (`judge_cache`), since the verdict measures the answer, not the judge's mood.
    cache: bool = False
    judge_cache: bool = True
    dry_run: bool = False
    tags: dict[str, str] = Field(default_factory=dict)
    db: str | None = None
    flush_interval: float = Field(default=0.1, gt=0)
    run_id: str | None = None
    max_cost: float | None = Field(default=None, gt=0, description="US$ cap on spend")
    # Judging scorers (judge, stance) ask this model unless it is None; it beats the
    # `judge_model` a suite gives its scorers, as flags beat files everywhere else.
    judge_model: str | None = Field(default=None, min_length=1)
    score: bool = Field(default=True, description="False: generation only (--no-score)")
    # Suites that need review (production samples, suites/review.py) ask only accepted cases
    # unless this adds the unreviewed ones (`--include-unreviewed`).
    include_unreviewed: bool = False
    # Where code-running scorers run (`--executor`: local, ray) unless a suite names one; a
    # choice of machinery, not of what is measured, so it is not stored on the run.
    executor: str | None = None

    @field_validator("models")
    @classmethod
    def _known_prices(cls, models: list[ModelProfile]) -> list[ModelProfile]:
        """Fill in built-in prices, so a profile made in Python is priced like one from a file."""
        from benchlab.providers.profiles import with_price

        names = [m.name for m in models]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"model names must be unique: {', '.join(dupes)}")
        return [with_price(m) for m in models]

    @field_serializer("suites")
    def _suite_refs(self, suites: list[str | LoadedSuite]) -> list[str]:
        return [ref if isinstance(ref, str) else IN_MEMORY + ref.header.name for ref in suites]

    def stored(self) -> dict[str, Any]:
        """The config as kept on the run (without where the database is or code runs)."""
        return self.model_dump(mode="json", exclude={"db", "executor"})
