from __future__ import annotations

from pathlib import Path

import pytest

from benchlab.domain import Case, ScorerSpec
from benchlab.errors import ConfigError
from benchlab.scorers import Answer, ScoreResult, build_scorer
from benchlab.scorers.base import NoModels, Scorer
from benchlab.scorers.custom import custom_scorer

TESTS = Path(__file__).resolve().parents[1]
MOD = "support.custom_scorers"


@pytest.fixture(autouse=True)
def _support_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(TESTS))


async def score(scorer: Scorer, expected: object, output: str) -> ScoreResult:
    case = Case(id="c1", input="q", expected=expected)
    return await scorer.score(case, Answer(output=output), NoModels())


async def test_bool_result_and_options_passed_as_kwargs() -> None:
    scorer = custom_scorer(f"{MOD}:mentions", {"word": "refund"})
    assert scorer.name == f"{MOD}:mentions"
    result = await score(scorer, None, "You get a refund.")
    assert (result.value, result.passed) == (1.0, True)
    result = await score(scorer, None, "No money back.")
    assert (result.value, result.passed) == (0.0, False)
    other = custom_scorer(f"{MOD}:mentions", {"word": "money"})
    assert (await score(other, None, "No money back.")).passed


async def test_float_result_uses_threshold_which_is_not_passed_on() -> None:
    scorer = custom_scorer(f"{MOD}:length_ratio", {})
    result = await score(scorer, "abcd", "ab")
    assert result.value == 0.5 and result.passed  # default threshold 0.5
    assert result.explanation == "value 0.5 >= threshold 0.5"
    strict = custom_scorer(f"{MOD}:length_ratio", {"threshold": 0.9})
    result = await score(strict, "abcd", "ab")
    assert result.value == 0.5 and not result.passed
    assert result.explanation == "value 0.5 < threshold 0.9"


async def test_int_result() -> None:
    scorer = custom_scorer(f"{MOD}:as_int", {})
    assert (await score(scorer, "x", "x")).passed
    assert not (await score(scorer, "x", "y")).passed


async def test_async_function_returning_score_result() -> None:
    scorer = custom_scorer(f"{MOD}:async_result", {"bonus": 0.1})
    result = await score(scorer, "42", " 42 ")
    assert result == ScoreResult(1.0, True, "async compared")
    result = await score(scorer, "42", "41")
    assert result == ScoreResult(0.1, False, "async compared")


async def test_dict_results() -> None:
    scorer = custom_scorer(f"{MOD}:as_dict", {})
    result = await score(scorer, "a", "a")
    assert result == ScoreResult(1.0, True, "dict verdict", {"n": 1})
    result = await score(scorer, "a", "b")
    assert (result.value, result.passed) == (0.25, False)
    only_passed = custom_scorer(f"{MOD}:dict_with_passed", {})
    result = await score(only_passed, "a", "b")
    assert (result.value, result.passed) == (None, True)


async def test_ctx_is_passed_when_the_function_asks_for_it() -> None:
    scorer = custom_scorer(f"{MOD}:wants_ctx", {})
    assert (await score(scorer, None, "x")).passed


async def test_threshold_and_as_are_not_passed_to_the_function() -> None:
    scorer = custom_scorer(f"{MOD}:seen_kwargs", {"threshold": 0.2, "as": "mine", "k": 1})
    assert scorer.name == "mine"
    assert (await score(scorer, None, "x")).explanation == "k"


async def test_dotted_attribute_path() -> None:
    scorer = custom_scorer(f"{MOD}:Namespace.nested", {})
    assert (await score(scorer, None, "x")).passed


@pytest.mark.parametrize("fn", ["returns_none", "returns_text_value"])
async def test_unsupported_return_is_a_type_error_naming_the_ref(fn: str) -> None:
    scorer = custom_scorer(f"{MOD}:{fn}", {})
    with pytest.raises(TypeError, match=f"custom scorer '{MOD}:{fn}'"):
        await score(scorer, None, "x")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no_such_module_xyz:fn", "no module named 'no_such_module_xyz'"),
        ("support.no_such_module:fn", "no module named 'support.no_such_module'"),
        (f"{MOD}:missing", "has no attribute 'missing'"),
        (f"{MOD}:Namespace.missing", "has no attribute 'Namespace.missing'"),
        (f"{MOD}:NOT_CALLABLE", "is a int, not a function"),
        (f"{MOD}:", "write it as 'package.module:function'"),
        (":fn", "write it as 'package.module:function'"),
    ],
)
def test_bad_refs_are_config_errors_naming_the_ref(ref: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        custom_scorer(ref, {})
    assert repr(ref) in str(info.value)


def test_module_failing_at_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "benchlab_broken_scorer.py").write_text("raise RuntimeError('boom at import')\n")
    (tmp_path / "benchlab_bad_dep_scorer.py").write_text("import no_such_dependency_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ConfigError, match="RuntimeError: boom at import"):
        custom_scorer("benchlab_broken_scorer:fn", {})
    with pytest.raises(ConfigError, match="importing 'benchlab_bad_dep_scorer' failed"):
        custom_scorer("benchlab_bad_dep_scorer:fn", {})


def test_bad_threshold() -> None:
    with pytest.raises(ConfigError, match="'threshold' must be a number"):
        custom_scorer(f"{MOD}:mentions", {"threshold": "high"})


async def test_through_the_registry() -> None:
    spec = ScorerSpec.model_validate({"name": f"{MOD}:mentions", "word": "email"})
    scorer = build_scorer(spec)
    assert scorer.name == f"{MOD}:mentions"
    assert (await score(scorer, None, "check your email")).passed
    with pytest.raises(ConfigError, match="no_such_module_xyz"):
        build_scorer(ScorerSpec(name="no_such_module_xyz:fn"))
