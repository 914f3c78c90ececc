// InferenceKey SDK: manage GPU inference workloads (ManagementClient, ik_sdk_ token) and call them
// through the gateway (DataClient, ik_live_ token). No runtime dependencies beyond fetch.
export { ManagementClient, type ManagementClientOptions, type EnsureOptions, type WaitOptions, type WorkloadRef } from "./management.js";
export { DataClient, Endpoint, type DataClientOptions, type GenerationParams } from "./data.js";
export {
  Backend,
  Provider,
  specFromJson,
  type ChatMessage,
  type DesiredState,
  type EmbeddingResult,
  type GpuSpec,
  type Prices,
  type ReadinessProbe,
  type StreamChunk,
  type TextResult,
  type Usage,
  type Workload,
  type WorkloadSpec,
  type WorkloadStatus,
  type WorkloadUpdate,
} from "./types.js";
export {
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
} from "./errors.js";
export type { TransportOptions, CallOptions } from "./http.js";
export { VERSION, USER_AGENT } from "./version.js";
