import { finding } from './finding';
import { fqdn, selects, AnalysisInput, Analyzed, CLUSTER_DOMAIN } from './model';
import { AnalysisCode } from '../analysis-code';
import { AnalysisLevel, AnalysisFinding } from '../analysis-finding';

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
 * SIMPLE or MUTUAL TLS with an explicit `sni` and no `subjectAltNames`: an explicit SNI turns off
 * auto-SNI and with it auto-SAN validation, so the proxy accepts any certificate a trusted CA
 * issued, for any name (istio/istio 1.30.3 pilot/pkg/networking/core/cluster_tls.go
 * `setAutoSniAndAutoSanValidation`; its test "SIMPLE ... without SubjectAltNames set" expects an
 * empty validation context). The names of the host's ServiceEntry stand in when the rule has none
 * (`constructUpstreamTLS`), so a host whose ServiceEntry lists them is not flagged.
 */
export function uncheckedHostnames(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  const entryNames = new Set<string>();
  for (const se of model.of('networking.istio.io', 'ServiceEntry')) {
    if ((se.json.spec?.subjectAltNames ?? []).length === 0) continue;
    for (const h of se.json.spec?.hosts ?? []) entryNames.add(fqdn(model.ns(se), h));
  }
  const unchecked = (tls: any) => (tls?.mode === 'SIMPLE' || tls?.mode === 'MUTUAL') && typeof tls.sni === 'string' && tls.sni !== ''
    && (tls.subjectAltNames ?? []).length === 0 && tls.insecureSkipVerify !== true;
  for (const dr of model.of('networking.istio.io', 'DestinationRule')) {
    const spec = dr.json.spec ?? {};
    if (entryNames.has(fqdn(model.ns(dr), spec.host ?? ''))) continue;
    const levels: Array<[string, any]> = [
      ['', spec.trafficPolicy?.tls],
      ...(spec.trafficPolicy?.portLevelSettings ?? []).map((p: any): [string, any] => [` at port ${p.port?.number}`, p.tls]),
      ...(spec.subsets ?? []).map((sub: any): [string, any] => [` in subset "${sub.name}"`, sub.trafficPolicy?.tls]),
    ];
    for (const [where, tls] of levels) {
      if (!unchecked(tls)) continue;
      out.push(finding(dr, AnalysisCode.CDK8S_ISTIO_TLS_HOSTNAME_UNCHECKED,
        `DestinationRule ${model.ns(dr)}/${dr.json.metadata?.name} originates ${tls.mode} TLS to ${spec.host}${where} with sni "${tls.sni}" and no subjectAltNames: `
        + 'the server certificate is checked against the CA but not against any name, so any trusted certificate for any host is accepted',
        `add subjectAltNames: ["${tls.sni}"], or remove sni (Istio then sends the request's host as SNI and checks the certificate against it)`));
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

/** The Service a DestinationRule's host names, when it is in the input: `<name>.<ns>.svc.cluster.local`. */
function serviceOf(model: AnalysisInput, host: string): Analyzed | undefined {
  const m = new RegExp(`^([a-z0-9-]+)\\.([a-z0-9-]+)\\.${CLUSTER_DOMAIN.replace(/\./g, '\\.')}$`).exec(host);
  if (!m) return undefined;
  return model.of('', 'Service').find((s) => s.json.metadata?.name === m[1] && model.ns(s) === m[2]);
}

/** Pod labels set after the manifests are applied (the injector, the ReplicaSet and StatefulSet controllers, Argo Rollouts). */
const RUNTIME_LABELS = new Set([
  'service.istio.io/canonical-name', 'service.istio.io/canonical-revision', 'security.istio.io/tlsMode', 'pod-template-hash',
  'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'rollouts-pod-template-hash',
]);

/** The subsets, by host (FQDN), that a route of the input sends a share of its requests to, or mirrors to. */
function routedSubsets(model: AnalysisInput): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (ns: string, d: any) => {
    if (!d?.subset) return;
    const host = fqdn(ns, d.host ?? '');
    out.set(host, (out.get(host) ?? new Set()).add(d.subset));
  };
  for (const vs of model.of('networking.istio.io', 'VirtualService')) {
    const ns = model.ns(vs);
    for (const rule of vs.json.spec?.http ?? []) {
      const routes: any[] = rule.route ?? [];
      for (const r of routes) if (routes.length === 1 || (r.weight ?? 0) > 0) add(ns, r.destination);
      add(ns, rule.mirror);
    }
  }
  return out;
}

/**
 * A subset a route sends requests to whose labels no workload behind the host's Service carries:
 * the subset has no endpoints, so what is routed there fails with 503 (no healthy upstream).
 * Decided only when the Service and at least one of its workloads are in the input (the app's
 * workloads are then taken to be there); labels set at run time are not compared.
 */
export function emptySubsets(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  let routedByHost: Map<string, Set<string>> | undefined;
  for (const dr of model.of('networking.istio.io', 'DestinationRule')) {
    const spec = dr.json.spec ?? {};
    const host = fqdn(model.ns(dr), spec.host ?? '');
    const svc = serviceOf(model, host);
    const selector = svc?.json.spec?.selector;
    if (!svc || !selector || Object.keys(selector).length === 0) continue;
    const behind = model.workloadsSelected(model.ns(svc), selector);
    if (behind.length === 0) continue;
    routedByHost ??= routedSubsets(model);
    const routed = routedByHost.get(host) ?? new Set<string>();
    for (const sub of spec.subsets ?? []) {
      if (!routed.has(sub.name)) continue;
      const labels: { [k: string]: string } = Object.fromEntries(Object.entries<string>(sub.labels ?? {}).filter(([k]) => !RUNTIME_LABELS.has(k)));
      if (behind.some((w) => selects(labels, w.labels))) continue;
      out.push(finding(dr, AnalysisCode.CDK8S_ISTIO_EMPTY_SUBSET,
        `subset "${sub.name}" of ${spec.host} selects ${JSON.stringify(sub.labels ?? {})}, which no workload behind Service ${model.ns(svc)}/${svc.json.metadata.name} `
        + `carries (${behind.map((w) => `${w.kind} ${w.name}`).join(', ')}): requests routed to it get 503`,
        'give the subset the labels of the version\'s pod template, or deploy that version behind the Service'));
    }
  }
  return out;
}

/**
 * Two DestinationRules without workload selector for one host in one namespace. Exported alike,
 * Istio merges them in creation order, adding the newer one's subsets except names the older has
 * and keeping only the older's top-level traffic policy; exported differently, they are not
 * merged, and a client that sees both uses one of them only (mergeDestinationRule in
 * pilot/pkg/model/destination_rule.go, SidecarScope.DestinationRule in pilot/pkg/model/sidecar.go
 * at 1.30.3). An error when something is dropped either way.
 */
export function mergedDestinationRules(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  const groups = new Map<string, Analyzed[]>();
  for (const dr of model.of('networking.istio.io', 'DestinationRule')) {
    const spec = dr.json.spec ?? {};
    if (spec.workloadSelector) continue;
    const key = JSON.stringify([model.ns(dr), fqdn(model.ns(dr), spec.host ?? '')]);
    groups.set(key, [...(groups.get(key) ?? []), dr]);
  }
  const exportKey = (r: Analyzed) => JSON.stringify([...(r.json.spec?.exportTo ?? [])].sort());
  for (const rules of groups.values()) {
    if (rules.length < 2) continue;
    const names = rules.map((r) => r.json.metadata?.name);
    const subsets = rules.flatMap((r) => (r.json.spec?.subsets ?? []).map((x: any) => x.name));
    const repeated = [...new Set(subsets.filter((n, i) => subsets.indexOf(n) !== i))];
    const policies = rules.filter((r) => r.json.spec?.trafficPolicy).length;
    const apart = new Set(rules.map(exportKey)).size > 1;
    const dropped = apart
      ? ['they are exported differently, so Istio does not merge them and a client that sees both uses only one']
      : [
        ...(repeated.length > 0 ? [`subsets ${repeated.join(', ')} are defined by more than one and only the oldest's is used`] : []),
        ...(policies > 1 ? ['only the oldest\'s top-level trafficPolicy applies'] : []),
      ];
    for (const r of rules.slice(1)) {
      out.push(finding(r, AnalysisCode.CDK8S_ISTIO_MERGED_DESTINATION_RULES,
        `DestinationRules ${names.join(', ')} in ${model.ns(r)} are all for ${r.json.spec?.host}`
        + (apart ? `: ${dropped[0]}` : `: Istio merges them in creation order${dropped.length > 0 ? `, and ${dropped.join('; ')}` : ''}`),
        'keep one DestinationRule per host and namespace: add the subsets to the existing one',
        dropped.length > 0 ? AnalysisLevel.ERROR : AnalysisCode.CDK8S_ISTIO_MERGED_DESTINATION_RULES.level));
    }
  }
  return out;
}
