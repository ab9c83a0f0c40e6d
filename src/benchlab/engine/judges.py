"""Judge models: which ones a run's scorers will call, checked before anything is sent.

A judging scorer (judge, stance) asks the run's `--judge-model` or else its own
`judge_model` option. Finding out at the first verdict that neither is set, or
that the judge's API key is missing, would waste a whole run's answers; so
the plan step resolves every judge and checks it like the models themselves
(`ModelGateway.check_judges`).
"""

from __future__ import annotations

from collections.abc import Iterable

from benchlab.domain import ModelProfile
from benchlab.engine.config import RunConfig
from benchlab.errors import OptionError
from benchlab.scorers.base import Scorer


def profile_for(model: str, config: RunConfig) -> ModelProfile:
    """A run's model profile by name, else `model` read as a `provider/model` spec."""
    found = next((m for m in config.models if m.name == model), None)
    if found is not None:
        return found
    from benchlab.providers.profiles import resolve_models

    return resolve_models([model], option="judge_model")[0]


def judge_models(scorers: Iterable[Scorer], run_judge: str | None, where: str) -> set[str]:
    """The judge models `scorers` will ask; a judging scorer without one is a ConfigError."""
    models: set[str] = set()
    for scorer in scorers:
        if not getattr(scorer, "needs_judge", False):
            continue
        model = run_judge or getattr(scorer, "judge_model", None)
        if not model:
            raise OptionError(
                "judge_model",
                f"{where}: scorer {scorer.name!r} needs a judge model: give it "
                "`judge_model:` in the suite or pass {option}",
            )
        models.add(str(model))
    return models
