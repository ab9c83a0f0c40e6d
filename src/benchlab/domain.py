"""The concepts every part of benchlab talks about, as pydantic models and nothing else.

Input that a user writes (cases, suites, model profiles) is validated strictly
(`extra="forbid"`) so that a typo in a suite file is an error, not a silently
ignored field. Records the engine produces in its hot path (attempts, scores)
are plain models that the store reads back; the engine never validates them
per attempt, because validation per attempt is where harnesses lose their time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Role = Literal["system", "user", "assistant", "tool"]
RunStatus = Literal["running", "completed", "failed", "interrupted", "stopped_budget"]
# Every status a run can have, in that order: filters and drop-downs offer these.
RUN_STATUSES: tuple[RunStatus, ...] = get_args(RunStatus)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Message(_Strict):
    """One chat message; `input` may be a list of these instead of a string."""

    role: Role
    content: str


class ScorerSpec(_Strict):
    """A scorer named by registry name (or `module:function`) plus its options.

    Suite files write either a bare name (`contains`) or a mapping
    (`{name: numeric, tolerance: 0}`); both become this. Name and options are
    stored on the run so that a run can be re-scored later.
    """

    name: str
    options: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"name": data, "options": {}}
        if isinstance(data, dict) and "options" not in data:
            rest = {k: v for k, v in data.items() if k != "name"}
            return {"name": data.get("name"), "options": rest}
        return data

    @field_validator("name")
    @classmethod
    def _name_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("scorer name must not be empty")
        return value

    def label(self) -> str:
        """The key under which this scorer's verdict is stored."""
        return str(self.options.get("as", self.name))


# Keys of an `expected` that describes how to check an answer (code suites' tests) rather
# than being the answer itself: python_tests, stdio_tests and task_tests (scorers/*_exec.py).
_DESCRIBES_A_CHECK = frozenset({"test", "tests", "entry_point"})


class Case(_Strict):
    """One test: what to ask, what counts as right, and how to judge it."""

    id: str
    input: str | list[Message]
    context: str | None = None
    expected: Any = None
    # A model answer that must pass this case's scorers; the offline `oracle` answers with it.
    # Defaults to `expected` where that is already an answer (text, number).
    reference: str | None = None
    scorers: list[ScorerSpec] | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("id")
    @classmethod
    def _id_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("case id must not be empty")
        return value

    @property
    def ideal_answer(self) -> Any:
        """What the offline `oracle` answers: `reference`, else `expected` when that is an
        answer already (text, number, a list of them, a JSON document for JSON scorers) and
        None when it describes a check instead, as code suites' tests do (a dict with a
        `tests` key or a `fn`/`inputs` call spec): answering those would be a model's fail
        where the truth is that the oracle has nothing to say (an error)."""
        if self.reference is not None:
            return self.reference
        expected = self.expected
        if isinstance(expected, dict) and _DESCRIBES_A_CHECK & expected.keys():
            return None
        return expected

    @property
    def category(self) -> str | None:
        value = self.metadata.get("category")
        return None if value is None else str(value)


class GenerationParams(_Strict):
    """How a model is asked to generate (temperature, max_tokens, ...); None: its default."""

    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, gt=0)
    top_p: float | None = Field(default=None, gt=0, le=1)
    seed: int | None = None
    stop: list[str] | None = None

    def as_request_params(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


class SuiteHeader(_Strict):
    """Everything about a suite except its cases, which are streamed."""

    name: str
    version: str = "1"
    description: str = ""
    system: str | None = None
    template: str = "{{ input }}"
    scorers: list[ScorerSpec] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    # The generation settings the suite's reference asks for (stop sequences, temperature 0,
    # as lm-eval's generation_kwargs); a model profile's own value of a setting wins.
    params: GenerationParams | None = None
    # A factorial grid declares factors (name -> levels) and a template instead of cases;
    # see suites/grid.py. Cases that differ only outside `matched_by` form a matched set.
    factors: dict[str, list[str | int | float | bool]] | None = None
    matched_by: list[str] | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


class Price(_Strict):
    """US dollars per one million tokens."""

    input: float = Field(ge=0)
    output: float = Field(ge=0)

    def cost(self, input_tokens: int | None, output_tokens: int | None) -> float | None:
        if input_tokens is None and output_tokens is None:
            return None
        return ((input_tokens or 0) * self.input + (output_tokens or 0) * self.output) / 1e6


class ModelProfile(_Strict):
    """A model as benchlab uses it: which API, which params, what it costs, how fast to go.

    `name` is what reports show and what `--model` selects in a models file;
    it defaults to `spec`. Two profiles may share a spec (a speed-first and an
    accuracy-first profile of the same model) and still never share a cache
    entry, because their params differ and params are part of the cache key.
    """

    name: str
    spec: str
    params: GenerationParams = Field(default_factory=GenerationParams)
    system: str | None = None
    price: Price | None = None
    max_concurrency: int | None = Field(default=None, gt=0)
    requests_per_minute: float | None = Field(default=None, gt=0)
    tokens_per_minute: float | None = Field(default=None, gt=0)
    base_url: str | None = None
    api_key_env: str | None = None
    timeout: float | None = Field(default=None, gt=0)

    @property
    def provider(self) -> str:
        return self.spec.split("/", 1)[0]

    @property
    def model_id(self) -> str:
        """The provider-native model name (everything after the first slash)."""
        parts = self.spec.split("/", 1)
        return parts[1] if len(parts) == 2 else ""


class Score(BaseModel):
    """One scorer's verdict on one attempt."""

    scorer: str
    value: float | None
    passed: bool | None
    explanation: str = ""
    details: dict[str, Any] | None = None
    pass_no: int = 0  # 0: the run's own scoring; `benchlab score` adds passes 1, 2, ...


class Attempt(BaseModel):
    """One case answered once by one model, as the store keeps it."""

    id: int
    run_id: str
    suite: str
    case_id: str
    model: str
    sample: int
    status: Literal["ok", "error"]
    prompt: list[dict[str, Any]]
    output: str | None = None
    # A reasoning model's thinking (the provider's reasoning field): shown, never scored.
    reasoning: str | None = None
    tool_calls: list[dict[str, Any]] | None = None
    finish_reason: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    latency_ms: float | None = None
    cost_usd: float | None = None
    error_type: str | None = None
    error_message: str | None = None
    cached: bool = False
    cached_at: datetime | None = None  # when a reused answer was first asked (None: asked now)
    retries: int = 0
    expected: Any = None
    category: str | None = None
    finished_at: datetime | None = None
    scores: list[Score] = Field(default_factory=list)

    @property
    def passed(self) -> bool | None:
        """An attempt passes when it has no error and every scorer with a verdict passed;
        an errored attempt has no verdict (None), it is never a fail."""
        if self.status == "error":
            return None
        verdicts = [s.passed for s in self.scores if s.passed is not None]
        return all(verdicts) if verdicts else None


class Run(BaseModel):
    """A run's row: what was asked for, resolved in full, and how it went."""

    id: str
    status: RunStatus
    created_at: datetime
    finished_at: datetime | None = None
    suites: list[str]
    models: list[str]
    seed: int
    tags: dict[str, str] = Field(default_factory=dict)
    benchlab_version: str
    config: dict[str, Any]
