"""Data types: the workload spec sent to the control plane, the workload it answers, and the
results of inference calls."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, List, Mapping, Optional, Union


class Backend(str, Enum):
    """The inference engine a workload runs (all serve an OpenAI-compatible API)."""

    VLLM = "vllm"
    SGLANG = "sglang"
    TGI = "tgi"
    OPENAI = "openai"

    def __str__(self) -> str:
        return self.value


class Provider(str, Enum):
    """Where a workload runs. Leave a spec's provider unset to use the project's default."""

    LOCAL = "local"
    SIMULATOR = "simulator"
    RUNPOD = "runpod"
    KUBERNETES = "kubernetes"

    def __str__(self) -> str:
        return self.value


class DesiredState(str, Enum):
    RUNNING = "running"
    STOPPED = "stopped"

    def __str__(self) -> str:
        return self.value


def _value(v: Any) -> Any:
    return v.value if isinstance(v, Enum) else v


@dataclass
class GpuSpec:
    """GPU type (provider-specific name, e.g. ``"NVIDIA A100 80GB"``; None: the provider's choice) and count."""

    type: Optional[str] = None
    count: int = 1

    def to_api(self) -> Dict[str, Any]:
        return {"type": self.type, "count": self.count}


@dataclass
class ReadinessProbe:
    """How the provider decides the engine is ready (the upstream key is added as Authorization)."""

    path: str = "/health"
    headers: Dict[str, str] = field(default_factory=dict)
    initial_delay_seconds: int = 0
    timeout_seconds: int = 5

    def to_api(self) -> Dict[str, Any]:
        return {
            "path": self.path,
            "headers": dict(self.headers),
            "initial_delay_seconds": self.initial_delay_seconds,
            "timeout_seconds": self.timeout_seconds,
        }


@dataclass
class Prices:
    """USD per million prompt / completion tokens, for usage and cost reports."""

    prompt_per_million: float = 0.0
    completion_per_million: float = 0.0

    def to_api(self) -> Dict[str, Any]:
        return {"prompt_per_million": self.prompt_per_million, "completion_per_million": self.completion_per_million}


def _nested(value: Any, cls: Any) -> Optional[Dict[str, Any]]:
    """A nested object as its full API shape (server defaults filled in), from a dataclass or a dict."""
    if value is None:
        return None
    if isinstance(value, cls):
        return value.to_api()
    if isinstance(value, Mapping):
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(value) - known
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown field(s) {', '.join(sorted(unknown))}")
        return cls(**dict(value)).to_api()
    raise TypeError(f"expected {cls.__name__} or a dict, got {type(value).__name__}")


@dataclass
class WorkloadSpec:
    """The desired state of a workload, as :meth:`ManagementClient.ensure` applies it.

    ``name``, ``slug``, ``model`` and ``command`` are required. Every other field left as None is
    "not set": on create the server's default applies (backend ``vllm``, the project's default
    provider, 1 GPU, 1 replica, desired state ``running``, probe ``/health``, no env, zero prices,
    no max_tokens cap), and ``ensure`` neither compares nor changes it on an existing workload.
    (To remove a max_tokens cap, call ``update(workload, max_tokens=None)``.)
    """

    name: str
    slug: str
    model: str
    command: str
    backend: Optional[Union[Backend, str]] = None
    provider: Optional[Union[Provider, str]] = None
    gpu: Optional[Union[GpuSpec, Dict[str, Any]]] = None
    replicas: Optional[int] = None
    desired_state: Optional[Union[DesiredState, str]] = None
    readiness_probe: Optional[Union[ReadinessProbe, Dict[str, Any]]] = None
    env: Optional[Dict[str, str]] = None
    prices: Optional[Union[Prices, Dict[str, Any]]] = None
    max_tokens: Optional[int] = None

    def to_api(self) -> Dict[str, Any]:
        """The JSON body for create: the fields this spec sets, in their API (snake_case) shape."""
        body: Dict[str, Any] = {"name": self.name, "slug": self.slug, "model": self.model, "command": self.command}
        for key in ("backend", "provider", "replicas", "desired_state", "max_tokens"):
            v = getattr(self, key)
            if v is not None:
                body[key] = _value(v)
        if self.env is not None:
            body["env"] = {str(k): str(v) for k, v in self.env.items()}
        for key, cls in (("gpu", GpuSpec), ("readiness_probe", ReadinessProbe), ("prices", Prices)):
            v = _nested(getattr(self, key), cls)
            if v is not None:
                body[key] = v
        return body

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "WorkloadSpec":
        """A spec from its API JSON shape (e.g. a spec.json file). Unknown keys are an error."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"WorkloadSpec: unknown field(s) {', '.join(sorted(unknown))}")
        return cls(**dict(data))


@dataclass
class Workload:
    """A workload as the control plane reports it. ``action`` is set by ``ensure``:
    ``"created"``, ``"updated"`` or ``"unchanged"``."""

    id: str
    workload_slug: str
    project: str
    name: str
    model: str
    backend: str
    command: str
    provider: str
    gpu: Dict[str, Any]
    replicas: int
    desired_state: str
    readiness_probe: Dict[str, Any]
    env: Dict[str, str]
    prices: Dict[str, Any]
    max_tokens: Optional[int]
    status: str
    status_message: Optional[str]
    status_changed_at: Optional[str]
    endpoint: str
    cost_per_hour: Optional[float]
    generation: int
    created_at: Optional[str]
    updated_at: Optional[str]
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    action: Optional[str] = None

    @property
    def workload_id(self) -> str:
        return self.id

    @property
    def slug(self) -> str:
        return self.workload_slug

    @property
    def is_running(self) -> bool:
        return self.status == "running"

    @classmethod
    def from_api(cls, data: Mapping[str, Any], action: Optional[str] = None) -> "Workload":
        return cls(
            id=str(data.get("id", "")),
            workload_slug=str(data.get("workload_slug", "")),
            project=str(data.get("project", "")),
            name=str(data.get("name", "")),
            model=str(data.get("model", "")),
            backend=str(data.get("backend", "")),
            command=str(data.get("command", "")),
            provider=str(data.get("provider", "")),
            gpu=dict(data.get("gpu") or {}),
            replicas=int(data.get("replicas") or 0),
            desired_state=str(data.get("desired_state", "")),
            readiness_probe=dict(data.get("readiness_probe") or {}),
            env=dict(data.get("env") or {}),
            prices=dict(data.get("prices") or {}),
            max_tokens=data.get("max_tokens"),
            status=str(data.get("status", "")),
            status_message=data.get("status_message"),
            status_changed_at=data.get("status_changed_at"),
            endpoint=str(data.get("endpoint", "")),
            cost_per_hour=data.get("cost_per_hour"),
            generation=int(data.get("generation") or 0),
            created_at=data.get("created_at"),
            updated_at=data.get("updated_at"),
            raw=dict(data),
            action=action,
        )


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    @classmethod
    def from_api(cls, data: Any) -> Optional["Usage"]:
        if not isinstance(data, Mapping):
            return None
        p = int(data.get("prompt_tokens") or 0)
        c = int(data.get("completion_tokens") or 0)
        return cls(prompt_tokens=p, completion_tokens=c, total_tokens=int(data.get("total_tokens") or p + c))


@dataclass
class TextResult:
    """The answer of ``generate_text`` / ``chat``: ``text`` is the assistant message content."""

    text: str
    usage: Optional[Usage]
    finish_reason: Optional[str]
    model: Optional[str]
    message: Dict[str, Any] = field(default_factory=dict)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        return self.text


@dataclass
class StreamChunk:
    """One piece of a streamed answer: ``text`` is the new text (may be empty on the last chunks,
    which carry ``finish_reason`` and, on the very last, ``usage``)."""

    text: str
    finish_reason: Optional[str] = None
    usage: Optional[Usage] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        return self.text


@dataclass
class EmbeddingResult:
    """``embeddings``: one vector per input, in input order; ``embedding``: the first."""

    embeddings: List[List[float]]
    usage: Optional[Usage]
    model: Optional[str]
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def embedding(self) -> List[float]:
        return self.embeddings[0] if self.embeddings else []
