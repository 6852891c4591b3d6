import { Construct } from 'constructs';
import { IstioRoutes, ReleaseModel, VersionPair } from './model';
import { scopeMatch } from './route-plan';
import { re2Literal } from '../../../private/regex';
import { invalid } from '../../../private/validate';
import { DestinationRule } from '../../../resources/networking/destination-rule/destination-rule';
import { ServiceHost } from '../../../resources/networking/service-host';
import { StringMatch } from '../../../resources/networking/string-match';
import { HttpRouteDestination } from '../../../resources/networking/virtual-service/destination';
import { HttpMatch } from '../../../resources/networking/virtual-service/http-match';
import { HttpRewrite } from '../../../resources/networking/virtual-service/http-rewrite';
import { HttpRoute } from '../../../resources/networking/virtual-service/http-route';
import { VirtualService } from '../../../resources/networking/virtual-service/virtual-service';
import { checkAppRule, ensureSubset } from '../../private/app-destination-rule';
import { ReleaseVersion } from '../release-version';

/** Where a version's traffic goes: its subset of the service, or its own host. */
function destinationOf(model: ReleaseModel, version: ReleaseVersion): HttpRouteDestination {
  const port = model.port;
  return version.service ? { host: version.host!, port } : { host: model.host, subset: version.name, port };
}

/**
 * The versions' subsets added to the app's own DestinationRule: one rule per host and namespace,
 * where a second would be merged by Istio with the newer one's policy dropped
 * (mergeDestinationRule in pilot/pkg/model/destination_rule.go at 1.30.3).
 */
function intoExistingRule(scope: Construct, model: ReleaseModel, versions: VersionPair, rule: DestinationRule): DestinationRule[] {
  const field = 'routing destinationRule';
  if (versions.stable.service) invalid(scope, field, rule.node.path, 'subset versions (ReleaseVersions.subsets): host-level versions take no subsets');
  const gatewayNamespace = model.traffic.kind === 'istio' ? model.traffic.exposure?.gateway.namespace : undefined;
  checkAppRule(scope, rule, { field, host: model.host.name, namespace: model.namespace, whose: 'the release\'s', gatewayNamespace });
  if (model.trafficPolicy) invalid(scope, 'trafficPolicy', 'TrafficPolicy', 'no release policy with the app\'s DestinationRule: set the policy on that rule');
  for (const [version, policy] of [[versions.stable, undefined], [versions.canary, model.canaryTrafficPolicy]] as const) {
    if (ensureSubset(scope, field, rule, version.name, version.labels!, policy) === 'kept' && policy) {
      invalid(scope, 'canaryTrafficPolicy', 'TrafficPolicy', `no canary policy for subset "${version.name}", which the app's DestinationRule already defines: set it there`);
    }
  }
  return [rule];
}

/** DestinationRules: one with both subsets, or one per version host that has a policy. */
export function versionDestinationRules(scope: Construct, model: ReleaseModel, versions: VersionPair): DestinationRule[] {
  const { name, namespace, trafficPolicy, canaryTrafficPolicy } = model;
  const { stable, canary } = versions;
  if (model.traffic.kind === 'istio' && model.traffic.destinationRule) return intoExistingRule(scope, model, versions, model.traffic.destinationRule);
  if (!stable.service) {
    const rule = new DestinationRule(scope, 'DestinationRule', { name, namespace, host: model.host, trafficPolicy });
    rule.addSubset(stable.name, stable.labels!);
    rule.addSubset(canary.name, canary.labels!, canaryTrafficPolicy);
    return [rule];
  }
  const rules: DestinationRule[] = [];
  for (const [version, policy] of [[stable, trafficPolicy], [canary, canaryTrafficPolicy ?? trafficPolicy]] as const) {
    if (policy) {
      rules.push(new DestinationRule(scope, `DestinationRule-${version.name}`, { name: `${name}-${version.name}`, namespace, host: version.host!, trafficPolicy: policy }));
    }
  }
  return rules;
}

/**
 * The weighted destinations: one version at 0% and 100% of a static release; both otherwise, and
 * both always (100/0) when a controller patches the weights.
 */
function split(model: ReleaseModel, routes: IstioRoutes): HttpRouteDestination[] {
  const stable = destinationOf(model, routes.stable);
  const canary = destinationOf(model, routes.canary);
  const w = routes.weight;
  if (w === undefined) return [{ ...stable, weight: 100 }, { ...canary, weight: 0 }];
  if (w === 0) return [stable];
  if (w === 100) return [canary];
  const affinity = model.affinity;
  const setCookie = affinity !== undefined
    ? { response: { add: { 'set-cookie': `${affinity.cookie}=${affinity.value}; Max-Age=${affinity.maxAgeSeconds}; Path=/` } } }
    : undefined;
  return [{ ...stable, weight: 100 - w }, { ...canary, weight: w, headers: setCookie }];
}

/**
 * A gateway path prefix as whole path segments: Istio's `prefix` is a string prefix (`/pay` also
 * matches `/payroll`), so `/pay` becomes `exact /pay` or `prefix /pay/`, as the Gateway API's
 * PathPrefix matches (delivery review row 18). A match with its own URI keeps it.
 */
function segmentScoped(scoped: HttpMatch, original: HttpMatch, prefix: string | undefined): HttpMatch[] {
  if (prefix === undefined || prefix === '/' || prefix.endsWith('/')) return [scoped];
  // A match of its own is kept, unless it is the gateway prefix itself, which is split the same way.
  if (original.uri && !(original.uri.kind === 'prefix' && original.uri.value === prefix)) return [scoped];
  return [{ ...scoped, uri: StringMatch.exact(prefix) }, { ...scoped, uri: StringMatch.prefix(`${prefix}/`) }];
}

/** The rules as VirtualService HTTP routes, on a route serving `prefix` (a gateway path). */
function httpRoutes(
  scope: Construct, model: ReleaseModel, routes: IstioRoutes, prefix: string | undefined, rewrite: HttpRewrite | undefined,
): HttpRoute[] {
  const canary = destinationOf(model, routes.canary);
  const weighted = split(model, routes);
  return model.rules.map((rule) => {
    let match = rule.matches?.flatMap((m, i) => segmentScoped(scopeMatch(scope, `${rule.name} match[${i}]`, m, prefix), m, prefix));
    if (!match && prefix !== undefined && prefix !== '/') match = segmentScoped(scopeMatch(scope, rule.name, {}, prefix), {}, prefix);
    return {
      name: rule.name,
      match,
      destinations: rule.canaryOnly ? [canary] : weighted,
      fault: rule.fault,
      mirror: rule.mirror ? { ...canary, percentage: rule.mirror } : undefined,
      retries: model.retries,
      timeout: model.timeout,
      rewrite,
    };
  });
}

/**
 * Replaces the path prefix without doubling the slash Envoy's plain prefix rewrite leaves
 * (`/api/payments/x` rewritten to `/` would become `//x`): `/api/payments/x` → `/x`.
 */
function prefixRewrite(prefix: string, replacement: string): HttpRewrite {
  return HttpRewrite.uriRegex(`^${re2Literal(prefix.replace(/\/$/, ''))}/?(.*)`, `${replacement.replace(/\/$/, '')}/\\1`);
}

/** The Istio rendering: DestinationRules and the mesh and gateway VirtualServices. */
export function renderIstioRoutes(scope: Construct, model: ReleaseModel, routes: IstioRoutes): {
  destinationRules: DestinationRule[];
  virtualServices: VirtualService[];
} {
  const { name, namespace } = model;
  const destinationRules = versionDestinationRules(scope, model, routes);
  const virtualServices = [new VirtualService(scope, 'VirtualService', {
    name, namespace, hosts: [model.host], http: httpRoutes(scope, model, routes, undefined, undefined),
  })];
  const g = routes.exposure;
  if (g) {
    virtualServices.push(new VirtualService(scope, 'GatewayVirtualService', {
      name: `${name}-gateway`,
      namespace,
      hosts: g.hosts.map((h) => ServiceHost.of(h)),
      gateways: [g.gateway],
      http: httpRoutes(scope, model, routes, g.pathPrefix, g.rewritePrefix !== undefined ? prefixRewrite(g.pathPrefix, g.rewritePrefix) : undefined),
    }));
  }
  return { destinationRules, virtualServices };
}
