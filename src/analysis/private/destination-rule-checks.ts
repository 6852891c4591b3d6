import { finding } from './finding';
import { fqdn, AnalysisInput, CLUSTER_DOMAIN } from './model';
import { AnalysisCode } from '../analysis-code';
import { AnalysisFinding } from '../analysis-finding';

/**
 * IST0128 / IST0129, and the subset level istioctl skips: SIMPLE or MUTUAL TLS that does not
 * verify the server. istioctl's analyzer still keys on an empty `caCertificates`, but since the
 * proxies verify against the OS CA bundle when it is omitted (the API's documented behaviour in
 * 1.30), only `insecureSkipVerify` leaves the server unverified.
 */
export function unverifiedServerCertificates(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  const unverified = (tls: any) => (tls?.mode === 'SIMPLE' || tls?.mode === 'MUTUAL') && tls.insecureSkipVerify === true;
  for (const dr of model.of('networking.istio.io', 'DestinationRule')) {
    const spec = dr.json.spec ?? {};
    const host = spec.host;
    const name = `${model.ns(dr)}/${dr.json.metadata?.name}`;
    const fix = 'remove insecureSkipVerify (the OS CA bundle verifies public servers), or give caCertificates / a credentialName with the CA';
    if (unverified(spec.trafficPolicy?.tls)) {
      out.push(finding(dr, AnalysisCode.IST0128,
        `DestinationRule ${name} has TLS mode set to ${spec.trafficPolicy.tls.mode} with insecureSkipVerify: the server identity is not validated for host: ${host}`, fix));
    }
    for (const p of spec.trafficPolicy?.portLevelSettings ?? []) {
      if (unverified(p.tls)) {
        out.push(finding(dr, AnalysisCode.IST0129,
          `DestinationRule ${name} has TLS mode set to ${p.tls.mode} with insecureSkipVerify: the server identity is not validated for host: ${host} at port number: ${p.port?.number}`, fix));
      }
    }
    for (const sub of spec.subsets ?? []) {
      if (unverified(sub.trafficPolicy?.tls)) {
        out.push(finding(dr, AnalysisCode.CDK8S_ISTIO_SUBSET_TLS_UNVERIFIED,
          `subset "${sub.name}" originates ${sub.trafficPolicy.tls.mode} TLS to ${host} with insecureSkipVerify: the server is not verified`, fix));
      }
    }
  }
  return out;
}

/**
 * The mTLS mode in effect for workloads of `namespace` (namespace-wide PeerAuthentication, else
 * the root namespace's, else Istio's PERMISSIVE default).
 */
export function namespaceMtlsMode(model: AnalysisInput, namespace: string): string {
  const wide = (ns: string) => model.namespaceWidePeerAuthentication(ns)?.json.spec?.mtls?.mode;
  const own = wide(namespace);
  if (own && own !== 'UNSET') return own;
  const root = wide(model.rootNamespace);
  return root && root !== 'UNSET' ? root : 'PERMISSIVE';
}

/** A DestinationRule that sends plaintext (tls DISABLE) to a host whose namespace requires STRICT mTLS: connections fail. */
export function plaintextToStrict(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (const dr of model.of('networking.istio.io', 'DestinationRule')) {
    const spec = dr.json.spec ?? {};
    const host = fqdn(model.ns(dr), spec.host ?? '');
    if (!host.endsWith(`.${CLUSTER_DOMAIN}`)) continue;
    const targetNs = host.split('.')[1];
    if (namespaceMtlsMode(model, targetNs) !== 'STRICT') continue;
    // A workload or port-level exception in the target namespace may be what the plaintext is for.
    if (model.of('security.istio.io', 'PeerAuthentication').some((p) => model.ns(p) === targetNs && p.json.spec?.selector)) continue;
    const places: string[] = [];
    if (spec.trafficPolicy?.tls?.mode === 'DISABLE') places.push('trafficPolicy');
    for (const p of spec.trafficPolicy?.portLevelSettings ?? []) if (p.tls?.mode === 'DISABLE') places.push(`port ${p.port?.number}`);
    for (const s of spec.subsets ?? []) if (s.trafficPolicy?.tls?.mode === 'DISABLE') places.push(`subset ${s.name}`);
    for (const place of places) {
      out.push(finding(dr, AnalysisCode.CDK8S_ISTIO_PLAINTEXT_TO_STRICT,
        `${place} disables TLS towards ${host}, whose namespace ${targetNs} requires STRICT mutual TLS: every connection is refused`,
        'use ISTIO_MUTUAL (or leave tls out: Istio sends mTLS automatically), or relax the server side with a PeerAuthentication exception'));
    }
  }
  return out;
}
