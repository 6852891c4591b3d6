import { Duration } from 'cdk8s';
import { renderDuration } from '../../../private/duration';
import { checkRange, invalid } from '../../../private/validate';

/**
 * A condition under which Envoy retries a request (`retryOn`, Envoy's `x-envoy-retry-on` and
 * `x-envoy-retry-grpc-on` policies), or an HTTP status code to retry on.
 */
export class RetryOn {
  /** Any 5xx response, and connection failures and resets. */
  public static readonly SERVER_ERROR = new RetryOn('5xx');
  /** 502, 503 and 504 responses. */
  public static readonly GATEWAY_ERROR = new RetryOn('gateway-error');
  /** No response at all (disconnect, reset, read timeout). */
  public static readonly RESET = new RetryOn('reset');
  /** A reset before the request was sent (safe for non-idempotent requests). */
  public static readonly RESET_BEFORE_REQUEST = new RetryOn('reset-before-request');
  /** The connection to the upstream failed. */
  public static readonly CONNECT_FAILURE = new RetryOn('connect-failure');
  /** Retriable 4xx responses (409 today). */
  public static readonly RETRIABLE_4XX = new RetryOn('retriable-4xx');
  /** The upstream refused the stream (HTTP/2 REFUSED_STREAM). */
  public static readonly REFUSED_STREAM = new RetryOn('refused-stream');
  /** The status codes named in the `x-envoy-retriable-status-codes` header. */
  public static readonly RETRIABLE_STATUS_CODES = new RetryOn('retriable-status-codes');
  /** Responses carrying a header named in `x-envoy-retriable-header-names`. */
  public static readonly RETRIABLE_HEADERS = new RetryOn('retriable-headers');
  /** Envoy's own rate limit response. */
  public static readonly ENVOY_RATELIMITED = new RetryOn('envoy-ratelimited');
  /** An HTTP/3 request failed after connecting (retried over TCP). */
  public static readonly HTTP3_POST_CONNECT_FAILURE = new RetryOn('http3-post-connect-failure');
  /** gRPC status CANCELLED. */
  public static readonly GRPC_CANCELLED = new RetryOn('cancelled');
  /** gRPC status DEADLINE_EXCEEDED. */
  public static readonly GRPC_DEADLINE_EXCEEDED = new RetryOn('deadline-exceeded');
  /** gRPC status INTERNAL. */
  public static readonly GRPC_INTERNAL = new RetryOn('internal');
  /** gRPC status RESOURCE_EXHAUSTED. */
  public static readonly GRPC_RESOURCE_EXHAUSTED = new RetryOn('resource-exhausted');
  /** gRPC status UNAVAILABLE. */
  public static readonly GRPC_UNAVAILABLE = new RetryOn('unavailable');

  /** A specific HTTP status code (e.g. 503), 100 to 599. */
  public static statusCode(code: number): RetryOn {
    return new RetryOn(String(checkRange('RetryOn.statusCode', 'code', code, 100, 599, true)));
  }

  private constructor(
    /** The policy as Istio takes it in `retryOn`. */
    public readonly value: string,
  ) {}
}

/** Options of a retry policy. */
export interface RetryPolicyOptions {
  /**
   * How many times a request is retried (after the first attempt). The total time is still
   * bounded by the route's timeout.
   */
  readonly attempts: number;
  /**
   * Timeout of each attempt, the first included (at least 1ms).
   * @default - the route's timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * The conditions to retry on.
   * @default - Istio's: connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes
   */
  readonly retryOn?: RetryOn[];
  /**
   * Whether retries may go to endpoints in other localities.
   * @default - Istio's default (false)
   */
  readonly retryRemoteLocalities?: boolean;
  /**
   * Whether a retry avoids the hosts earlier attempts went to.
   * @default - Istio's default (true since 1.24)
   */
  readonly retryIgnorePreviousHosts?: boolean;
  /**
   * Base interval of the exponential back-off between retries (at least 1ms).
   * @default - Envoy's 25ms
   */
  readonly backoff?: Duration;
}

/**
 * Retries of an HTTP route (`retries`). Without one, Istio retries twice on its default
 * conditions; `RetryPolicy.none()` turns retries off.
 */
export class RetryPolicy {
  /** Retries `attempts` times on the given conditions. */
  public static of(options: RetryPolicyOptions): RetryPolicy {
    const where = 'RetryPolicy.of';
    checkRange(where, 'attempts', options.attempts, 1, 2147483647, true);
    const retryOn = options.retryOn ?? [];
    const seen = new Set<string>();
    for (const r of retryOn) {
      if (!(r instanceof RetryOn)) invalid(where, 'retryOn', r, 'RetryOn values (RetryOn.GATEWAY_ERROR, RetryOn.statusCode(503), ...)');
      if (seen.has(r.value)) invalid(where, 'retryOn', r.value, 'each condition once');
      seen.add(r.value);
    }
    const spec: { [key: string]: unknown } = {
      attempts: options.attempts,
      perTryTimeout: options.perTryTimeout ? renderDuration(where, 'perTryTimeout', options.perTryTimeout) : undefined,
      retryOn: retryOn.length > 0 ? retryOn.map((r) => r.value).join(',') : undefined,
      retryRemoteLocalities: options.retryRemoteLocalities,
      retryIgnorePreviousHosts: options.retryIgnorePreviousHosts,
      backoff: options.backoff ? renderDuration(where, 'backoff', options.backoff) : undefined,
    };
    return new RetryPolicy(spec);
  }

  /** No retries (`attempts: 0`): for requests that must not be repeated. */
  public static none(): RetryPolicy {
    return new RetryPolicy({ attempts: 0 });
  }

  private constructor(private readonly spec: { [key: string]: unknown }) {}

  /** How many retries (0 for `none()`). */
  public get attempts(): number {
    return this.spec.attempts as number;
  }

  /** @internal */
  public _render(): any {
    return { ...this.spec };
  }
}
