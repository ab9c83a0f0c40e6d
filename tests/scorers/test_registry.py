from __future__ import annotations

import json
import subprocess
import sys

import pytest

import benchlab.scorers as scorers
from benchlab.domain import ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers import Scorer, build_scorer, scorer_names

from ._helpers import run

BUILTINS = {"exact", "contains", "regex", "numeric", "fuzzy", "choice", "json"}


def spec(data: object) -> ScorerSpec:
    return ScorerSpec.model_validate(data)


def test_public_api() -> None:
    assert set(scorers.__all__) == {
        "Answer",
        "ScoreContext",
        "ScoreResult",
        "Scorer",
        "build_scorer",
        "register",
        "scorer_names",
    }


def test_every_builtin_is_registered() -> None:
    assert set(scorer_names()) >= BUILTINS


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_every_builtin_builds_from_a_bare_name(name: str) -> None:
    scorer = build_scorer(spec(name))
    assert isinstance(scorer, Scorer)
    assert scorer.name == name


@pytest.mark.parametrize(
    ("data", "expected", "good", "bad"),
    [
        ({"name": "exact", "case_sensitive": True}, "Paris", "Paris", "paris"),
        ({"name": "contains", "mode": "any"}, ["a b", "c d"], "x c d", "x"),
        ({"name": "regex", "pattern": r"^\d+$", "full_match": True}, None, "42", "42a"),
        ({"name": "numeric", "tolerance": 0.01}, 3.14, "pi is 3.141", "3.2"),
        ({"name": "fuzzy", "threshold": 0.9, "method": "token_sort_ratio"}, "b a", "a b", "c"),
        ({"name": "choice", "choices": "ABCDE"}, "E", "Answer: E", "Answer: A"),
        ({"name": "json", "schema": {"type": "array"}}, None, "[1]", '{"a": 1}'),
    ],
)
def test_options_from_a_suite_mapping(
    data: dict[str, object], expected: object, good: str, bad: str
) -> None:
    scorer = build_scorer(spec(data))
    assert run(scorer, expected, good).passed
    assert not run(scorer, expected, bad).passed


def test_as_renames_the_scorer() -> None:
    scorer = build_scorer(spec({"name": "exact", "as": "exact_strict", "case_sensitive": True}))
    assert scorer.name == "exact_strict"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "numeric", "tolerance": -1}, "scorer 'numeric': option 'tolerance'"),
        ({"name": "numeric", "tolerence": 0.1}, "scorer 'numeric': bad options"),
        ({"name": "exact", "case_sensitive": "no"}, "scorer 'exact': option 'case_sensitive'"),
        ({"name": "contains", "mode": "some"}, "scorer 'contains': option 'mode'"),
        ({"name": "regex", "pattern": "(("}, "scorer 'regex': option 'pattern': invalid regex"),
        ({"name": "fuzzy", "threshold": 85}, "scorer 'fuzzy': option 'threshold'"),
        ({"name": "fuzzy", "method": "wratio"}, "scorer 'fuzzy': option 'method'"),
        ({"name": "choice", "choices": "A1"}, "scorer 'choice': option 'choices'"),
        ({"name": "json", "schema": {"type": 5}}, "scorer 'json': invalid JSON schema"),
        ({"name": "no_such_scorer"}, "unknown scorer 'no_such_scorer'"),
    ],
)
def test_bad_configuration_is_a_config_error(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        build_scorer(spec(data))


def test_heavy_dependencies_load_only_when_needed() -> None:
    # A fresh interpreter: importing benchlab.scorers and listing/building the
    # cheap scorers must not pull in rapidfuzz or jsonschema (CLI start-up).
    code = (
        "import sys\n"
        "from benchlab.domain import ScorerSpec\n"
        "from benchlab.scorers import build_scorer, scorer_names\n"
        "scorer_names()\n"
        "cheap = ('exact', 'contains', 'regex', 'numeric', 'choice', 'json', 'gsm8k', 'mmlu_pro')\n"
        "for n in cheap:\n"
        "    build_scorer(ScorerSpec(name=n))\n"
        "heavy = ('rapidfuzz', 'jsonschema', 'nltk', 'langdetect', 'math_verify', 'sympy')\n"
        "heavy = sorted(m for m in heavy if m in sys.modules)\n"
        "assert not heavy, heavy\n"
        "build_scorer(ScorerSpec(name='fuzzy'))\n"
        "assert 'rapidfuzz' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_every_builtin_lives_where_the_registry_says() -> None:
    """The one name -> "module:factory" table resolves, each name to its own module's factory."""
    from benchlab.scorers import registry

    for name, ref in registry.BUILTINS.items():
        factory = registry.find_factory(name)
        assert callable(factory), name
        module, _, attr = ref.partition(":")
        assert (factory.__module__, factory.__name__) == (module, attr), name
    assert set(registry.scorer_names()) >= set(registry.BUILTINS)


def test_building_one_scorer_imports_only_its_module() -> None:
    """No other built-in's module (the sandbox, the judges) loads for `exact`, nor any plugin."""
    from benchlab.scorers import registry

    code = (
        "import json, sys\n"
        "from benchlab.domain import ScorerSpec\n"
        "from benchlab.scorers import build_scorer\n"
        "build_scorer(ScorerSpec(name='exact'))\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, timeout=60, text=True, capture_output=True
    ).stdout
    loaded = set(json.loads(out))
    modules = {ref.partition(":")[0] for ref in registry.BUILTINS.values()}
    assert loaded & modules == {"benchlab.scorers.match"}
    assert "benchlab.sandbox" not in loaded
