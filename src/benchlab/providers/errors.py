"""Provider failures, mapped from HTTP and client-library errors at the boundary.

Retry logic looks only at these types, never at aiohttp or SDK classes::

    ProviderError                 retryable?
    ├── RateLimited               yes, after `retry_after` when the server said so (429, 529)
    ├── ProviderTimeout           yes (no answer within the request timeout)
    ├── ConnectionFailed          yes (refused, reset, DNS, body cut short)
    ├── ServerError               yes (5xx)
    ├── BadResponse               yes (a 2xx body that is not the documented shape)
    ├── AuthenticationFailed      no  (401/403: retrying cannot help)
    ├── RequestRejected           no  (other 4xx: the request itself is wrong)
    └── NoRecordedAnswer          no  (replay has no line for this case)
"""

from __future__ import annotations

from datetime import UTC


class ProviderError(Exception):
    retryable: bool = False

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def kind(self) -> str:
        """The error type recorded on the attempt."""
        return type(self).__name__


class RateLimited(ProviderError):
    retryable = True

    def __init__(
        self, message: str, *, retry_after: float | None = None, status: int | None = 429
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ProviderTimeout(ProviderError):
    retryable = True


class ConnectionFailed(ProviderError):
    retryable = True


class ServerError(ProviderError):
    retryable = True


class BadResponse(ProviderError):
    retryable = True


class AuthenticationFailed(ProviderError):
    retryable = False


class RequestRejected(ProviderError):
    retryable = False


class NoRecordedAnswer(ProviderError):
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
    return RequestRejected(message, status=status)
