import { Duration } from 'cdk8s';
import { renderDuration } from '../../../private/duration';
import { GRPC_STATUS_NAMES } from '../../../private/envoy-names';
import { checkRange, invalid } from '../../../private/validate';
import { Percent } from '../../percent';

/** How an injected abort fails the request. */
export class FaultAbort {
  /** Answer with an HTTP status (200 to 599, e.g. 503). */
  public static httpStatus(status: number): FaultAbort {
    return new FaultAbort({ httpStatus: checkRange('FaultAbort.httpStatus', 'status', status, 200, 599, true) });
  }

  /** Fail a gRPC call with a status code name (e.g. `UNAVAILABLE`). */
  public static grpcStatus(status: string): FaultAbort {
    if (!GRPC_STATUS_NAMES.has(status)) {
      invalid('FaultAbort.grpcStatus', 'status', status, `a gRPC status code name: ${[...GRPC_STATUS_NAMES].join(', ')}`);
    }
    return new FaultAbort({ grpcStatus: status });
  }

  private constructor(private readonly spec: { [key: string]: unknown }) {}

  /** @internal */
  public _render(): { [key: string]: unknown } {
    return { ...this.spec };
  }
}

/** Options of a fault injection: a delay, an abort, or both. */
export interface FaultInjectionOptions {
  /**
   * A fixed delay before the request is forwarded (at least 1ms).
   * @default - no delay
   */
  readonly delay?: Duration;
  /**
   * The share of requests delayed.
   * @default - all of them (100%)
   */
  readonly delayPercentage?: Percent;
  /**
   * An abort: the request is answered with an error instead of being forwarded.
   * @default - no abort
   */
  readonly abort?: FaultAbort;
  /**
   * The share of requests aborted.
   * @default - all of them (100%)
   */
  readonly abortPercentage?: Percent;
}

/**
 * Faults injected into an HTTP route (`fault`) to test resilience: delays, aborts, or both.
 * Injected faults bypass the route's retries and timeouts on the client side.
 */
export class FaultInjection {
  /** Delays `percentage` of the requests by `delay`. */
  public static delay(delay: Duration, percentage?: Percent): FaultInjection {
    return FaultInjection.of({ delay, delayPercentage: percentage });
  }

  /** Aborts `percentage` of the requests with `abort` (e.g. `FaultAbort.httpStatus(503)`). */
  public static abort(abort: FaultAbort, percentage?: Percent): FaultInjection {
    return FaultInjection.of({ abort, abortPercentage: percentage });
  }

  /** A delay and/or an abort. */
  public static of(options: FaultInjectionOptions): FaultInjection {
    const where = 'FaultInjection.of';
    if (!options.delay && !options.abort) invalid(where, 'fault', options, 'a delay and/or an abort');
    if (options.delayPercentage && !options.delay) invalid(where, 'delayPercentage', options.delayPercentage.value, 'a delayPercentage needs a delay');
    if (options.abortPercentage && !options.abort) invalid(where, 'abortPercentage', options.abortPercentage.value, 'an abortPercentage needs an abort');
    // Written out even at 100%: for a delay, Istio reads a missing percentage as the deprecated
    // integer `percent`, 0; for an abort it leaves the fraction unset, which Envoy reads as 0: no
    // request gets the fault (translateFault in pilot/pkg/networking/core/route/route.go at 1.30.3).
    const spec: { [key: string]: unknown } = {
      delay: options.delay ? {
        fixedDelay: renderDuration(where, 'delay', options.delay),
        percentage: (options.delayPercentage ?? Percent.all())._render(),
      } : undefined,
      abort: options.abort ? { ...options.abort._render(), percentage: (options.abortPercentage ?? Percent.all())._render() } : undefined,
    };
    return new FaultInjection(spec);
  }

  private constructor(private readonly spec: { [key: string]: unknown }) {}

  /** @internal */
  public _render(): any {
    return { ...this.spec };
  }
}
