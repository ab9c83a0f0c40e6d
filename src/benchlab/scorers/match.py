"""The match family: `exact`, `contains` and `regex`, the cheap scorers most suites start with.

All three read the reference from the case's `expected` (a string or a list)
and, for `exact` and `contains`, compare normalised text (see `normalize`) so
that "Paris." and "**paris**" agree. Reference-side work (normalising,
compiling) is cached because the same reference is scored once per model and
sample.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from benchlab.domain import Case
from benchlab.scorers.base import Answer, ScoreContext, ScoreResult
from benchlab.scorers.normalize import (
    as_text,
    normalize_cached,
    normalize_text,
    preview,
    require_bool,
    require_choice,
)


def expected_strings(case: Case, scorer: str) -> list[str]:
    """The case's reference as a non-empty list of strings.

    Numbers are accepted (`expected: 30` is the natural YAML) and written the
    way YAML read them; booleans become `true` / `false`. Anything else (None,
    a mapping, an empty list) is a broken case, reported by id.
    """
    raw = case.expected
    items = raw if isinstance(raw, list | tuple) else [raw]
    if not items:
        raise ValueError(f"case {case.id!r}: {scorer} scorer needs `expected`, got an empty list")
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, int | float):
            out.append(str(item))
        else:
            what = "nothing" if item is None else preview(item)
            raise ValueError(
                f"case {case.id!r}: {scorer} scorer needs `expected` to be a string "
                f"or a list of strings, got {what}"
            )
    return out


class _TextScorer:
    """Shared normalisation settings of `exact` and `contains`."""

    __slots__ = ("_casefold", "_normalize", "_remove_articles", "name")

    def __init__(
        self, name: str, *, case_sensitive: bool, normalize: bool, remove_articles: bool
    ) -> None:
        self.name = name
        self._casefold = not case_sensitive
        self._normalize = normalize
        self._remove_articles = remove_articles

    def _reference(self, text: str) -> str:
        if self._normalize:
            return normalize_cached(text, self._casefold, self._remove_articles)
        return text.strip().casefold() if self._casefold else text.strip()

    def _output(self, text: str) -> str:
        if self._normalize:
            return normalize_text(
                text, casefold=self._casefold, remove_articles=self._remove_articles
            )
        return text.strip().casefold() if self._casefold else text.strip()


class ExactScorer(_TextScorer):
    """Pass when the normalised answer equals one of the normalised references."""

    __slots__ = ()

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        refs = expected_strings(case, self.name)
        got = self._output(as_text(answer.output))
        for ref in refs:
            if self._reference(ref) == got:
                return ScoreResult(1.0, True, f"matched {preview(ref)}")
        want = preview(refs[0]) if len(refs) == 1 else "one of " + preview(refs)
        return ScoreResult(0.0, False, f"expected {want}, found {preview(got)}")


def exact(
    *, case_sensitive: Any = False, normalize: Any = True, remove_articles: Any = False
) -> ExactScorer:
    """`normalize: false` still trims surrounding whitespace (every model adds a newline)."""
    return ExactScorer(
        "exact",
        case_sensitive=require_bool("case_sensitive", case_sensitive),
        normalize=require_bool("normalize", normalize),
        remove_articles=require_bool("remove_articles", remove_articles),
    )


@lru_cache(maxsize=4096)
def _word_pattern(needle: str) -> re.Pattern[str]:
    # Word edges only where the needle itself starts/ends with a word
    # character, so "C++" and "$5" can still be found as whole tokens.
    head = r"(?<!\w)" if needle[:1].isalnum() or needle[:1] == "_" else ""
    tail = r"(?!\w)" if needle[-1:].isalnum() or needle[-1:] == "_" else ""
    return re.compile(head + re.escape(needle) + tail)


class ContainsScorer(_TextScorer):
    """Each reference item must appear in the answer (`all`) or at least one (`any`).

    The value is the fraction of items found in `all` mode, so a partial
    answer shows as partial in aggregates while still failing.
    """

    __slots__ = ("_mode", "_whole_words")

    def __init__(self, *, mode: str, whole_words: bool, **kwargs: bool) -> None:
        super().__init__("contains", **kwargs)
        self._mode = mode
        self._whole_words = whole_words

    def _found(self, needle: str, haystack: str) -> bool:
        if self._whole_words:
            return _word_pattern(needle).search(haystack) is not None
        return needle in haystack

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        refs = expected_strings(case, self.name)
        got = self._output(as_text(answer.output))
        needles = [self._reference(ref) for ref in refs]
        if not all(needles):
            # An empty item is in every answer; that is a broken case, not a pass.
            raise ValueError(
                f"case {case.id!r}: contains scorer got an empty item in `expected`: "
                f"{preview(refs)}"
            )
        missing = [ref for ref, n in zip(refs, needles, strict=True) if not self._found(n, got)]
        hits = len(refs) - len(missing)
        if self._mode == "any":
            ok = hits > 0
            if ok:
                return ScoreResult(1.0, True, f"found {hits}/{len(refs)} of {preview(refs)}")
            return ScoreResult(0.0, False, f"found none of {preview(refs)}")
        ok = not missing
        if ok:
            return ScoreResult(1.0, True, f"found all {len(refs)} of {preview(refs)}")
        return ScoreResult(
            hits / len(refs),
            False,
            f"missing {preview(missing)} (found {hits}/{len(refs)})",
        )


def contains(
    *,
    mode: Any = "all",
    case_sensitive: Any = False,
    normalize: Any = True,
    whole_words: Any = False,
    remove_articles: Any = False,
) -> ContainsScorer:
    return ContainsScorer(
        mode=require_choice("mode", mode, ("all", "any")),
        whole_words=require_bool("whole_words", whole_words),
        case_sensitive=require_bool("case_sensitive", case_sensitive),
        normalize=require_bool("normalize", normalize),
        remove_articles=require_bool("remove_articles", remove_articles),
    )


@lru_cache(maxsize=4096)
def _compile(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _compile_checked(pattern: Any, flags: int, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise ValueError(f"{where}: a regex must be a non-empty string, got {preview(pattern)}")
    try:
        return _compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"{where}: invalid regex {preview(pattern)}: {exc}") from exc


class RegexScorer:
    """Pass when the answer matches the pattern(s): any of them by default, or all.

    Patterns given as the `pattern` option are compiled once here; patterns
    taken from a case's `expected` are compiled on first use and cached. The
    option wins when both exist, because `expected` may hold the reference
    text for the suite's other scorers.
    """

    __slots__ = ("_flags", "_full_match", "_mode", "_patterns", "name")

    def __init__(
        self, patterns: list[re.Pattern[str]] | None, flags: int, full_match: bool, mode: str
    ) -> None:
        self.name = "regex"
        self._patterns = patterns
        self._flags = flags
        self._full_match = full_match
        self._mode = mode

    def _case_patterns(self, case: Case) -> list[re.Pattern[str]]:
        raw = case.expected
        items = raw if isinstance(raw, list) else [raw]
        if raw is None or not items:
            raise ValueError(
                f"case {case.id!r}: regex scorer needs a `pattern` option "
                "or `expected` holding a pattern or a list of patterns"
            )
        where = f"case {case.id!r}"
        return [_compile_checked(p, self._flags, where) for p in items]

    async def score(self, case: Case, answer: Answer, ctx: ScoreContext) -> ScoreResult:
        patterns = self._patterns if self._patterns is not None else self._case_patterns(case)
        text = as_text(answer.output)
        if self._full_match:
            text = text.strip()
            hits = [p for p in patterns if p.fullmatch(text) is not None]
        else:
            hits = [p for p in patterns if p.search(text) is not None]
        how = "fully match" if self._full_match else "match"
        names = [p.pattern for p in patterns]
        if self._mode == "all":
            if len(hits) == len(patterns):
                return ScoreResult(1.0, True, f"all {len(patterns)} pattern(s) {how}")
            failed = [p.pattern for p in patterns if p not in hits]
            return ScoreResult(
                len(hits) / len(patterns),
                False,
                f"no {how} for {preview(failed)} ({len(hits)}/{len(patterns)})",
            )
        if hits:
            return ScoreResult(1.0, True, f"answer {how}es {preview(hits[0].pattern)}")
        target = preview(names[0]) if len(names) == 1 else "any of " + preview(names)
        return ScoreResult(0.0, False, f"answer does not {how} {target}")


def regex(
    *,
    pattern: Any = None,
    ignore_case: Any = True,
    full_match: Any = False,
    mode: Any = "any",
) -> RegexScorer:
    """`pattern` may be one pattern or a list; without it each case's `expected` is used."""
    flags = re.IGNORECASE if require_bool("ignore_case", ignore_case) else 0
    full = require_bool("full_match", full_match)
    how = require_choice("mode", mode, ("any", "all"))
    compiled: list[re.Pattern[str]] | None = None
    if pattern is not None:
        items = pattern if isinstance(pattern, list) else [pattern]
        if not items:
            raise ValueError("option 'pattern' must not be an empty list")
        compiled = [_compile_checked(p, flags, "option 'pattern'") for p in items]
    return RegexScorer(compiled, flags, full, how)
