import { Construct } from 'constructs';
import { toHttpRouteMatch } from './gateway-api-match';
import { versionDestinationRules } from './istio-routes';
import { PlannedRule, scopeMatch } from './route-plan';
import { serviceOfHost } from './service-names';
import { invalid } from '../../../private/validate';
import { BackendFilter } from '../../../resources/gateway-api/backend-filter';
import { BackendRef } from '../../../resources/gateway-api/backend-ref';
import { HttpPathModifier, HttpRouteFilter } from '../../../resources/gateway-api/http-route-filter';
import { HttpPathMatch, HttpRouteMatch } from '../../../resources/gateway-api/http-route-match';
import { HttpRouteRule, KubernetesHttpRoute } from '../../../resources/gateway-api/kubernetes-http-route';
import { ParentRef } from '../../../resources/gateway-api/parent-ref';
import { DestinationRule } from '../../../resources/networking/destination-rule/destination-rule';
import { CanaryGatewayApiOptions } from '../canary-gateway-api';
import { CanaryReleaseModel } from '../canary-release';

function rulesFor(
  scope: Construct, model: CanaryReleaseModel, rules: PlannedRule[], prefix: string | undefined, rewritePrefix: string | undefined,
): HttpRouteRule[] {
  const { props, stable, canary, weight } = model;
  const backend = (v: typeof stable, w?: number, filters?: BackendFilter[]) =>
    BackendRef.fromService(v.service!, { weight: w, filters, port: props.port });
  let weighted: BackendRef[];
  if (weight === 0) {weighted = [backend(stable)];} else if (weight === 100) {weighted = [backend(canary)];} else {
    const setCookie = model.affinityCookie !== undefined
      ? [BackendFilter.responseHeaderModifier({ add: { 'set-cookie': `${model.affinityCookie}=1; Max-Age=${model.affinityMaxAge}; Path=/` } })]
      : undefined;
    weighted = [backend(stable, 100 - weight!), backend(canary, weight, setCookie)];
  }
  const rewrite = rewritePrefix !== undefined ? [HttpRouteFilter.urlRewrite({ path: HttpPathModifier.replacePrefixMatch(rewritePrefix) })] : [];
  return rules.map((rule) => {
    let matches: HttpRouteMatch[] | undefined = rule.matches?.map((m, i) => {
      const field = `${rule.name === 'canary-override' ? 'canaryMatches' : rule.name} [${i}]`;
      return toHttpRouteMatch(scope, field, scopeMatch(scope, field, m, prefix));
    });
    if (!matches && prefix !== undefined && prefix !== '/') matches = [{ path: HttpPathMatch.pathPrefix(prefix) }];
    const mirror = rule.mirror ? [HttpRouteFilter.requestMirror(backend(canary), { percent: rule.mirror })] : [];
    const filters = [...rewrite, ...mirror];
    return {
      name: rule.name,
      matches,
      filters: filters.length > 0 ? filters : undefined,
      backendRefs: rule.canaryOnly ? [backend(canary)] : weighted,
      timeouts: props.timeout ? { request: props.timeout } : undefined,
    };
  });
}

/** The Gateway API rendering: HTTPRoutes for the mesh (GAMMA) and the gateways, DestinationRules for policies. */
export function renderGatewayApiRoutes(scope: Construct, model: CanaryReleaseModel, rules: PlannedRule[], options: CanaryGatewayApiOptions): {
  destinationRules: DestinationRule[];
  routes: KubernetesHttpRoute[];
} {
  const { props, name, namespace, stable } = model;
  if (!stable.service) {
    invalid(scope, 'stable', stable.name, 'with gatewayApi, versions with Services of their own (ReleaseVersion.fromService): HTTPRoutes split between Services');
  }
  if (props.faults && props.faults.length > 0) invalid(scope, 'faults', props.faults.length, 'no faults with gatewayApi: HTTPRoute has no fault injection (use Istio routing)');
  if (props.retries) invalid(scope, 'retries', 'RetryPolicy', 'no retries with gatewayApi: HTTPRoute in the standard channel has none (use Istio routing)');
  const prefix = options.pathPrefix ?? '/';
  if (!prefix.startsWith('/')) invalid(scope, 'gatewayApi.pathPrefix', prefix, "a path prefix starting with '/'");
  const routes: KubernetesHttpRoute[] = [];
  if (options.meshRoute ?? true) {
    const svc = serviceOfHost(props.host.name);
    if (!svc) invalid(scope, 'host', props.host.name, 'a Kubernetes Service (`name` or `name.namespace.svc.<domain>`): a mesh HTTPRoute attaches to a Service');
    routes.push(new KubernetesHttpRoute(scope, 'HttpRoute', {
      name,
      namespace,
      parentRefs: [ParentRef.service(svc.name, { namespace: svc.namespace === namespace ? undefined : svc.namespace })],
      rules: rulesFor(scope, model, rules, undefined, undefined),
    }));
  }
  const gateways = options.gateways ?? [];
  if (gateways.length > 0) {
    routes.push(new KubernetesHttpRoute(scope, 'GatewayHttpRoute', {
      name: `${name}-gateway`, namespace, parentRefs: gateways, hostnames: options.hostnames, rules: rulesFor(scope, model, rules, prefix, options.rewritePrefix),
    }));
  } else if (options.hostnames || options.pathPrefix || options.rewritePrefix) {
    invalid(scope, 'gatewayApi.gateways', [], 'the gateways the hostnames, pathPrefix and rewritePrefix are for');
  }
  if (routes.length === 0) invalid(scope, 'gatewayApi.meshRoute', false, 'a mesh route or at least one gateway: otherwise the release routes nothing');
  return { destinationRules: versionDestinationRules(scope, model), routes };
}
