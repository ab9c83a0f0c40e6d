"""Stop asking a model that refuses every request (bad key, no such model).

A wrong API key fails every request the same way; sending the whole suite
only to record thousands of identical 401s wastes time and buries the cause.
Until a lane has seen one answer (or any error that is not fatal), its
requests go one at a time, so that a bad key costs a handful of requests, not
`--concurrency` of them; after `FATAL_STREAK` fatal errors in a row with no
answer ever, the lane stops and the rest of its planned attempts are *not
sent and not recorded*: they stay unfinished, so `benchlab resume RUN_ID
--retry-errors` (or plain `resume`) asks them once the key is fixed, and the
run's numbers count only attempts that were really made. A judge model that
refuses is stopped the same way: the attempts it would have judged are errors
of its kind (the model answered; the verdict is missing), without a request.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus

from benchlab.providers.errors import AuthenticationFailed, ProviderError

FATAL_STREAK = 3  # fatal errors in a row, with no answer on the lane, that stop it


class LaneHealth:
    """One model lane's record of fatal errors; decides when to stop sending."""

    def __init__(self, model: str, spec: str, endpoint: str, key_env: str | None) -> None:
        self.model = model
        self.spec = spec
        self.endpoint = endpoint
        self.key_env = key_env
        self.open = False  # an answer (or a non-fatal error) came back: full concurrency
        self.answered = False
        self.streak = 0
        self.stopped: ProviderError | None = None
        self.skipped = 0  # planned attempts not sent once stopped
        self.probe = asyncio.Lock()

    def observe(self, error: BaseException | None) -> None:
        """Count one finished request (error None: an answer)."""
        if error is None:
            self.open = self.answered = True
            self.streak = 0
            return
        if isinstance(error, ProviderError) and error.fatal:
            self.streak += 1
            if self.streak >= FATAL_STREAK and not self.answered and self.stopped is None:
                self.stopped = error
            return
        self.open = True
        self.streak = 0

    def message(self) -> str:
        """One line naming the model, the endpoint, the status and what to check."""
        error = self.stopped
        assert error is not None
        status = error.status
        if status is not None:
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:
                phrase = ""
            what = f"{status} {phrase}".strip()
        else:
            what = error.kind
        if isinstance(error, AuthenticationFailed):
            hint = f"check {self.key_env}" if self.key_env else "check the API key"
        else:
            hint = "check the model name and the endpoint URL (does it serve this model?)"
        return (
            f"{self.spec} at {self.endpoint}: {what} — {hint} (stopped after "
            f"{self.streak} requests, {self.skipped} more not sent: {error})"
        )
