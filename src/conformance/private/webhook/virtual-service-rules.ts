import { checkHttpRoute } from './http-route-rules';
import { checkGatewayNames, checkWeightedDestinations } from './reference-rules';
import {
  checkExportTo, hostsMatch, hostSubsetOf, ipSubnetError, isIpAddress, labelsErrors, list, msg, num, Obj, portError, Problems, str,
  wildcardDomainError,
} from './webhook-values';

/**
 * istiod's validating webhook on a VirtualService (`ValidateVirtualService` in istio/istio
 * `pkg/config/validation/validation.go` at 1.30.3). The unreachable-rule warnings are the
 * analyzer's business; only what the webhook rejects is reported.
 */

/** `isGateway`: true unless `mesh` is among the gateways (so also for none). */
function boundToGateways(spec: Obj): boolean {
  return !list(spec.gateways).map(str).includes('mesh');
}

/**
 * `agent.ValidateWildcardDomainForVirtualServiceBoundToGateway`: as `ValidateWildcardDomain`,
 * except that an SNI host may be the name Istio generates for AUTO_PASSTHROUGH
 * (`outbound_.80_._.reviews.default.svc.cluster.local`).
 */
function gatewayHostError(domain: string, sni: boolean): string | undefined {
  if (sni && domain.startsWith('outbound_') && domain.length <= 255) {
    const parts = domain.split('_');
    if (parts.length < 4) return `domain name ${domain} invalid, should follow 'outbound_.<PORT>_._.<HOSTNAME>' format`;
    const port = parts[1].replace(/^\.+|\.+$/g, '');
    const name = parts[3].replace(/^\.+|\.+$/g, '');
    if (!/[0-9]/.test(port)) return `domain name "${domain}" invalid (label "${port}" invalid). should follow outbound_.<PORT>_._.<HOSTNAME> format`;
    if (!/[a-zA-Z]/.test(name)) return `domain name "${domain}" invalid (label "${name}" invalid). should follow outbound_.<PORT>_._.<HOSTNAME> format`;
    return undefined;
  }
  return wildcardDomainError(domain);
}

function checkL4Match(p: Problems, path: string, match: Obj): void {
  for (const [i, subnet] of list(match.destinationSubnets).entries()) {
    const error = ipSubnetError(str(subnet));
    if (error) p.add(`${path}.destinationSubnets[${i}]`, error);
  }
  if (num(match.port) !== 0 && portError(num(match.port))) p.add(`${path}.port`, portError(num(match.port))!);
  for (const error of labelsErrors(match.sourceLabels)) p.add(`${path}.sourceLabels`, error);
  checkGatewayNames(p, `${path}.gateways`, match.gateways);
}

function checkTlsRoute(p: Problems, path: string, route: Obj, spec: Obj, gatewaySemantics: boolean): void {
  const matches = list(route.match);
  if (matches.length === 0) p.add(`${path}.match`, 'TLS route must have at least one match condition');
  for (const [i, m] of matches.entries()) {
    const match = msg(m) ?? {};
    const at = `${path}.match[${i}]`;
    const sniHosts = list(match.sniHosts).map(str);
    if (sniHosts.length === 0) p.add(`${at}.sniHosts`, 'TLS match must have at least one SNI host');
    for (const [j, sni] of sniHosts.entries()) {
      const error = boundToGateways(spec) ? gatewayHostError(sni, true) : wildcardDomainError(sni);
      if (error) {
        // An IP address draws a warning only (against the SNI spec, but accepted).
        if (!isIpAddress(sni)) p.add(`${at}.sniHosts[${j}]`, error);
        continue;
      }
      const hosts = list(spec.hosts).map(str);
      if (!hosts.some((h) => hostSubsetOf(sni, h))) {
        p.add(`${at}.sniHosts[${j}]`, `SNI host "${sni}" is not a compatible subset of any of the virtual service hosts: [${hosts.join(', ')}]`);
      }
    }
    checkL4Match(p, at, match);
  }
  if (list(route.route).length === 0) p.add(`${path}.route`, 'TLS route is required');
  checkWeightedDestinations(p, `${path}.route`, list(route.route), gatewaySemantics);
}

function checkTcpRoute(p: Problems, path: string, route: Obj, gatewaySemantics: boolean): void {
  for (const [i, m] of list(route.match).entries()) checkL4Match(p, `${path}.match[${i}]`, msg(m) ?? {});
  if (list(route.route).length === 0) p.add(`${path}.route`, 'TCP route is required');
  checkWeightedDestinations(p, `${path}.route`, list(route.route), gatewaySemantics);
}

function checkHosts(p: Problems, spec: Obj, appliesToGateway: boolean, appliesToMesh: boolean): void {
  const hosts = list(spec.hosts).map(str);
  const sni = list(spec.tls).some((t) => list(msg(t)?.match).some((m) => list(msg(m)?.sniHosts).length > 0));
  let allValid = true;
  for (const [i, host] of hosts.entries()) {
    const error = appliesToGateway ? gatewayHostError(host, sni) : wildcardDomainError(host);
    if (error) {
      if (!isIpAddress(host)) {
        p.add(`spec.hosts[${i}]`, error);
        allValid = false;
      }
    } else if (appliesToMesh && host === '*') {
      p.add(`spec.hosts[${i}]`, 'wildcard host * is not allowed for virtual services bound to the mesh gateway');
      allValid = false;
    }
  }
  if (!allValid) return;
  for (let i = 0; i < hosts.length; i++) {
    for (let j = i + 1; j < hosts.length; j++) {
      if (hostsMatch(hosts[i], hosts[j])) p.add(`spec.hosts[${j}]`, `duplicate hosts in virtual service: ${hosts[i]} & ${hosts[j]}`);
    }
  }
}

/**
 * The webhook's verdict on a VirtualService's spec. `gatewaySemantics`: istiod made it from a
 * Gateway API route (`internal.istio.io/route-semantics: gateway`), which relaxes some rules.
 */
export function checkVirtualService(p: Problems, spec: Obj, namespace: string | undefined, gatewaySemantics: boolean): void {
  const delegateService = list(spec.hosts).length === 0;
  if (delegateService) {
    if (list(spec.gateways).length > 0) p.add('spec.gateways', 'delegate virtual service must have no gateways specified');
    if (list(spec.tls).length > 0) p.add('spec.tls', 'delegate virtual service must have no tls route specified');
    if (list(spec.tcp).length > 0) p.add('spec.tcp', 'delegate virtual service must have no tcp route specified');
  }
  let appliesToGateway = false;
  let appliesToMesh = true;
  if (list(spec.gateways).length > 0) {
    checkGatewayNames(p, 'spec.gateways', spec.gateways, gatewaySemantics);
    appliesToGateway = boundToGateways(spec);
    appliesToMesh = !appliesToGateway;
  }
  checkHosts(p, spec, appliesToGateway, appliesToMesh);
  if (list(spec.http).length === 0 && list(spec.tcp).length === 0 && list(spec.tls).length === 0) {
    p.add('spec', 'http, tcp or tls must be provided in virtual service');
  }
  const context = { delegateService, appliesToGateway, gatewaySemantics, gateways: list(spec.gateways).map(str) };
  for (const [i, route] of list(spec.http).entries()) checkHttpRoute(p, `spec.http[${i}]`, msg(route) ?? {}, context);
  for (const [i, route] of list(spec.tls).entries()) checkTlsRoute(p, `spec.tls[${i}]`, msg(route) ?? {}, spec, gatewaySemantics);
  for (const [i, route] of list(spec.tcp).entries()) checkTcpRoute(p, `spec.tcp[${i}]`, msg(route) ?? {}, gatewaySemantics);
  checkExportTo(p, 'spec.exportTo', namespace, spec.exportTo);
}
