/**
 * The cluster a simulation reads: the objects of a set of manifests, indexed the way Istio and
 * Kubernetes look them up (namespaces and their data plane, workloads and their pods' labels,
 * Services with their ports, ServiceEntries, the mesh config, the gateways an IstioOperator or a
 * Gateway API Gateway deploys), with creation order taken from manifest order.
 */
import { parse } from 'yaml';
import { CLUSTER_DOMAIN, ContainerPort, DataPlane, MeshSettings, Obj, Pod, RegistryHost } from './cluster';
import { gatewayWorkloads } from './gateway-workloads';

export { CLUSTER_DOMAIN } from './cluster';
export type { Obj, DataPlane, ContainerPort, Pod, ServicePort, RegistryHost, MeshSettings } from './cluster';

export interface InventoryOptions {
  /** Data plane of namespaces the manifests do not declare. */
  readonly undeclaredNamespaces: DataPlane;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Rollout']);

export class Inventory {
  public readonly objects: Obj[] = [];
  public readonly mesh: MeshSettings;
  public readonly pods: Pod[] = [];
  public readonly namespaceLabels = new Map<string, { [k: string]: string }>();
  public readonly hosts = new Map<string, RegistryHost[]>();
  public readonly wildcardHosts: RegistryHost[] = [];
  private readonly byKind = new Map<string, Obj[]>();
  private readonly podsByNamespace = new Map<string, Pod[]>();

  constructor(manifests: any[], private readonly options: InventoryOptions) {
    manifests.forEach((json, order) => {
      if (!json || typeof json !== 'object' || typeof json.kind !== 'string') return;
      const obj: Obj = { json, order, namespace: json.metadata?.namespace ?? 'default', name: json.metadata?.name ?? '' };
      this.objects.push(obj);
      const list = this.byKind.get(json.kind) ?? [];
      list.push(obj);
      this.byKind.set(json.kind, list);
    });
    for (const ns of this.of('Namespace')) this.namespaceLabels.set(ns.name, ns.json.metadata?.labels ?? {});
    this.mesh = this.readMeshSettings();
    for (const kind of WORKLOAD_KINDS) for (const w of this.of(kind)) this.addPod(w, w.json.spec?.template);
    for (const p of this.of('Pod')) this.addPod(p, p.json);
    const gateways = gatewayWorkloads(this);
    for (const g of gateways.pods) this.pushPod(g);
    for (const svc of [...this.of('Service').map((s) => serviceHost(s)), ...gateways.services]) this.register(svc);
    for (const se of this.of('ServiceEntry')) for (const h of serviceEntryHosts(se)) this.register(h);
  }

  /** Objects of a kind (any API group), in manifest order. */
  public of(kind: string): Obj[] {
    return this.byKind.get(kind) ?? [];
  }

  public podsIn(namespace: string): Pod[] {
    return this.podsByNamespace.get(namespace) ?? [];
  }

  /** Pods of `namespace` whose labels carry all of `selector` (all of them without one). */
  public podsSelected(namespace: string, selector: { [k: string]: string } | undefined): Pod[] {
    return this.podsIn(namespace).filter((p) => selects(selector, p.labels));
  }

  public findPod(namespace: string, name: string): Pod | undefined {
    return this.podsIn(namespace).find((p) => p.name === name);
  }

  /** The registry entry `host` as seen from `namespace` (exact first, then the longest wildcard). */
  public lookup(namespace: string | undefined, host: string): RegistryHost | undefined {
    // No namespace: every entry is visible (ztunnel's view, which has no exportTo).
    const visible = (h: RegistryHost) => namespace === undefined || h.exportTo.includes('*') || h.exportTo.includes(namespace);
    const exact = (this.hosts.get(host) ?? []).filter(visible);
    if (exact.length > 0) return exact[0];
    return this.wildcardHosts.filter((w) => visible(w) && hostMatches(w.host, host)).sort((a, b) => b.host.length - a.host.length)[0];
  }

  /** The data plane of a namespace, from its labels. */
  public namespaceDataPlane(namespace: string): { plane: DataPlane; reason: string } {
    const labels = this.namespaceLabels.get(namespace);
    if (labels === undefined) {
      return { plane: this.options.undeclaredNamespaces, reason: `namespace ${namespace} is not in the manifests: assumed ${this.options.undeclaredNamespaces}` };
    }
    if (labels['istio.io/dataplane-mode'] === 'ambient') return { plane: 'ambient', reason: `namespace ${namespace} has istio.io/dataplane-mode=ambient` };
    if (labels['istio-injection'] === 'enabled') return { plane: 'sidecar', reason: `namespace ${namespace} has istio-injection=enabled` };
    if (labels['istio.io/rev'] && labels['istio-injection'] !== 'disabled') return { plane: 'sidecar', reason: `namespace ${namespace} has istio.io/rev=${labels['istio.io/rev']}` };
    return { plane: 'none', reason: `namespace ${namespace} has no injection or ambient label` };
  }

  /** The SPIFFE principal of a ServiceAccount, without `spiffe://`. */
  public principal(namespace: string, serviceAccount: string): string {
    return `${this.mesh.trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
  }

  public pushPod(pod: Pod): void {
    this.pods.push(pod);
    const list = this.podsByNamespace.get(pod.namespace) ?? [];
    list.push(pod);
    this.podsByNamespace.set(pod.namespace, list);
  }

  private addPod(obj: Obj, template: any): void {
    const labels = template?.metadata?.labels ?? obj.json.spec?.selector?.matchLabels ?? {};
    const annotations = template?.metadata?.annotations ?? {};
    const spec = template?.spec ?? {};
    const containerPorts: ContainerPort[] = (spec.containers ?? [])
      .flatMap((c: any) => (c.ports ?? []).map((p: any) => ({ name: p.name, port: p.containerPort })));
    const ns = this.namespaceDataPlane(obj.namespace);
    let plane = ns.plane;
    let reason = ns.reason;
    const inject = labels['sidecar.istio.io/inject'] ?? annotations['sidecar.istio.io/inject'];
    if (inject === 'false' && plane === 'sidecar') [plane, reason] = ['none', 'pod template has sidecar.istio.io/inject=false'];
    else if (inject === 'true' && plane === 'none') [plane, reason] = ['sidecar', 'pod template has sidecar.istio.io/inject=true'];
    if (plane === 'ambient' && labels['istio.io/dataplane-mode'] === 'none') [plane, reason] = ['none', 'pod template has istio.io/dataplane-mode=none'];
    this.pushPod({
      id: `${obj.namespace}/${obj.name}`,
      kind: obj.json.kind,
      name: obj.name,
      namespace: obj.namespace,
      labels,
      annotations,
      serviceAccount: spec.serviceAccountName ?? spec.serviceAccount ?? 'default',
      containerPorts,
      dataPlane: plane,
      dataPlaneReason: reason,
    });
  }

  private readMeshSettings(): MeshSettings {
    const operator = this.of('IstioOperator')[0];
    let config: any = operator?.json.spec?.meshConfig;
    let source = operator ? `IstioOperator ${operator.namespace}/${operator.name}` : '';
    if (!operator) {
      const cm = this.of('ConfigMap').find((c) => c.name === 'istio' && typeof c.json.data?.mesh === 'string');
      if (cm) {
        config = parse(cm.json.data.mesh);
        source = `ConfigMap ${cm.namespace}/istio`;
      }
    }
    config = config ?? {};
    // meshConfig.rootNamespace defaults to values.global.istioNamespace, itself istio-system: the
    // IstioOperator's own namespace does not move it (operator/pkg/apis/types.go at 1.30.3).
    const root = config.rootNamespace ?? operator?.json.spec?.values?.global?.istioNamespace ?? 'istio-system';
    return {
      rootNamespace: root,
      trustDomain: config.trustDomain ?? 'cluster.local',
      trustDomainAliases: config.trustDomainAliases ?? [],
      outboundMode: config.outboundTrafficPolicy?.mode === 'REGISTRY_ONLY' ? 'REGISTRY_ONLY' : 'ALLOW_ANY',
      autoMtls: config.enableAutoMtls ?? true,
      source: source || "Istio's defaults (no IstioOperator or istio ConfigMap in the manifests)",
    };
  }

  private register(h: RegistryHost): void {
    if (h.host.startsWith('*')) {
      this.wildcardHosts.push(h);
      return;
    }
    const list = this.hosts.get(h.host) ?? [];
    list.push(h);
    this.hosts.set(h.host, list);
  }
}

function serviceHost(svc: Obj): RegistryHost {
  const exportAnnotation: string | undefined = svc.json.metadata?.annotations?.['networking.istio.io/exportTo'];
  return {
    kind: 'Service',
    host: `${svc.name}.${svc.namespace}.${CLUSTER_DOMAIN}`,
    namespace: svc.namespace,
    name: svc.name,
    order: svc.order,
    ports: (svc.json.spec?.ports ?? []).map((p: any) => ({
      name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? 'TCP', appProtocol: p.appProtocol,
    })),
    exportTo: exportScope(exportAnnotation ? exportAnnotation.split(',').map((s) => s.trim()) : undefined, svc.namespace),
    labels: svc.json.metadata?.labels ?? {},
    selector: svc.json.spec?.selector,
    external: svc.json.spec?.type === 'ExternalName',
    subjectAltNames: [],
    json: svc.json,
  };
}

function serviceEntryHosts(se: Obj): RegistryHost[] {
  const spec = se.json.spec ?? {};
  return (spec.hosts ?? []).map((host: string) => ({
    kind: 'ServiceEntry' as const,
    host: fqdn(se.namespace, host),
    namespace: se.namespace,
    name: se.name,
    order: se.order,
    ports: (spec.ports ?? []).map((p: any) => ({ name: p.name, port: p.number, targetPort: p.targetPort ?? p.number, protocol: p.protocol ?? 'TCP' })),
    exportTo: exportScope(spec.exportTo, se.namespace),
    labels: se.json.metadata?.labels ?? {},
    selector: spec.workloadSelector?.labels,
    // ServiceEntry.location defaults to MESH_EXTERNAL (networking/v1alpha3/service_entry.proto).
    external: (spec.location ?? 'MESH_EXTERNAL') === 'MESH_EXTERNAL',
    resolution: spec.resolution ?? 'NONE',
    subjectAltNames: spec.subjectAltNames ?? [],
    json: se.json,
  }));
}

/** `exportTo` as namespaces: `.` is the object's own, `*` (or nothing) is everywhere, `~` is nowhere. */
export function exportScope(exportTo: string[] | undefined, namespace: string): string[] {
  if (!exportTo || exportTo.length === 0) return ['*'];
  return exportTo.filter((e) => e !== '~').map((e) => (e === '.' ? namespace : e));
}

/** Istio's FQDN expansion: a short name gets `.<ns>.svc.cluster.local`; a two-label `name.ns` gets `.svc.cluster.local`. */
export function fqdn(namespace: string, host: string): string {
  if (host.startsWith('*') || host.includes('.')) return host;
  return `${host}.${namespace}.${CLUSTER_DOMAIN}`;
}

/** Whether `pattern` (exact, `*`, or `*.suffix`) matches the concrete `host`. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  return pattern.startsWith('*') && host.endsWith(pattern.slice(1));
}

/** Whether `labels` has every entry of `selector` (no selector selects everything). */
export function selects(selector: { [k: string]: string } | undefined, labels: { [k: string]: string }): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
