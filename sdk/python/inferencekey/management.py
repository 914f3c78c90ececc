"""Control plane: create, update, delete, list and wait for workloads (Bearer ik_sdk_ token)."""
from __future__ import annotations

import dataclasses
import time
from typing import Any, Dict, List, Mapping, Optional, Union

from . import _config
from ._http import Transport, quote
from .errors import ConflictError, NotFoundError, WaitTimeoutError, WorkloadFailedError
from .types import GpuSpec, Prices, ReadinessProbe, Workload, WorkloadSpec, _nested, _value

WorkloadRef = Union[Workload, str]

# A workload that is failed from the start of a wait and stays failed this long is reported as
# failed (the reconciler retries failed workloads every 30 s; a failure that persists is real).
FAILED_GRACE_SECONDS = 45.0


class ManagementClient:
    """Manages the workloads of one project through the control-plane REST API.

    Every argument left as None falls back to its environment variable: ``base_url`` →
    ``INFERENCEKEY_BASE_URL``, ``token`` → ``INFERENCEKEY_SDK_TOKEN`` (an ``ik_sdk_`` control
    token), ``project`` → ``INFERENCEKEY_PROJECT`` (slug or id). A missing setting raises
    :class:`~inferencekey.ConfigurationError` naming the variable.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        token: Optional[str] = None,
        project: Optional[str] = None,
        *,
        timeout: float = 30.0,
        max_retries: int = 3,
        max_retry_wait: float = 60.0,
    ) -> None:
        self.base_url = _config.base_url(base_url)
        source = "token" if token is not None else _config.ENV_SDK_TOKEN
        token = _config.check_token_kind(_config.setting(token, _config.ENV_SDK_TOKEN, "token"), "ik_sdk_", source)
        self.project = _config.setting(project, _config.ENV_PROJECT, "project")
        self._http = Transport(self.base_url, token, timeout=timeout, max_retries=max_retries, max_retry_wait=max_retry_wait)

    @classmethod
    def from_env(cls, *, project: Optional[str] = None, base_url: Optional[str] = None, token: Optional[str] = None, **kwargs: Any) -> "ManagementClient":
        """A client configured from the environment; explicit arguments win."""
        return cls(base_url=base_url, token=token, project=project, **kwargs)

    def __repr__(self) -> str:
        return f"ManagementClient(base_url={self.base_url!r}, project={self.project!r})"

    # ---- reads -------------------------------------------------------------------------------

    def list(self) -> List[Workload]:
        """The project's workloads (those being deleted excluded), by slug."""
        body = self._http.request("GET", f"/api/projects/{quote(self.project)}/workloads")
        rows = body.get("data", []) if isinstance(body, dict) else body
        return [Workload.from_api(r) for r in rows or []]

    def get(self, workload: WorkloadRef) -> Workload:
        """One workload by id, by slug, or a :class:`Workload` (refreshed). Raises NotFoundError."""
        wid = _id_of(workload)
        try:
            return Workload.from_api(self._http.request("GET", f"/api/workloads/{quote(wid)}"))
        except NotFoundError:
            if isinstance(workload, Workload):
                raise
            found = self._find_by_slug(wid)
            if found is None:
                raise
            return found

    def _find_by_slug(self, slug: str) -> Optional[Workload]:
        return next((w for w in self.list() if w.workload_slug == slug), None)

    # ---- writes ------------------------------------------------------------------------------

    def create(self, spec: Union[WorkloadSpec, Mapping[str, Any]]) -> Workload:
        """Creates a workload. A slug that exists raises ConflictError (``existing_id``)."""
        body = _spec(spec).to_api()
        return Workload.from_api(self._http.request("POST", f"/api/projects/{quote(self.project)}/workloads", body), action="created")

    def update(self, workload: WorkloadRef, changes: Union[WorkloadSpec, Mapping[str, Any], None] = None, **fields: Any) -> Workload:
        """Applies changes (a dict or keyword arguments in API names, or a WorkloadSpec whose set
        fields are applied). Changes to what runs (model, command, env, GPU, ...) are rolled out by
        the reconciler; applying the same values again changes nothing. The slug cannot change."""
        body: Dict[str, Any] = {}
        if isinstance(changes, WorkloadSpec):
            body.update(changes.to_api())
            body.pop("slug", None)
        elif changes is not None:
            body.update(changes)
        body.update(fields)
        body = _api_values(body)
        wid = self._resolve_id(workload)
        return Workload.from_api(self._http.request("PATCH", f"/api/workloads/{quote(wid)}", body), action="updated")

    def delete(self, workload: WorkloadRef, *, wait: bool = False, timeout: float = 300.0) -> Workload:
        """Requests deletion (the reconciler removes the provider's resources, then the workload).
        With ``wait=True``, returns once the workload is gone."""
        wid = self._resolve_id(workload)
        w = Workload.from_api(self._http.request("DELETE", f"/api/workloads/{quote(wid)}"))
        if wait:
            self._wait_gone(wid, time.monotonic() + timeout)
        return w

    def ensure(self, spec: Union[WorkloadSpec, Mapping[str, Any]], *, wait: bool = True, timeout: float = 600.0) -> Workload:
        """Makes the workload match ``spec``, idempotently: creates it if its slug is new; else
        compares the fields the spec sets with the server's and PATCHes only those that differ
        (nothing at all when none differ: the same spec twice changes nothing).

        With ``wait=True`` (the default) and a desired state of running, returns once the workload
        is running (and, after a change that is rolled out, once the reconciler has applied it),
        so inference can start right away; raises WaitTimeoutError after ``timeout`` seconds or
        WorkloadFailedError if it fails. The result's ``action`` is ``"created"``, ``"updated"``
        or ``"unchanged"``.
        """
        spec = _spec(spec)
        body = spec.to_api()
        deadline = time.monotonic() + timeout
        newer_than: Optional[str] = None
        while True:
            try:
                w = Workload.from_api(self._http.request("POST", f"/api/projects/{quote(self.project)}/workloads", body), action="created")
                break
            except ConflictError as e:
                current = self._get_or_none(e.existing_id) if e.existing_id else self._find_by_slug(spec.slug)
            if current is None:
                pass  # deleted since the conflict: create again
            elif current.desired_state == "deleted":
                self._wait_gone(current.id, deadline)  # a deletion in progress: recreate once it is gone
            else:
                changes = diff_spec(body, current.raw)
                if not changes:
                    w = dataclasses.replace(current, action="unchanged")
                    break
                updated = self._http.request("PATCH", f"/api/workloads/{quote(current.id)}", changes)
                w = Workload.from_api(updated, action="updated")
                if w.generation > current.generation:
                    newer_than = w.updated_at  # rolled out: wait for the reconciler to act on it
                break
            if time.monotonic() >= deadline:
                raise WaitTimeoutError(f"Workload {spec.slug} could not be created within {timeout:g} s.")
        if wait and w.desired_state == "running" and not (w.status == "running" and newer_than is None):
            ready = self._wait_ready(w, deadline, timeout, newer_than)
            w = dataclasses.replace(ready, action=w.action)
        return w

    # ---- waiting -----------------------------------------------------------------------------

    def wait_until_ready(self, workload: WorkloadRef, timeout: float = 600.0, *, poll_interval: float = 5.0) -> Workload:
        """Polls until the workload is running and returns it. Raises WaitTimeoutError after
        ``timeout`` seconds, and WorkloadFailedError when it is failed (a failure seen during the
        wait, or one that persists for 45 s), stopped by its desired state, or being deleted."""
        w = workload if isinstance(workload, Workload) else self.get(workload)
        return self._wait_ready(w, time.monotonic() + timeout, timeout, None, poll_interval)

    def _wait_ready(self, w: Workload, deadline: float, timeout: float, newer_than: Optional[str], poll_interval: float = 5.0) -> Workload:
        started = time.monotonic()
        first: Optional[Workload] = None
        n = 0
        while True:
            w = self.get(w.id)
            if first is None:
                first = w
            if w.desired_state == "deleted":
                raise WorkloadFailedError(f"Workload {w.workload_slug} is being deleted.", w)
            if w.desired_state == "stopped":
                raise WorkloadFailedError(f"Workload {w.workload_slug} has desired state stopped; update desired_state to running first.", w)
            fresh = newer_than is None or (w.updated_at or "") > newer_than
            if fresh and w.status == "running":
                return w
            if fresh and w.status == "failed":
                new_failure = first.status != "failed" or w.status_changed_at != first.status_changed_at
                if new_failure or time.monotonic() - started > FAILED_GRACE_SECONDS:
                    raise WorkloadFailedError(f"Workload {w.workload_slug} failed: {w.status_message or 'no message'}", w)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(
                    f"Workload {w.workload_slug} is not running after {timeout:g} s (status {w.status}"
                    f"{': ' + w.status_message if w.status_message else ''}).",
                    w,
                )
            time.sleep(min(remaining, poll_interval, 0.5 * (1.5 ** n)))
            n += 1

    def _wait_gone(self, wid: str, deadline: float) -> None:
        n = 0
        while self._get_or_none(wid) is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(f"Workload {wid} was not deleted in time.")
            time.sleep(min(remaining, 3.0, 0.5 * (1.5 ** n)))
            n += 1

    def _get_or_none(self, wid: str) -> Optional[Workload]:
        try:
            return Workload.from_api(self._http.request("GET", f"/api/workloads/{quote(wid)}"))
        except NotFoundError:
            return None

    def _resolve_id(self, workload: WorkloadRef) -> str:
        if isinstance(workload, Workload):
            return workload.id
        return self.get(workload).id


def _id_of(workload: WorkloadRef) -> str:
    if isinstance(workload, Workload):
        return workload.id
    if not isinstance(workload, str) or not workload:
        raise TypeError("expected a workload id, slug or Workload")
    return workload


def _spec(spec: Union[WorkloadSpec, Mapping[str, Any]]) -> WorkloadSpec:
    return spec if isinstance(spec, WorkloadSpec) else WorkloadSpec.from_dict(spec)


def _api_values(body: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for key, value in body.items():
        if key == "gpu":
            value = _nested(value, GpuSpec)
        elif key == "readiness_probe":
            value = _nested(value, ReadinessProbe)
        elif key == "prices":
            value = _nested(value, Prices)
        out[key] = _value(value)
    return out


def _micros(usd: Any) -> int:
    return int(round(float(usd or 0) * 1_000_000))


def diff_spec(desired: Mapping[str, Any], current: Mapping[str, Any]) -> Dict[str, Any]:
    """The fields of ``desired`` (an API body) whose values differ from ``current`` (the server's)."""
    changes: Dict[str, Any] = {}
    for key, want in desired.items():
        if key == "slug":
            continue
        have = current.get(key)
        if key == "prices":
            have = have or {}
            same = all(_micros(want.get(k)) == _micros(have.get(k)) for k in ("prompt_per_million", "completion_per_million"))
        elif key in ("name", "model", "command") and isinstance(want, str):
            same = want.strip() == have  # the server trims these
        else:
            same = want == have
        if not same:
            changes[key] = want
    return changes
