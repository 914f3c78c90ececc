"""Exceptions raised by the InferenceKey SDK.

Every exception derives from :class:`InferenceKeyError`. Errors that carry an HTTP answer derive
from :class:`ApiError` (``status``, ``code``, ``message``), so ``except ApiError`` catches them all:

- :class:`AuthError`: 401 (no or malformed token) and 403 (unknown, revoked, expired, wrong plane
  or out-of-scope token; the server deliberately does not say which).
- :class:`RateLimitError`: 429; ``retry_after`` holds the server's Retry-After in seconds.
  :class:`QuotaExceededError` (a RateLimitError) is a 429 with code ``insufficient_quota``: a budget
  is exhausted and retrying will not help, so it is never retried.
- :class:`NotFoundError`: 404 (unknown workload, project or route).
- :class:`ConflictError`: 409 (``existing_id`` when a slug exists).
- :class:`ValidationError`: 400/422 (``fields`` maps field names to messages).
- :class:`ApiError` itself for everything else (5xx, 413, ...).

Errors without an HTTP answer: :class:`ConfigurationError` (a missing or wrong setting),
:class:`NetworkError` / :class:`RequestTimeoutError` (no answer), :class:`WaitTimeoutError` and
:class:`WorkloadFailedError` (``wait_until_ready``).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional


class InferenceKeyError(Exception):
    """Base class of every error the SDK raises."""


class ConfigurationError(InferenceKeyError, ValueError):
    """A required setting is missing or wrong (for example ``INFERENCEKEY_SDK_TOKEN`` is not set)."""


class NetworkError(InferenceKeyError, ConnectionError):
    """The server could not be reached, or the connection broke before an answer."""


class RequestTimeoutError(NetworkError, TimeoutError):
    """No answer within the client's timeout."""


class ApiError(InferenceKeyError):
    """The server answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        type: Optional[str] = None,
        retry_after: Optional[float] = None,
        request_id: Optional[str] = None,
        fields: Optional[Dict[str, List[str]]] = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.type = type
        self.retry_after = retry_after
        self.request_id = request_id
        self.fields = fields
        self.body = body

    def __str__(self) -> str:
        head = " ".join(str(p) for p in (self.status, self.code) if p not in (None, ""))
        text = f"{head}: {self.message}" if head else self.message
        if self.fields:
            details = "; ".join(f"{k}: {', '.join(v)}" for k, v in self.fields.items())
            text = f"{text} ({details})"
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, code={self.code!r}, message={self.message!r})"


class AuthError(ApiError):
    """401 or 403: the token is missing, malformed, unknown, revoked, expired or not valid here."""


class NotFoundError(ApiError):
    """404: no such workload, project or route."""


class RateLimitError(ApiError):
    """429: too many requests. ``retry_after`` is the server's hint in seconds (or None)."""


class QuotaExceededError(RateLimitError):
    """429 with code ``insufficient_quota``: a token or project budget is exhausted (never retried)."""


class ConflictError(ApiError):
    """409: for example a workload slug that exists (``existing_id`` names it)."""

    @property
    def existing_id(self) -> Optional[str]:
        err = self.body.get("error") if isinstance(self.body, dict) else None
        value = err.get("existing_id") if isinstance(err, dict) else None
        return value if isinstance(value, str) else None


class ValidationError(ApiError):
    """400/422: invalid input; ``fields`` maps each field to its messages."""


class WaitTimeoutError(InferenceKeyError, TimeoutError):
    """``wait_until_ready`` gave up; ``workload`` is the last state seen."""

    def __init__(self, message: str, workload: Any = None) -> None:
        super().__init__(message)
        self.workload = workload


class WorkloadFailedError(InferenceKeyError):
    """The workload reached a state it will not leave by waiting (failed, stopped or deleted)."""

    def __init__(self, message: str, workload: Any = None) -> None:
        super().__init__(message)
        self.workload = workload


def error_for_status(
    status: int,
    body: Any,
    *,
    retry_after: Optional[float] = None,
    request_id: Optional[str] = None,
    fallback_message: str = "",
) -> ApiError:
    """Builds the exception for an HTTP error answer (control- or data-plane body shape)."""
    err = body.get("error") if isinstance(body, dict) else None
    message = fallback_message or f"HTTP {status}"
    code: Optional[str] = None
    etype: Optional[str] = None
    fields = None
    if isinstance(err, dict):
        if isinstance(err.get("message"), str) and err["message"]:
            message = err["message"]
        if err.get("code") is not None:
            code = str(err["code"])
        if isinstance(err.get("type"), str):
            etype = err["type"]
        if isinstance(err.get("fields"), dict):
            fields = err["fields"]
    elif isinstance(err, str) and err:
        message = err
    kwargs: Dict[str, Any] = dict(
        status=status, code=code, type=etype, retry_after=retry_after, request_id=request_id, fields=fields, body=body
    )
    if status in (401, 403):
        return AuthError(message, **kwargs)
    if status == 404:
        return NotFoundError(message, **kwargs)
    if status == 409:
        return ConflictError(message, **kwargs)
    if status == 429:
        if code == "insufficient_quota" or etype == "insufficient_quota":
            return QuotaExceededError(message, **kwargs)
        return RateLimitError(message, **kwargs)
    if status in (400, 422):
        return ValidationError(message, **kwargs)
    return ApiError(message, **kwargs)
