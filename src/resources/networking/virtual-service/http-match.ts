import { GatewayReference } from '../gateway/gateway-reference';
import { StringMatch } from '../string-match';

/**
 * The conditions of one match of an HTTP route. All conditions given must hold (AND); a route
 * with several matches applies when any of them holds (OR). A match must set at least one
 * condition.
 */
export interface HttpMatch {
  /**
   * A name for the match, concatenated with the route's name in access logs and stats.
   * @default - none
   */
  readonly name?: string;
  /**
   * The request path (`StringMatch.prefix('/api')`). A URI prefix may be empty.
   * @default - any path
   */
  readonly uri?: StringMatch;
  /**
   * Whether the `uri` match ignores case (exact and prefix only).
   * @default false
   */
  readonly ignoreUriCase?: boolean;
  /**
   * The URI scheme (`http`, `https`).
   * @default - any scheme
   */
  readonly scheme?: StringMatch;
  /**
   * The HTTP method (`StringMatch.exact('POST')`).
   * @default - any method
   */
  readonly method?: StringMatch;
  /**
   * The authority (Host header).
   * @default - any authority
   */
  readonly authority?: StringMatch;
  /**
   * Request headers that must match (header names lowercase; `StringMatch.present()` for
   * presence). A name `@request.auth.claims.<claim>` routes on a JWT claim (gateways only).
   * @default - no header conditions
   */
  readonly headers?: { [name: string]: StringMatch };
  /**
   * Request headers that must NOT match (`StringMatch.present()`: the header is absent).
   * @default - none
   */
  readonly withoutHeaders?: { [name: string]: StringMatch };
  /**
   * Query parameters that must match (`StringMatch.present()` for presence).
   * @default - no query conditions
   */
  readonly queryParams?: { [name: string]: StringMatch };
  /**
   * The port the request is addressed to (1 to 65535).
   * @default - any port the host serves
   */
  readonly port?: number;
  /**
   * Labels the calling workload must carry (mesh traffic only).
   * @default - any workload
   */
  readonly sourceLabels?: { [key: string]: string };
  /**
   * The namespace of the calling workload (mesh traffic only).
   * @default - any namespace
   */
  readonly sourceNamespace?: string;
  /**
   * Restricts this match to some of the VirtualService's gateways.
   * @default - all of the VirtualService's gateways
   */
  readonly gateways?: GatewayReference[];
  /**
   * A stat prefix for the route's statistics (Envoy `stat_prefix`).
   * @default - none
   */
  readonly statPrefix?: string;
}
