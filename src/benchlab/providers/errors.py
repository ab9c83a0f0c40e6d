"""Provider failures, mapped from HTTP and client-library errors at the boundary.

Retry logic looks only at these types, never at aiohttp or SDK classes. Each
type has the error *kind* recorded on an errored attempt (`error_type`), the
names a user sees counted in `show`, the JSON summary and on stderr::

    ProviderError                 kind          retryable?
    ├── RateLimited               rate_limit    yes, after `retry_after` when the server said so
    ├── ProviderTimeout           timeout       yes (no answer within the request timeout)
    ├── ConnectionFailed          transport     yes (refused, reset, DNS, body cut short)
    ├── ServerError               server        yes (5xx)
    ├── BadResponse               bad_response  yes (a 2xx body that is not the documented shape)
    ├── AuthenticationFailed      auth          no  (401/403: retrying cannot help)
    ├── RequestRejected           rejected      no  (other 4xx: the request itself is wrong)
    │   └── ModelNotFound         not_found     no  (404: no such model at this endpoint)
    └── NoRecordedAnswer          not_found     no  (replay has no line for this case)

`fatal` errors (auth, model not found) say the endpoint will refuse every
request of this model: the engine stops sending to it after a few (see
engine/lane_health.py) instead of failing the whole suite one request at a time.
"""

from __future__ import annotations

from datetime import UTC


class ProviderError(Exception):
    retryable: bool = False
    fatal: bool = False  # every later request of this model will fail the same way
    KIND = "transport"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def kind(self) -> str:
        """The error kind recorded on the attempt (`error_type`)."""
        return self.KIND


class RateLimited(ProviderError):
    KIND = "rate_limit"
    retryable = True

    def __init__(
        self, message: str, *, retry_after: float | None = None, status: int | None = 429
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ProviderTimeout(ProviderError):
    KIND = "timeout"
    retryable = True


class ConnectionFailed(ProviderError):
    KIND = "transport"
    retryable = True


class ServerError(ProviderError):
    KIND = "server"
    retryable = True


class BadResponse(ProviderError):
    KIND = "bad_response"
    retryable = True


class AuthenticationFailed(ProviderError):
    KIND = "auth"
    retryable = False
    fatal = True


class RequestRejected(ProviderError):
    KIND = "rejected"
    retryable = False


class ModelNotFound(RequestRejected):
    """404: the endpoint does not know this model (a typo, a model not pulled)."""

    KIND = "not_found"
    fatal = True


class NoRecordedAnswer(ProviderError):
    KIND = "not_found"
    retryable = False


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from datetime import datetime
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def error_for_status(status: int, message: str, retry_after: float | None = None) -> ProviderError:
    """Map an HTTP error status to our error type."""
    if status == 429 or status == 529:
        return RateLimited(message, retry_after=retry_after, status=status)
    if status in (401, 403):
        return AuthenticationFailed(message, status=status)
    if status == 408:
        return ProviderTimeout(message, status=status)
    if status >= 500:
        return ServerError(message, status=status)
    if status == 404:
        return ModelNotFound(message, status=status)
    return RequestRejected(message, status=status)
