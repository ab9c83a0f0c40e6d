"""What a run will do: suites loaded and sampled, scorers built, work items streamed.

Everything that can be wrong with a run's input is found here, before the run
row exists and before any request is sent: a bad suite, a case without a
scorer, a scorer with bad options, an unknown model, a missing key. Work items
are generated lazily, case by case, so memory stays flat however large the
suite is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from benchlab.domain import Case, GenerationParams, ModelProfile, ScorerSpec, SuiteHeader
from benchlab.engine._json import dumps_canonical, dumps_text
from benchlab.engine.config import RunConfig
from benchlab.engine.loglikelihood import (
    cache_parts,
    check_case,
    estimate_loglikelihood,
    loglikelihood_messages,
)
from benchlab.errors import ConfigError, OptionError, SuiteError
from benchlab.providers.base import estimate_tokens, messages_text
from benchlab.scorers.base import Scorer
from benchlab.scorers.choice_logprobs import is_loglikelihood_mode
from benchlab.scorers.registry import build_scorer
from benchlab.suites import LoadedSuite, PromptRenderer, load_suite, sample_suite, select_cases
from benchlab.suites.review import runnable_ids

CACHE_CHUNK = 256
DEFAULT_TEMPLATE = SuiteHeader.model_fields["template"].default


@dataclass
class SuitePlan:
    """One suite of a run: its cases to ask, the prompt renderers, the scorers."""

    suite: LoadedSuite
    selected: set[str] | None  # None: every case (no set of ids to hold for a full run)
    default_scorers: list[ScorerSpec]
    scoring: bool = True  # False: `run --no-score`, no scorer is built or needed
    _renderers: dict[str | None, PromptRenderer] = field(default_factory=dict)
    _scorers: dict[str, list[Scorer]] = field(default_factory=dict)
    # Its cases are asked for the logprobs of their continuations (engine/loglikelihood.py);
    # read once here, as every work item asks.
    loglikelihood: bool = field(init=False)

    def __post_init__(self) -> None:
        self.loglikelihood = is_loglikelihood_mode(self.suite.header.metadata)

    @property
    def name(self) -> str:
        return self.suite.header.name

    def cases(self) -> Iterator[tuple[int, Case]]:
        """(position in the suite, case) of the selected cases, streamed from the source."""
        selected = self.selected
        for position, case in enumerate(self.suite.iter_cases()):
            if selected is None or case.id in selected:
                yield position, case

    def is_uniform(self) -> bool:
        """No case brings its own scorers and the template is the default: validating one
        case validates them all (the loader has already checked every case's fields)."""
        suite = self.suite
        return (
            not suite.own_scorers
            and suite.header.template == DEFAULT_TEMPLATE
            and not self.loglikelihood  # each case brings its own context and continuations
        )

    def check_uniform(self) -> int:
        """Build the shared scorers once; the number of cases this plan selects."""
        first_id = next((case_id for case_id, _ in self.suite.index()[:1]), "?")
        if self.scoring:
            if not self.default_scorers:
                raise ConfigError(
                    f"suite {self.name!r}: case {first_id!r} has no scorer "
                    "(give the suite `scorers:`, the case `scorers:`, or pass --scorer NAME)"
                )
            key_case = Case(id=first_id, input="")
            self.scorers_for(key_case)
        return self.suite.n_cases if self.selected is None else len(self.selected)

    def renderer(self, system: str | None) -> PromptRenderer:
        found = self._renderers.get(system)
        if found is None:
            found = self._renderers[system] = PromptRenderer(self.suite.header, system)
        return found

    def built_scorers(self) -> list[Scorer]:
        """Every scorer instance built so far (for closing those that hold resources)."""
        return [s for group in self._scorers.values() for s in group]

    def scorer_specs(self, case: Case) -> list[ScorerSpec]:
        return case.scorers if case.scorers else self.default_scorers

    def scorers_for(self, case: Case) -> list[Scorer]:
        specs = self.scorer_specs(case)
        # Most cases use the suite's defaults: skip building a key for them (hot path).
        key = (
            ""
            if not case.scorers
            else json.dumps([s.model_dump() for s in specs], sort_keys=True, default=str)
        )
        found = self._scorers.get(key)
        if found is None:
            if not specs:
                raise ConfigError(
                    f"suite {self.name!r}: case {case.id!r} has no scorer "
                    "(give the suite `scorers:`, the case `scorers:`, or pass --scorer NAME)"
                )
            try:
                found = [build_scorer(spec) for spec in specs]
            except ConfigError as exc:
                raise ConfigError(f"suite {self.name!r}: case {case.id!r}: {exc}") from exc
            self._scorers[key] = found
        return found


@dataclass(slots=True)
class WorkItem:
    suite: SuitePlan
    position: int
    case: Case
    model: ModelProfile
    sample: int
    messages: list[dict[str, Any]]
    prompt_json: str
    params: dict[str, Any]
    cache_key: str | None = None
    cached: dict[str, Any] | None = None


def plan_suites(config: RunConfig) -> list[SuitePlan]:
    for spec in config.scorers:  # checked even when every case brings its own scorers
        try:
            build_scorer(spec)
        except ConfigError as exc:
            raise OptionError("scorers", f"{{option}} {spec.name}: {exc}") from exc
    plans: list[SuitePlan] = []
    seen: dict[str, str] = {}
    for ref in config.suites:
        suite = ref if isinstance(ref, LoadedSuite) else load_suite(ref)
        name = suite.header.name
        if name in seen:
            raise SuiteError(f"{suite.source}: suite name {name!r} is also used by {seen[name]}")
        seen[name] = suite.source
        selected = None
        runnable = runnable_ids(suite, config.include_unreviewed)  # None: no review needed
        if runnable is not None:
            index = [(case_id, c) for case_id, c in suite.index() if case_id in runnable]
            selected = set(select_cases(index, config.limit, config.seed))
        elif config.limit is not None and config.limit < suite.n_cases:
            selected = set(sample_suite(suite, config.limit, config.seed))
        default = config.scorers or suite.header.scorers
        plans.append(
            SuitePlan(suite=suite, selected=selected, default_scorers=default, scoring=config.score)
        )
    return plans


def validate_cases(
    plans: list[SuitePlan],
    models: list[ModelProfile],
    on_case: Callable[[SuitePlan, int, Case], None] | None = None,
) -> int:
    """One streaming pass over the selected cases: scorers build, prompts render.

    `on_case` sees every selected case once (the engine records cases with it).
    Returns the number of selected cases over all suites.
    """
    total = 0
    systems = {m.system for m in models}
    for plan in plans:
        if on_case is None and plan.is_uniform():
            # Nothing can differ between cases: check once instead of reading every case again.
            total += plan.check_uniform()
            continue
        for position, case in plan.cases():
            if plan.scoring:
                plan.scorers_for(case)
            if plan.loglikelihood:
                check_case(plan, case)
            else:
                for system in systems:
                    plan.renderer(system).render(case)
            if on_case is not None:
                on_case(plan, position, case)
            total += 1
    return total


def request_params(
    profile: ModelProfile, sample: int, suite: GenerationParams | None = None
) -> dict[str, Any]:
    """The params sent: the suite's defaults (its reference's stop sequences, temperature),
    then the profile's, which win setting by setting."""
    params = profile.params.as_request_params()
    if suite is not None:
        params = {**suite.as_request_params(), **params}
    if sample and "seed" in params:
        # Several samples with one fixed seed would be one sample repeated.
        params["seed"] = int(params["seed"]) + sample
    return params


def request_cache_key(
    family: str,
    endpoint: str,
    model_id: str,
    params: dict[str, Any],
    messages: list[dict[str, Any]],
    sample: int,
    extra: dict[str, Any] | None = None,
) -> str:
    """The response-cache key: everything that can change an answer, nothing else.

    Two models never share an entry (the endpoint and model id are in the key),
    nor do two profiles of one model with different params.
    """
    parts: list[Any] = [family, endpoint, model_id, params, messages, sample]
    if extra:
        parts.append(extra)
    blob = dumps_canonical(parts)
    return hashlib.sha256(blob.encode()).hexdigest()


def cache_key(endpoint: str, family: str, item: WorkItem) -> str:
    if item.suite.loglikelihood:
        # Logprobs depend on the context and continuations, not on generation params.
        return request_cache_key(
            family, endpoint, item.model.model_id, {}, cache_parts(item.case), item.sample
        )
    return request_cache_key(
        family, endpoint, item.model.model_id, item.params, item.messages, item.sample
    )


def work_items(
    plans: list[SuitePlan],
    model: ModelProfile,
    samples: int,
    done: set[tuple[str, str, str, int]],
    on_case: Callable[[SuitePlan, int, Case], None] | None = None,
) -> Iterator[WorkItem]:
    """One model's work, case by case. `on_case` sees every selected case (asked or
    already done): the engine records cases with it on one model's stream, which saves
    a pass over the suite file."""
    # Per sample, made when first needed: a list of every sample's params would be built
    # before the first request (and hold `samples` dicts) however few are left to ask.
    name = model.name
    for plan in plans:
        params_by_sample: dict[int, dict[str, Any]] = {}
        suite_params = plan.suite.header.params
        renderer = plan.renderer(model.system)
        render = loglikelihood_messages if plan.loglikelihood else renderer.render
        suite_name = plan.name
        for position, case in plan.cases():
            if on_case is not None:
                on_case(plan, position, case)
            messages: list[dict[str, Any]] | None = None
            prompt_json = ""
            for sample in range(samples):
                if (suite_name, case.id, name, sample) in done:
                    continue
                if messages is None:
                    messages = render(case)
                    prompt_json = dumps_text(messages)
                params = params_by_sample.get(sample)
                if params is None:
                    params = params_by_sample[sample] = request_params(model, sample, suite_params)
                yield WorkItem(
                    plan,
                    position,
                    case,
                    model,
                    sample,
                    messages,
                    prompt_json,
                    params,
                )


def estimate(item: WorkItem) -> tuple[int, int]:
    """(input, output) token estimates for dry runs and tokens/min limiting."""
    if item.suite.loglikelihood:
        return estimate_loglikelihood(item.case)
    input_tokens = estimate_tokens(messages_text(item.messages))
    max_tokens = item.params.get("max_tokens")
    reference = item.case.reference if item.case.reference is not None else item.case.expected
    guess = estimate_tokens(str(reference)) if reference is not None else 64
    output = min(int(max_tokens), max(guess, 1)) if max_tokens else max(guess, 1)
    return input_tokens, output
