import { Duration } from 'cdk8s';
import { CorsPolicy } from './cors-policy';
import { Destination, HeaderManipulation, HttpRouteDestination } from './destination';
import { DirectResponse } from './direct-response';
import { FaultInjection } from './fault-injection';
import { HttpMatch } from './http-match';
import { HttpRedirect } from './http-redirect';
import { HttpRewrite } from './http-rewrite';
import { RetryPolicy } from './retry-policy';
import { VirtualServiceDelegate } from './virtual-service-delegate';
import { Percent } from '../../percent';

/** A copy of the traffic sent, fire and forget, to another destination (shadowing). */
export interface HttpMirror extends Destination {
  /**
   * The share of the requests mirrored.
   * @default - all of them (100%)
   */
  readonly percentage?: Percent;
}

/**
 * One HTTP rule of a VirtualService (`http[]`). Rules are evaluated in order; the first whose
 * match holds applies. A rule does exactly one of: send to `destinations`, `redirect`, answer
 * with a `directResponse`, or hand over to a `delegate` VirtualService.
 */
export interface HttpRoute {
  /**
   * A name for the rule (in access logs, stats and error messages).
   * @default - none
   */
  readonly name?: string;
  /**
   * When the rule applies: any of the matches.
   * @default - always (a catch-all rule; put it last)
   */
  readonly match?: HttpMatch[];
  /**
   * Where matched traffic goes, with weights (see `RouteDestination.weight`).
   * @default - none: then a redirect, a direct response or a delegate is required
   */
  readonly destinations?: HttpRouteDestination[];
  /**
   * Answer with a redirect instead of forwarding.
   * @default - none
   */
  readonly redirect?: HttpRedirect;
  /**
   * Answer with a fixed response instead of forwarding.
   * @default - none
   */
  readonly directResponse?: DirectResponse;
  /**
   * Hand matched traffic to the routes of another VirtualService (one without hosts).
   * @default - no delegation
   */
  readonly delegate?: VirtualServiceDelegate;
  /**
   * Rewrite the path and/or authority before forwarding.
   * @default - none
   */
  readonly rewrite?: HttpRewrite;
  /**
   * Timeout of the whole request, retries included (at least 1ms).
   * @default - none: Istio disables the route timeout
   */
  readonly timeout?: Duration;
  /**
   * Retry policy.
   * @default - Istio's: 2 attempts on connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes
   */
  readonly retries?: RetryPolicy;
  /**
   * Faults to inject (testing).
   * @default - none
   */
  readonly fault?: FaultInjection;
  /**
   * Mirror the traffic to one destination (rendered as `mirror` + `mirrorPercentage`).
   * Exclusive with `mirrors`.
   * @default - no mirroring
   */
  readonly mirror?: HttpMirror;
  /**
   * Mirror the traffic to several destinations (`mirrors`). Exclusive with `mirror`.
   * @default - no mirroring
   */
  readonly mirrors?: HttpMirror[];
  /**
   * CORS policy.
   * @default - none
   */
  readonly corsPolicy?: CorsPolicy;
  /**
   * Header changes for every destination of the rule.
   * @default - none
   */
  readonly headers?: HeaderManipulation;
}
