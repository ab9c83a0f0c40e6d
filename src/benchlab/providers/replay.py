"""`replay/PATH` and `replay/RUN_ID`: answers recorded earlier, scored as if a model gave them.

A replay file has one answer per line, `{"case_id", "output"}` with optional
`"sample"` (default 0) and `"suite"` (when one file answers several suites).
A case with no recorded answer is an attempt error, not a crash.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from benchlab.domain import ModelProfile
from benchlab.errors import ConfigError, NotFound
from benchlab.providers.base import Completion, GenerateRequest, estimate_tokens, messages_text
from benchlab.providers.errors import NoRecordedAnswer

if TYPE_CHECKING:
    from benchlab.store import Store

Key = tuple[str | None, str, int]  # (suite or None for "any suite", case_id, sample)


def load_replay_file(path: Path) -> dict[Key, str]:
    answers: dict[Key, str] = {}
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"replay/{path}: cannot read: {exc.strerror}") from exc
    with handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ConfigError(f"{path}:{lineno}: invalid JSON: {exc}") from exc
            if not isinstance(row, dict) or "case_id" not in row or "output" not in row:
                raise ConfigError(f"{path}:{lineno}: a replay line needs 'case_id' and 'output'")
            sample = row.get("sample", 0)
            if not isinstance(sample, int) or isinstance(sample, bool) or sample < 0:
                raise ConfigError(f"{path}:{lineno}: 'sample' must be a non-negative integer")
            suite = row.get("suite")
            key = (None if suite is None else str(suite), str(row["case_id"]), sample)
            if key in answers:
                raise ConfigError(
                    f"{path}:{lineno}: second answer for case {row['case_id']!r} sample {sample}"
                )
            answers[key] = "" if row["output"] is None else str(row["output"])
    return answers


def recorded_answers(profile: ModelProfile, store: Store | None) -> dict[Key, str]:
    """The answers `replay/SOURCE` gives: a replay file's, or those recorded in run SOURCE."""
    source = profile.model_id
    path = Path(source)
    if path.is_file():
        return load_replay_file(path)
    if store is not None and not source.endswith((".jsonl", ".json")):
        try:
            run = store.get_run(source)
        except NotFound:
            pass
        else:
            recorded = store.recorded_outputs(run.id)
            return {(s, c, n): out for (s, c, n), out in recorded.items()}
    raise ConfigError(f"model {profile.name!r}: {source!r} is neither a file nor a run id")


class ReplayProvider:
    family = "replay"

    def __init__(self, source: str, answers: dict[Key, str]) -> None:
        self.endpoint = f"replay:{source}"
        self._answers = answers

    async def generate(self, request: GenerateRequest) -> Completion:
        answers = self._answers
        text = answers.get((request.suite, request.case_id, request.sample))
        if text is None:
            text = answers.get((None, request.case_id, request.sample))
        if text is None:
            raise NoRecordedAnswer(
                f"no recorded answer for case {request.case_id!r} sample {request.sample}"
            )
        return Completion(
            text=text,
            finish_reason="stop",
            input_tokens=estimate_tokens(messages_text(request.messages)),
            output_tokens=estimate_tokens(text),
        )

    async def aclose(self) -> None:
        return None
