/**
 * Names Envoy and Istio accept in route settings, for the webhook rules of the conformance gate
 * (both lists) and the typed constructs (the gRPC status names, in `FaultAbort`).
 */

/** gRPC status names an injected abort may answer with (istio/istio `pkg/util/grpc/codes.go` at 1.30.3). */
export const GRPC_STATUS_NAMES: ReadonlySet<string> = new Set([
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED',
  'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
]);

/**
 * Named `retryOn` policies the webhook accepts (`supportedRetryOnPolicies` in istio/istio
 * `pkg/config/validation/validation.go` at 1.30.3): Envoy's `x-envoy-retry-on` and
 * `x-envoy-retry-grpc-on` values.
 */
export const RETRY_ON_POLICIES: ReadonlySet<string> = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);
