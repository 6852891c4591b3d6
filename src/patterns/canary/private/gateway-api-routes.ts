import { Construct } from 'constructs';
import { toHttpRouteMatch } from './gateway-api-match';
import { versionDestinationRules } from './istio-routes';
import { GatewayApiTraffic, ReleaseModel } from './model';
import { scopeMatch } from './route-plan';
import { invalid } from '../../../private/validate';
import { BackendFilter } from '../../../resources/gateway-api/backend-filter';
import { BackendRef } from '../../../resources/gateway-api/backend-ref';
import { HttpPathModifier, HttpRouteFilter } from '../../../resources/gateway-api/http-route-filter';
import { HttpPathMatch, HttpRouteMatch } from '../../../resources/gateway-api/http-route-match';
import { HttpRouteRule, KubernetesHttpRoute } from '../../../resources/gateway-api/kubernetes-http-route';
import { ParentRef } from '../../../resources/gateway-api/parent-ref';
import { DestinationRule } from '../../../resources/networking/destination-rule/destination-rule';
import { serviceOfHost } from '../../private/service-names';
import { ReleaseVersion } from '../release-version';

function rulesFor(
  scope: Construct, model: ReleaseModel, traffic: GatewayApiTraffic, prefix: string | undefined, rewritePrefix: string | undefined,
): HttpRouteRule[] {
  const { stable, canary, weight } = traffic;
  const backend = (v: ReleaseVersion, w?: number, filters?: BackendFilter[]) =>
    BackendRef.fromService(v.service!, { weight: w, filters, port: model.port });
  let weighted: BackendRef[];
  if (weight === 0) {weighted = [backend(stable)];} else if (weight === 100) {weighted = [backend(canary)];} else {
    const affinity = model.affinity;
    const setCookie = affinity !== undefined
      ? [BackendFilter.responseHeaderModifier({ add: { 'set-cookie': `${affinity.cookie}=${affinity.value}; Max-Age=${affinity.maxAgeSeconds}; Path=/` } })]
      : undefined;
    weighted = [backend(stable, 100 - weight), backend(canary, weight, setCookie)];
  }
  const rewrite = rewritePrefix !== undefined ? [HttpRouteFilter.urlRewrite({ path: HttpPathModifier.replacePrefixMatch(rewritePrefix) })] : [];
  return model.rules.map((rule) => {
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
      timeouts: model.timeout ? { request: model.timeout } : undefined,
    };
  });
}

/** The Gateway API rendering: HTTPRoutes for the mesh (GAMMA) and the gateways, DestinationRules for policies. */
export function renderGatewayApiRoutes(scope: Construct, model: ReleaseModel, traffic: GatewayApiTraffic): {
  destinationRules: DestinationRule[];
  routes: KubernetesHttpRoute[];
} {
  const { name, namespace } = model;
  if (model.faults.length > 0) invalid(scope, 'faults', model.faults.length, 'no faults with gatewayApi: HTTPRoute has no fault injection (use Istio routing)');
  if (model.retries) invalid(scope, 'retries', 'RetryPolicy', 'no retries with gatewayApi: HTTPRoute in the standard channel has none (use Istio routing)');
  const routes: KubernetesHttpRoute[] = [];
  if (traffic.meshRoute) {
    const svc = serviceOfHost(model.host.name);
    if (!svc) invalid(scope, 'host', model.host.name, 'a Kubernetes Service (`name` or `name.namespace.svc.<domain>`): a mesh HTTPRoute attaches to a Service');
    routes.push(new KubernetesHttpRoute(scope, 'HttpRoute', {
      name,
      namespace,
      parentRefs: [ParentRef.service(svc.name, { namespace: svc.namespace === namespace ? undefined : svc.namespace })],
      rules: rulesFor(scope, model, traffic, undefined, undefined),
    }));
  }
  if (traffic.gateways.length > 0) {
    routes.push(new KubernetesHttpRoute(scope, 'GatewayHttpRoute', {
      name: `${name}-gateway`,
      namespace,
      parentRefs: traffic.gateways,
      hostnames: traffic.hostnames,
      rules: rulesFor(scope, model, traffic, traffic.pathPrefix, traffic.rewritePrefix),
    }));
  }
  return { destinationRules: versionDestinationRules(scope, model, traffic), routes };
}
