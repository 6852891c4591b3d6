/**
 * DestinationRules as a proxy finds them, and the TLS it uses upstream.
 * - Lookup for a host from a proxy in namespace N: N's rules (exported to N; a workloadSelector
 *   must match the proxy), else the host's namespace's rules exported to N, else the root
 *   namespace's; rules of one level for one host merge their subsets, the oldest's traffic policy
 *   wins; levels do not merge (pilot/pkg/model/push_context.go `destinationRule`,
 *   pilot/pkg/model/destination_rule.go `MergeDestinationRule` at 1.30.3).
 * - Upstream TLS (pilot/pkg/networking/core/cluster_tls.go): without a `tls` mode, auto mTLS
 *   sends Istio mTLS to endpoints with a proxy (never to MESH_EXTERNAL hosts); SIMPLE/MUTUAL
 *   originate TLS: an explicit `sni` turns auto-SNI off, and with it the automatic check of the
 *   server certificate's name against the host; `subjectAltNames` (the rule's, else the
 *   ServiceEntry's) are checked when given; no `caCertificates` means the OS bundle;
 *   `insecureSkipVerify` checks nothing.
 */
import type { Inventory, Obj, Pod, RegistryHost } from './inventory';
import { exportScope, fqdn, hostMatches, selects } from './inventory';
import type { UpstreamTls } from '../verdict';

export interface FoundRule {
  readonly rules: Obj[];
  readonly describe: string;
  readonly subsets: any[];
  readonly trafficPolicy: any;
}

export function destinationRule(inv: Inventory, proxy: Pod, host: string, hostNamespace: string | undefined): FoundRule | undefined {
  const all = inv.of('DestinationRule');
  const visible = (dr: Obj) => {
    const scope = exportScope(dr.json.spec?.exportTo, dr.namespace);
    return scope.includes('*') || scope.includes(proxy.namespace);
  };
  const forHost = (dr: Obj) => hostMatches(fqdn(dr.namespace, dr.json.spec?.host ?? ''), host);
  const levels = [proxy.namespace, hostNamespace, inv.mesh.rootNamespace].filter((n): n is string => n !== undefined);
  for (const ns of new Set(levels)) {
    const found = all.filter((dr) => dr.namespace === ns && visible(dr) && forHost(dr)
      && (!dr.json.spec?.workloadSelector || (ns === proxy.namespace && selects(dr.json.spec.workloadSelector.matchLabels, proxy.labels))));
    if (found.length === 0) continue;
    const exact = found.filter((dr) => fqdn(dr.namespace, dr.json.spec.host) === host);
    const rules = (exact.length > 0 ? exact : found).sort((a, b) => a.order - b.order);
    return {
      rules,
      describe: rules.map((r) => `DestinationRule ${r.namespace}/${r.name}`).join(' + '),
      subsets: rules.flatMap((r) => r.json.spec?.subsets ?? []),
      trafficPolicy: rules[0].json.spec?.trafficPolicy,
    };
  }
  return undefined;
}

/** The `tls` settings for a port (and subset): the subset's over the rule's, port-level over the policy's. */
export function tlsSettings(rule: FoundRule | undefined, port: number, subset?: string): any {
  const fromPolicy = (tp: any) => tp?.portLevelSettings?.find((p: any) => p.port?.number === port)?.tls ?? tp?.tls;
  const sub = subset ? rule?.subsets.find((s) => s.name === subset) : undefined;
  return fromPolicy(sub?.trafficPolicy) ?? fromPolicy(rule?.trafficPolicy);
}

/** What a SIMPLE or MUTUAL origination verifies, for a request to `host`. */
export function upstreamTls(tls: any, host: string, entry: RegistryHost | undefined): UpstreamTls {
  const sni: string = tls.sni || host;
  if (tls.insecureSkipVerify) {
    return { sni, chainVerified: false, hostnameVerified: false, subjectAltNames: [], reason: 'insecureSkipVerify: the server certificate is not checked at all' };
  }
  const sans: string[] = tls.subjectAltNames?.length ? tls.subjectAltNames : entry?.subjectAltNames ?? [];
  const ca = tls.caCertificates ? 'the given CA' : tls.credentialName ? `the CA of secret ${tls.credentialName}` : 'the OS trust bundle';
  if (sans.length > 0) {
    const ok = sans.some((s) => hostMatches(s, host));
    return { sni, chainVerified: true, hostnameVerified: ok, subjectAltNames: sans, reason: `chain checked against ${ca}; names checked against subjectAltNames ${sans.join(', ')}${ok ? '' : ` (which do not cover ${host})`}` };
  }
  if (tls.sni) {
    return { sni, chainVerified: true, hostnameVerified: false, subjectAltNames: [], reason: `chain checked against ${ca}, but an explicit sni without subjectAltNames turns off auto-SNI and with it the hostname check: any certificate that chains to ${ca} is accepted` };
  }
  return { sni, chainVerified: true, hostnameVerified: true, subjectAltNames: [host], reason: `auto-SNI from the Host; chain checked against ${ca} and the name against ${host} (auto SAN validation)` };
}
