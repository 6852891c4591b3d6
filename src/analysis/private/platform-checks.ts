import { finding } from './finding';
import { Analyzed, AnalysisInput, kindKey, selects } from './model';
import { AnalysisCode } from '../analysis-code';
import { AnalysisFinding } from '../analysis-finding';

const KNOWN_PROTOCOLS = ['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql'];
const APP_PROTOCOL_ALIASES: { [k: string]: string } = { 'kubernetes.io/h2c': 'http2', 'kubernetes.io/ws': 'http', 'kubernetes.io/wss': 'https' };

/** IST0118: Service ports whose protocol Istio cannot tell from the name or appProtocol. */
export function portNaming(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (const svc of model.of('', 'Service')) {
    const labels = svc.json.metadata?.labels ?? {};
    if ('istio' in labels || labels.release === 'istio') continue;
    for (const p of svc.json.spec?.ports ?? []) {
      if (p.protocol === 'UDP') continue;
      const source = String(APP_PROTOCOL_ALIASES[p.appProtocol] ?? p.appProtocol ?? p.name ?? '').toLowerCase();
      const prefix = source.startsWith('grpc-web') ? 'grpc-web' : source.split('-')[0];
      if (KNOWN_PROTOCOLS.includes(prefix) || [25, 53, 3306, 27017].includes(p.port)) continue;
      out.push(finding(svc, AnalysisCode.IST0118,
        `Port name ${p.name ?? '(none)'} (port: ${p.port}, targetPort: ${p.targetPort ?? p.port}) doesn't follow the naming convention of Istio port.`,
        'name the port <protocol>[-<suffix>] (http, http2, grpc, tcp, tls...) or set appProtocol, so Istio does not fall back to protocol sniffing'));
    }
  }
  return out;
}

/** IST0123: a namespace with more than one injection or dataplane label. */
export function injectionLabels(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (const ns of model.of('', 'Namespace')) {
    if (ns.json.metadata?.name === 'istio-system') continue;
    const labels = ns.json.metadata?.labels ?? {};
    const set = ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode'].filter((k) => k in labels);
    if (set.length > 1 && (labels['istio-injection'] === undefined || labels['istio-injection'] === 'enabled')) {
      out.push(finding(ns, AnalysisCode.IST0123, `The namespace has more than one type of injection labels: ${set.join(', ')}`,
        'keep one: istio-injection=enabled, istio.io/rev=<revision> (with revisions), or istio.io/dataplane-mode=ambient'));
    }
  }
  return out;
}

/** IST0111 / IST0160: several namespace-wide Sidecars or Telemetries in one namespace. */
export function namespaceWideDuplicates(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  const groups: Array<[string, string, AnalysisCode, (spec: any) => boolean]> = [
    ['networking.istio.io', 'Sidecar', AnalysisCode.IST0111, (s) => !s?.workloadSelector || Object.keys(s.workloadSelector.labels ?? {}).length === 0],
    ['telemetry.istio.io', 'Telemetry', AnalysisCode.IST0160, (s) => s?.selector === undefined],
  ];
  for (const [group, kind, code, namespaceWide] of groups) {
    const byNs = new Map<string, Analyzed[]>();
    for (const o of model.of(group, kind)) {
      if (!namespaceWide(o.json.spec)) continue;
      const list = byNs.get(model.ns(o)) ?? [];
      list.push(o);
      byNs.set(model.ns(o), list);
    }
    for (const [ns, list] of byNs) {
      if (list.length < 2) continue;
      const names = list.map((o) => o.json.metadata?.name).join(', ');
      for (const o of list) {
        out.push(finding(o, code,
          `The ${kind}s [${names}] in namespace "${ns}" have no workload selector: Istio applies one of them, which one is undefined.`,
          `keep one namespace-wide ${kind} per namespace and give the others a selector`));
      }
    }
  }
  return out;
}

/** IST0134: ServiceEntry TCP ports without addresses (every TCP connection on the port matches). */
export function tcpWithoutAddresses(model: AnalysisInput): AnalysisFinding[] {
  const metadata = model.meshConfig.defaultConfig?.proxyMetadata ?? {};
  if (metadata.ISTIO_META_DNS_CAPTURE === 'true' && (metadata.ISTIO_META_DNS_AUTO_ALLOCATE === 'true' || metadata.PILOT_ENABLE_IP_AUTOALLOCATE === 'true')) return [];
  const out: AnalysisFinding[] = [];
  for (const se of model.of('networking.istio.io', 'ServiceEntry')) {
    if ((se.json.spec?.addresses ?? []).length > 0) continue;
    for (const p of se.json.spec?.ports ?? []) {
      if (!p.protocol || String(p.protocol).toUpperCase() === 'TCP') {
        out.push(finding(se, AnalysisCode.IST0134,
          `ServiceEntry addresses are required for this protocol (port ${p.number}).`,
          'give the ServiceEntry its addresses, or turn on DNS capture with address auto-allocation'));
      }
    }
  }
  return out;
}

/** Built-in providers Istio's default mesh config defines. */
const DEFAULT_PROVIDERS = ['prometheus', 'stackdriver', 'envoy'];

/** Telemetry providers the mesh config does not define, and access logging without providers (IST0157). */
export function telemetryProviders(model: AnalysisInput): AnalysisFinding[] {
  if (!model.hasMeshConfig) return [];
  const defined = new Set<string>([...DEFAULT_PROVIDERS, ...(model.meshConfig.extensionProviders ?? []).map((p: any) => p.name)]);
  const defaults = model.meshConfig.defaultProviders ?? {};
  const out: AnalysisFinding[] = [];
  for (const t of model.of('telemetry.istio.io', 'Telemetry')) {
    for (const section of ['metrics', 'accessLogging', 'tracing']) {
      (t.json.spec?.[section] ?? []).forEach((entry: any, i: number) => {
        for (const p of entry.providers ?? []) {
          if (!defined.has(p.name)) {
            out.push(finding(t, AnalysisCode.CDK8S_ISTIO_UNKNOWN_PROVIDER,
              `${section}[${i}] names provider "${p.name}", which the mesh config's extensionProviders do not define (known: ${[...defined].sort().join(', ')})`,
              'add the provider to the Mesh (observability tracing / extension providers), or fix the name'));
          }
        }
        if (section === 'accessLogging' && !entry.disabled && (entry.providers ?? []).length === 0 && (defaults.accessLogging ?? []).length === 0) {
          out.push(finding(t, AnalysisCode.IST0157,
            `The Telemetry ${model.ns(t)}/${t.json.metadata?.name} accessLogging[${i}] has no providers, and the mesh sets no default access log provider.`,
            'name a provider (envoy, or one of the mesh\'s), or set defaultProviders.accessLogging in the mesh config'));
        }
      });
    }
  }
  return out;
}

/** IST0110 / IST0159: a workload the app defines, selected by two Sidecars or two Telemetries. */
export function conflictingSelectors(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  const groups: Array<[string, string, AnalysisCode, (spec: any) => { [k: string]: string } | undefined]> = [
    ['networking.istio.io', 'Sidecar', AnalysisCode.IST0110, (s) => s?.workloadSelector?.labels],
    ['telemetry.istio.io', 'Telemetry', AnalysisCode.IST0159, (s) => s?.selector?.matchLabels],
  ];
  for (const [group, kind, code, selectorOf] of groups) {
    const selecting = model.of(group, kind).filter((o) => Object.keys(selectorOf(o.json.spec) ?? {}).length > 0);
    if (selecting.length < 2) continue;
    const byNs = new Map<string, Analyzed[]>();
    for (const o of selecting) byNs.set(model.ns(o), [...(byNs.get(model.ns(o)) ?? []), o]);
    for (const [ns, list] of byNs) {
      if (list.length < 2) continue;
      for (const w of model.workloadsIn(ns)) {
        const matching = list.filter((o) => selects(selectorOf(o.json.spec), w.labels));
        if (matching.length < 2) continue;
        const names = matching.map((o) => o.json.metadata?.name).join(', ');
        for (const o of matching) {
          out.push(finding(o, code, `The ${kind}s [${names}] in namespace "${ns}" select the same workload ${w.kind} ${w.name}: one of them applies, which one is undefined.`,
            `select each workload with one ${kind}: merge them or make the selectors disjoint`));
        }
      }
    }
  }
  return out;
}

/** IST0167: a Sidecar in an ambient namespace, where there is no sidecar to configure. */
export function sidecarsInAmbient(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (const sc of model.of('networking.istio.io', 'Sidecar')) {
    const labels = model.namespaceLabels.get(model.ns(sc)) ?? {};
    const ambient = labels['istio.io/dataplane-mode'] === 'ambient' && labels['istio-injection'] !== 'enabled' && labels['istio.io/rev'] === undefined;
    if (ambient) {
      out.push(finding(sc, AnalysisCode.IST0167, `The policy has no impact: namespace ${model.ns(sc)} is in ambient mode, where workloads have no sidecar.`,
        'remove the Sidecar; limit egress in ambient with a waypoint and AuthorizationPolicy instead'));
    }
  }
  return out;
}

/** IST0166: a selector that picks the pods of a Gateway API gateway; such policies attach with targetRefs. */
export function selectorsOnGatewayApiPods(model: AnalysisInput): AnalysisFinding[] {
  const gateways = new Set(model.of('gateway.networking.k8s.io', 'Gateway').map((g) => `${model.ns(g)}/${g.json.metadata?.name}`));
  if (gateways.size === 0) return [];
  const out: AnalysisFinding[] = [];
  const kinds: Array<[string, string]> = [
    ['security.istio.io', 'AuthorizationPolicy'], ['security.istio.io', 'RequestAuthentication'], ['telemetry.istio.io', 'Telemetry'],
  ];
  for (const [group, kind] of kinds) {
    for (const o of model.of(group, kind)) {
      const gatewayName = o.json.spec?.selector?.matchLabels?.['gateway.networking.k8s.io/gateway-name'];
      if (gatewayName === undefined || (o.json.spec?.targetRefs ?? o.json.spec?.targetRef) !== undefined) continue;
      if (gateways.has(`${model.ns(o)}/${gatewayName}`)) {
        out.push(finding(o, AnalysisCode.IST0166,
          `Ineffective selector: the selector picks the pods of Gateway ${gatewayName}, which Istio ignores for Gateway API gateways.`,
          `attach the policy with targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: ${gatewayName} }]`));
      }
    }
  }
  return out;
}

/**
 * One object (API group, kind, namespace, name) defined twice, in one file or two: applied one
 * after the other, the second replaces the first (`kubectl apply`, Argo CD and Flux alike).
 */
export function duplicateObjects(model: AnalysisInput): AnalysisFinding[] {
  const seen = new Map<string, Analyzed>();
  const out: AnalysisFinding[] = [];
  for (const o of model.objects) {
    const name = o.json.metadata?.name;
    if (typeof name !== 'string') continue;
    // istioctl reads an IstioOperator, nothing applies it: each cluster (or revision) has its own.
    if (kindKey(o.json) === 'install.istio.io/IstioOperator') continue;
    const key = JSON.stringify([kindKey(o.json), o.json.kind === 'Namespace' ? '' : model.ns(o), name]);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, o);
      continue;
    }
    const where = (x: Analyzed) => x.source ?? 'unknown source';
    out.push(finding(o, AnalysisCode.CDK8S_ISTIO_DUPLICATE_OBJECT,
      `${o.json.kind} ${name} is defined at ${where(first)} and again at ${where(o)}: applied one after the other, the second replaces the first`,
      'define it once (or give one of them another name)'));
  }
  return out;
}
