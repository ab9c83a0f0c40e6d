"""Custom scorers named `package.module:function`, for checks no built-in covers.

The function is plain Python, not a class implementing a protocol, so that
a team's one-off check is a five-line function:

    def mentions_refund_window(case, answer, days=30):
        return str(days) in answer.output

It is called as `fn(case, answer, **options)` (sync or async; it also gets
`ctx=` when it has a parameter of that name, to call models) and may return
a `ScoreResult`, a bool, a number, or a dict with `value` / `passed` /
`explanation` / `details`. The module is imported only when a suite names it,
and every way the reference can be wrong is a `ConfigError` naming it, so a
typo in a suite file fails the run before the first attempt.
"""

from __future__ import annotations

import importlib
import inspect
import math
from collections.abc import Callable
from typing import Any

from benchlab.domain import Case
from benchlab.errors import ConfigError
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult

DEFAULT_THRESHOLD = 0.5


def _resolve(ref: str) -> Callable[..., Any]:
    module_name, sep, attr_path = ref.partition(":")
    if not sep or not module_name.strip() or not attr_path.strip():
        raise ConfigError(f"custom scorer {ref!r}: write it as 'package.module:function'")
    try:
        target: Any = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing == module_name or module_name.startswith(missing + "."):
            raise ConfigError(
                f"custom scorer {ref!r}: no module named {module_name!r} "
                "(is it installed or on PYTHONPATH?)"
            ) from exc
        raise ConfigError(
            f"custom scorer {ref!r}: importing {module_name!r} failed: {exc}"
        ) from exc
    except Exception as exc:  # the user's module is broken; say so in one line
        raise ConfigError(
            f"custom scorer {ref!r}: importing {module_name!r} failed: {type(exc).__name__}: {exc}"
        ) from exc
    for part in attr_path.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise ConfigError(
                f"custom scorer {ref!r}: module {module_name!r} has no attribute {attr_path!r}"
            ) from None
    if not callable(target):
        raise ConfigError(
            f"custom scorer {ref!r}: {attr_path!r} is a {type(target).__name__}, not a function"
        )
    fn: Callable[..., Any] = target
    return fn


def _wants_ctx(fn: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # some builtins and C callables have no signature
        return False
    param = params.get("ctx")
    return param is not None and param.kind in (
        inspect.Parameter.KEYWORD_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    return None


class CustomScorer:
    """Adapts a user function's loose return value to a ScoreResult."""

    __slots__ = ("_fn", "_options", "_threshold", "_wants_ctx", "name")

    def __init__(
        self, ref: str, fn: Callable[..., Any], options: dict[str, Any], threshold: float
    ) -> None:
        self.name = ref
        self._fn = fn
        self._options = options
        self._threshold = threshold
        self._wants_ctx = _wants_ctx(fn)

    def _passes(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return not math.isnan(value) and value >= self._threshold

    def _convert(self, result: Any) -> ScoreResult:
        if isinstance(result, ScoreResult):
            return result
        if isinstance(result, bool):
            return ScoreResult(1.0 if result else 0.0, result, "passed" if result else "failed")
        value = _number(result)
        if value is not None:
            ok = self._passes(value)
            sign = ">=" if ok else "<"
            return ScoreResult(value, ok, f"value {value:g} {sign} threshold {self._threshold:g}")
        if isinstance(result, dict):
            raw = result.get("value")
            value = _number(raw)
            if raw is not None and value is None:
                raise TypeError(f"custom scorer {self.name!r} returned a non-numeric value {raw!r}")
            passed = result.get("passed")
            if passed is None:
                passed = self._passes(value)
            details = result.get("details")
            return ScoreResult(
                value,
                bool(passed) if passed is not None else None,
                str(result.get("explanation", "")),
                details if isinstance(details, dict) else None,
            )
        raise TypeError(
            f"custom scorer {self.name!r} returned {type(result).__name__}; "
            "expected ScoreResult, bool, a number or a dict with value/passed/explanation"
        )

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        kwargs = dict(self._options)
        if self._wants_ctx:
            kwargs["ctx"] = ctx
        result = self._fn(case, answer, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return self._convert(result)


def custom_scorer(ref: str, options: dict[str, Any]) -> CustomScorer:
    """Import `ref` ("package.module:function") and wrap it; ConfigError names the ref."""
    fn = _resolve(ref)
    passed_on = {k: v for k, v in options.items() if k not in ("threshold", "as")}
    threshold = options.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise ConfigError(f"custom scorer {ref!r}: option 'threshold' must be a number")
    scorer = CustomScorer(ref, fn, passed_on, float(threshold))
    if "as" in options:  # the registry renames built-ins the same way
        scorer.name = str(options["as"])
    return scorer
