import { IConstruct } from 'constructs';
import { ExposureModel, VersionPair } from './model';
import { hostProblem } from '../../../private/hosts';
import { invalid } from '../../../private/validate';
import { GatewayReference } from '../../../resources/networking/gateway/gateway-reference';
import { CanaryGatewayExposure } from '../canary-exposure';
import { CanaryPlan } from '../canary-plan';

/** The plan a release goes through when none is given: 5, 25, 50 and 100 percent. */
export function defaultPlan(): CanaryPlan {
  return CanaryPlan.weights([5, 25, 50, 100]);
}

/** Checks a gateway exposure: at least one external host, each a host name, and an absolute prefix. */
export function resolveExposure(where: IConstruct, g: CanaryGatewayExposure): ExposureModel {
  if (!Array.isArray(g.hosts) || g.hosts.length === 0) invalid(where, 'gateway.hosts', g.hosts, 'at least one external host');
  for (const h of g.hosts) {
    const problem = hostProblem(h);
    if (problem) invalid(where, 'gateway.hosts', h, problem);
  }
  const pathPrefix = g.pathPrefix ?? '/';
  if (!pathPrefix.startsWith('/')) invalid(where, 'gateway.pathPrefix', pathPrefix, "a path prefix starting with '/'");
  const gateway = GatewayReference.fromGateway(g.gateway);
  if (gateway.isMesh) invalid(where, 'gateway.gateway', 'mesh', 'an Istio Gateway (the mesh route is always written)');
  return { gateway, hosts: [...g.hosts], pathPrefix, rewritePrefix: g.rewritePrefix };
}

/** Checks that the canary is another version than the stable one: another name, and other pods or another Service. */
export function checkVersionPair(where: IConstruct, pair: VersionPair): VersionPair {
  const { stable, canary } = pair;
  if (stable.name === canary.name) invalid(where, 'canary name', canary.name, 'a version name different from the stable one');
  if (stable.service && canary.service) {
    if (stable.host!.name === canary.host!.name) invalid(where, 'canary service', canary.host!.name, 'a Service of its own, not the stable version\'s');
  } else if (sameLabels(stable.labels!, canary.labels!)) {
    invalid(where, 'canary labels', canary.labels, 'labels that differ from the stable version\'s: otherwise both subsets select the same pods');
  }
  return pair;
}

function sameLabels(a: { [k: string]: string }, b: { [k: string]: string }): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}
