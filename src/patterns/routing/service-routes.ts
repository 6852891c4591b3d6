import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { RoutesModel, ScopedFault } from './private/model';
import { renderRoutes } from './private/render';
import { ServiceFault } from './service-fault';
import { ServiceRouting } from './service-routing';
import { defaultObjectName } from '../../private/object-names';
import { checkRange, invalid } from '../../private/validate';
import { KubernetesHttpRoute } from '../../resources/gateway-api/kubernetes-http-route';
import { DestinationRule } from '../../resources/networking/destination-rule/destination-rule';
import { ServiceHost } from '../../resources/networking/service-host';
import { FaultInjection } from '../../resources/networking/virtual-service/fault-injection';
import { RetryPolicy } from '../../resources/networking/virtual-service/retry-policy';
import { VirtualService } from '../../resources/networking/virtual-service/virtual-service';
import { hasConditions } from '../private/match-conditions';

/** Properties of ServiceRoutes. */
export interface ServiceRoutesProps {
  /** The service (`ServiceHost.fromService(svc)`, or `ServiceHost.of('reviews')`). */
  readonly host: ServiceHost;
  /**
   * How the routes are written, and where every request goes: `ServiceRouting.istio()` (a
   * VirtualService; to the whole service, a subset version or a version's Service) or
   * `ServiceRouting.gatewayApi()` (an HTTPRoute attached to the service).
   * @default ServiceRouting.istio() - a VirtualService sending every request to the whole service
   */
  readonly routing?: ServiceRouting;
  /**
   * The service port the routes send to (needed when the service has several).
   * @default - none: the service's only port
   */
  readonly port?: number;
  /**
   * Retries of every route (Istio's `retries`; Istio routing only).
   * @default - Istio's: 2 retries on connect-failure, refused-stream, unavailable, cancelled and retriable-status-codes
   */
  readonly retries?: RetryPolicy;
  /**
   * The timeout of every route: how long the client's proxy waits for the response (Istio's
   * `timeout`, Gateway API's `timeouts.request`).
   * @default - none: Istio disables the route timeout
   */
  readonly timeout?: Duration;
  /**
   * Faults injected by the client's proxy (Istio routing only): for the requests of a match
   * (a 7s delay for one user), or, at most one, for every other request (abort 50% with 503).
   * Aborted requests are answered by the client's proxy, never reach the service and are not retried.
   * @default - none
   */
  readonly faults?: ServiceFault[];
  /**
   * Namespace of the objects.
   * @default - the chart's
   */
  readonly namespace?: string;
  /**
   * Name of the objects (VirtualService or HTTPRoute, and DestinationRule).
   * @default - the construct id
   */
  readonly name?: string;
}

/**
 * The routes of one service with no release in progress: every request to the whole service or
 * to one version of it (bookinfo's "all traffic to v1"), with retries, a timeout and faults. With
 * Istio routing: a VirtualService for the host, whose rules are the scoped faults' routes then
 * the catch-all route, all to the same destination, and for a subset version a DestinationRule
 * with its subset. With Gateway API routing: an HTTPRoute attached to the service with one rule
 * and one `backendRef`.
 */
export class ServiceRoutes extends Construct {
  /** The VirtualService (Istio routing). */
  public readonly virtualService?: VirtualService;
  /** The DestinationRule holding the version's subset: the routes' own, or the app's one given (a subset version). */
  public readonly destinationRule?: DestinationRule;
  /** The HTTPRoute (Gateway API routing). */
  public readonly httpRoute?: KubernetesHttpRoute;

  constructor(scope: Construct, id: string, props: ServiceRoutesProps) {
    super(scope, id);
    const out = renderRoutes(this, resolveRoutes(this, id, props));
    this.virtualService = out.virtualService;
    this.destinationRule = out.destinationRule;
    this.httpRoute = out.httpRoute;
  }
}

/** Checks what every rendering shares and resolves the routing choice: the model the renderings read. */
function resolveRoutes(scope: Construct, id: string, props: ServiceRoutesProps): RoutesModel {
  if (!props?.host) invalid(scope, 'host', props?.host, 'the service (ServiceHost.of or ServiceHost.fromService)');
  if (props.host.isWildcard) invalid(scope, 'host', props.host.name, 'one service, not a wildcard');
  const routing = props.routing ?? ServiceRouting.istio();
  if (!(routing instanceof ServiceRouting)) invalid(scope, 'routing', routing, 'ServiceRouting.istio() or ServiceRouting.gatewayApi()');
  if (props.port !== undefined) {
    checkRange(scope, 'port', props.port, 1, 65535, true);
    if (props.host.ports.length > 0 && !props.host.ports.includes(props.port)) {
      invalid(scope, 'port', props.port, `one of the ports the service declares (${props.host.ports.join(', ')})`);
    }
  }
  const scopedFaults: ScopedFault[] = [];
  let catchAllFault: FaultInjection | undefined;
  (props.faults ?? []).forEach((f, i) => {
    if (!(f?.fault instanceof FaultInjection)) invalid(scope, `faults[${i}].fault`, f?.fault, 'a FaultInjection (FaultInjection.delay, abort or of)');
    if (f.match === undefined) {
      if (catchAllFault) {
        invalid(scope, `faults[${i}].match`, undefined,
          'a match: only one fault applies to every request (the catch-all route takes one fault; combine a delay and an abort with FaultInjection.of)');
      }
      catchAllFault = f.fault;
    } else if (!hasConditions(f.match)) {
      invalid(scope, `faults[${i}].match`, f.match, 'a match with at least one condition (leave `match` out for a fault on every request)');
    } else {
      scopedFaults.push({ match: f.match, fault: f.fault });
    }
  });
  return {
    name: props.name ?? defaultObjectName(id),
    namespace: props.namespace ?? Chart.of(scope).namespace,
    host: props.host,
    port: props.port,
    retries: props.retries,
    timeout: props.timeout,
    scopedFaults,
    catchAllFault,
    routing: routing._resolve(scope),
  };
}
