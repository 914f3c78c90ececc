"""InferenceKey SDK: manage GPU inference workloads and call them through the gateway.

    from inferencekey import ManagementClient, DataClient, WorkloadSpec, Backend
    mgmt = ManagementClient.from_env(project="acme")          # INFERENCEKEY_SDK_TOKEN
    ref = mgmt.ensure(WorkloadSpec(name="bot", slug="bot", model="m", command="vllm serve m"))
    ep = DataClient.from_env(project="acme").endpoint(ref.workload_slug)   # INFERENCEKEY_API_KEY
    print(ep.generate_text(prompt="Hola").text)

Standard library only; Python 3.9+.
"""
from ._version import __version__
from .data import DataClient, Endpoint
from .errors import (
    ApiError,
    AuthError,
    ConfigurationError,
    ConflictError,
    InferenceKeyError,
    NetworkError,
    NotFoundError,
    QuotaExceededError,
    RateLimitError,
    RequestTimeoutError,
    ValidationError,
    WaitTimeoutError,
    WorkloadFailedError,
)
from .management import ManagementClient
from .types import (
    Backend,
    DesiredState,
    EmbeddingResult,
    GpuSpec,
    Prices,
    Provider,
    ReadinessProbe,
    StreamChunk,
    TextResult,
    Usage,
    Workload,
    WorkloadSpec,
)

WorkloadRef = Workload  # what ensure() returns: workload_id, workload_slug, status, endpoint, ...

__all__ = [
    "__version__",
    "ManagementClient",
    "DataClient",
    "Endpoint",
    "WorkloadSpec",
    "Workload",
    "WorkloadRef",
    "Backend",
    "Provider",
    "DesiredState",
    "GpuSpec",
    "ReadinessProbe",
    "Prices",
    "TextResult",
    "StreamChunk",
    "EmbeddingResult",
    "Usage",
    "InferenceKeyError",
    "ConfigurationError",
    "NetworkError",
    "RequestTimeoutError",
    "ApiError",
    "AuthError",
    "RateLimitError",
    "QuotaExceededError",
    "NotFoundError",
    "ConflictError",
    "ValidationError",
    "WaitTimeoutError",
    "WorkloadFailedError",
]
