"""HTTP transport on the standard library: JSON requests, SSE streams, retries and error mapping.

Retries: 429 (not ``insufficient_quota``), 502 and 503 are retried up to ``max_retries`` times,
waiting for the server's Retry-After when it sends one (else exponential backoff with jitter).
A wait that would take the total past ``max_retry_wait`` seconds is not made: the error is raised
at once with its ``retry_after``. Connection failures before any answer (refused, reset) are
retried the same way; timeouts are not (the request may be running).
Redirects are never followed, so a token is never sent to another origin.
"""
from __future__ import annotations

import email.utils
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterator, Optional

from ._version import __version__
from .errors import ApiError, NetworkError, QuotaExceededError, RequestTimeoutError, error_for_status

USER_AGENT = f"inferencekey-python/{__version__}"
RETRY_STATUSES = (429, 502, 503)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[override]
        return None  # the 3xx surfaces as an HTTPError → ApiError


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Retry-After as seconds: delta-seconds (fractions accepted) or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
        return max(0.0, seconds) if seconds == seconds else None  # NaN guard
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class Transport:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 60.0,
        max_retries: int = 3,
        max_retry_wait: float = 60.0,
        user_agent: Optional[str] = None,
        sleep=time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self.max_retries = max(0, int(max_retries))
        self.max_retry_wait = max(0.0, float(max_retry_wait))
        self.user_agent = user_agent or USER_AGENT
        self._sleep = sleep
        self._opener = urllib.request.build_opener(_NoRedirect())

    def __repr__(self) -> str:  # never show the token
        return f"Transport({self.base_url!r})"

    def url(self, path: str) -> str:
        return self.base_url + path

    def _headers(self, has_body: bool, accept: str) -> Dict[str, str]:
        headers = {"Authorization": f"Bearer {self._token}", "User-Agent": self.user_agent, "Accept": accept}
        if has_body:
            headers["Content-Type"] = "application/json"
        return headers

    def _open(self, method: str, path: str, body: Any, accept: str, timeout: Optional[float]):
        """Opens a request with retries; returns the (2xx) response object."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        url = self.url(path)
        waited = 0.0
        attempt = 0
        while True:
            req = urllib.request.Request(url, data=data, method=method, headers=self._headers(data is not None, accept))
            try:
                return self._opener.open(req, timeout=self.timeout if timeout is None else timeout)
            except urllib.error.HTTPError as e:
                error = _error_from_http(e)
                retryable = e.code in RETRY_STATUSES and not isinstance(error, QuotaExceededError)
                delay = error.retry_after if error.retry_after is not None else self._backoff(attempt)
            except (socket.timeout, TimeoutError) as e:
                raise RequestTimeoutError(f"{method} {url}: no answer within {self.timeout if timeout is None else timeout} s") from e
            except urllib.error.URLError as e:
                if isinstance(e.reason, (socket.timeout, TimeoutError)):
                    raise RequestTimeoutError(f"{method} {url}: no answer within {self.timeout if timeout is None else timeout} s") from e
                error = NetworkError(f"{method} {url}: cannot connect ({e.reason})")
                retryable = isinstance(e.reason, (ConnectionRefusedError, ConnectionResetError))
                delay = self._backoff(attempt)
            except (ConnectionError, OSError) as e:  # reset while reading the answer, etc.
                error = NetworkError(f"{method} {url}: connection failed ({e})")
                retryable = isinstance(e, (ConnectionRefusedError, ConnectionResetError))
                delay = self._backoff(attempt)
            if not retryable or attempt >= self.max_retries or waited + delay > self.max_retry_wait:
                raise error
            self._sleep(delay)
            waited += delay
            attempt += 1

    @staticmethod
    def _backoff(attempt: int) -> float:
        base = min(8.0, 0.5 * (2 ** attempt))
        return base * (0.75 + random.random() * 0.5)

    def request(self, method: str, path: str, body: Any = None, *, timeout: Optional[float] = None) -> Any:
        """A JSON request; returns the decoded JSON answer (None for an empty body)."""
        resp = self._open(method, path, body, "application/json", timeout)
        try:
            raw = resp.read()
        except (socket.timeout, TimeoutError) as e:
            raise RequestTimeoutError(f"{method} {self.url(path)}: the answer did not arrive in time") from e
        except OSError as e:
            raise NetworkError(f"{method} {self.url(path)}: connection broke while reading ({e})") from e
        finally:
            resp.close()
        if not raw:
            return None
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError as e:
            raise ApiError("The server answered with something that is not JSON.", status=resp.status, body=raw[:500]) from e

    def stream(self, method: str, path: str, body: Any = None, *, timeout: Optional[float] = None) -> Iterator[Dict[str, Any]]:
        """Server-sent events as decoded JSON objects; ends at ``[DONE]`` or the end of the stream.

        Retries happen only before the stream starts. An ``error`` object inside the stream raises
        the matching ApiError. ``timeout`` applies to each read.
        """
        resp = self._open(method, path, body, "text/event-stream", timeout)
        try:
            for data in iter_sse_data(resp):
                if data == "[DONE]":
                    return
                try:
                    event = json.loads(data)
                except ValueError as e:
                    raise ApiError("The stream held an event that is not JSON.", status=resp.status, body=data[:500]) from e
                if isinstance(event, dict) and isinstance(event.get("error"), dict) and "choices" not in event:
                    err = event["error"]
                    status = err.get("code") if isinstance(err.get("code"), int) else resp.status
                    raise error_for_status(status if status >= 400 else 500, event)
                yield event
        except (socket.timeout, TimeoutError) as e:
            raise RequestTimeoutError(f"{method} {self.url(path)}: the stream stalled for {self.timeout if timeout is None else timeout} s") from e
        except (ConnectionError, OSError) as e:
            if isinstance(e, NetworkError):
                raise
            raise NetworkError(f"{method} {self.url(path)}: the stream broke ({e})") from e
        finally:
            resp.close()


def iter_sse_data(resp) -> Iterator[str]:
    """The ``data`` of each server-sent event (multi-line data joined with newlines; comments and
    other fields ignored). Lines may end with LF, CRLF or CR."""
    buf: list = []
    pending = b""
    while True:
        chunk = resp.readline()
        if not chunk:
            break
        pending += chunk
        if not pending.endswith((b"\n", b"\r")):
            continue  # readline hit a size limit; keep reading the line
        text = pending.decode("utf-8")
        pending = b""
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:-1]:
            if line == "":
                if buf:
                    yield "\n".join(buf)
                    buf = []
                continue
            if line.startswith(":"):
                continue
            field, _, value = line.partition(":")
            if value.startswith(" "):
                value = value[1:]
            if field == "data":
                buf.append(value)
    if pending:
        line = pending.decode("utf-8").rstrip("\r\n")
        if line.startswith("data:"):
            value = line[5:]
            buf.append(value[1:] if value.startswith(" ") else value)
    if buf:
        yield "\n".join(buf)


def _error_from_http(e: urllib.error.HTTPError) -> ApiError:
    try:
        raw = e.read()
    except Exception:  # noqa: BLE001 - a broken error body still yields an error
        raw = b""
    finally:
        try:
            e.close()
        except Exception:  # noqa: BLE001
            pass
    body: Any = None
    if raw:
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            body = raw.decode("utf-8", "replace")[:500]
    headers = e.headers or {}
    fallback = e.reason if isinstance(e.reason, str) else ""
    if 300 <= e.code < 400:
        fallback = f"Redirect to {headers.get('location', '?')} not followed (check INFERENCEKEY_BASE_URL)."
    return error_for_status(
        e.code,
        body,
        retry_after=parse_retry_after(headers.get("retry-after")),
        request_id=headers.get("x-request-id"),
        fallback_message=fallback,
    )


def quote(segment: str) -> str:
    return urllib.parse.quote(str(segment), safe="")
