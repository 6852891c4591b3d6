import { FaultInjection } from '../../resources/networking/virtual-service/fault-injection';
import { HttpMatch } from '../../resources/networking/virtual-service/http-match';

/**
 * A fault the client's proxy injects into requests to the service (Envoy's fault filter, before
 * the request is routed): a delay, an abort, or both, for the requests of a match or for every
 * request.
 */
export interface ServiceFault {
  /**
   * Which requests get the fault: a match with at least one condition (a user's header, a path).
   * Each scoped fault is a route of its own, tried in order before the catch-all route, and
   * sends to the same destination; a request takes the first route whose match holds, so it gets
   * that route's fault only.
   * @default - every request no scoped fault takes (the catch-all route): at most one such fault
   */
  readonly match?: HttpMatch;
  /**
   * The fault (`FaultInjection.delay(Duration.seconds(7), Percent.of(50))`); without a
   * percentage, into every request the route takes.
   */
  readonly fault: FaultInjection;
}
