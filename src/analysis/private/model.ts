/**
 * The whole configuration an analysis looks at, indexed the way Istio's analyzers look things
 * up (`pkg/config/analysis/analyzers/util` in istio/istio: FQDN expansion, export scopes).
 */

/** One object under analysis, with where it came from. */
export interface Analyzed {
  readonly json: any;
  readonly source?: string;
  /** The line the object starts on in its file. */
  readonly line?: number;
}

export const CLUSTER_DOMAIN = 'svc.cluster.local';

/** Istio's FQDN expansion: a short name gets `.<ns>.svc.cluster.local`; names with a dot or a leading `*` stay. */
export function fqdn(namespace: string, host: string): string {
  if (host.startsWith('*') || host.includes('.')) return host;
  return `${host}.${namespace}.${CLUSTER_DOMAIN}`;
}

/** Istio's `host.Name.Matches`: equal, or a wildcard covering the other, in either direction. */
export function hostsMatch(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  const covers = (w: string, h: string) => w.startsWith('*') && (h.endsWith(w.slice(1)) || (h.startsWith('*') && h.slice(1).endsWith(w.slice(1))));
  return covers(a, b) || covers(b, a);
}

/** Whether `labels` has every entry of `selector`. */
export function selects(selector: { [k: string]: string } | undefined, labels: { [k: string]: string } | undefined): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  return Object.entries(selector).every(([k, v]) => l[k] === v);
}

export interface ServicePort {
  readonly port: number;
  readonly name?: string;
  readonly protocol?: string;
  readonly appProtocol?: string;
}

export interface RegisteredHost {
  readonly host: string;
  readonly ports: ServicePort[];
  /** `*`, or the namespaces that see it. */
  readonly scope: string[];
  readonly kind: 'Service' | 'ServiceEntry';
}

export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: { [k: string]: string };
  readonly serviceAccount: string;
}

/** Objects of one analysis, by kind, with the lookups the checks share. */
export class AnalysisInput {
  public readonly objects: Analyzed[];
  public readonly meshConfig: any;
  public readonly hasMeshConfig: boolean;
  public readonly rootNamespace: string;
  public readonly trustDomain: string;
  /** The trust domain and its aliases: principals in any of them name this mesh's workloads. */
  public readonly trustDomains: Set<string>;
  public readonly hosts = new Map<string, RegisteredHost[]>();
  public readonly wildcardHosts: RegisteredHost[] = [];
  public readonly workloads: Workload[] = [];
  public readonly namespaceLabels = new Map<string, { [k: string]: string }>();
  public readonly serviceAccounts = new Set<string>();
  private readonly byKind = new Map<string, Analyzed[]>();
  private byNamespace?: Map<string, Workload[]>;
  private peerAuthentications?: Map<string, Analyzed>;

  constructor(objects: Analyzed[], private readonly defaultNamespace: string = 'default') {
    this.objects = objects.filter((o) => o.json && typeof o.json === 'object' && typeof o.json.kind === 'string');
    for (const o of this.objects) {
      const key = kindKey(o.json);
      const list = this.byKind.get(key) ?? [];
      list.push(o);
      this.byKind.set(key, list);
    }
    const operator = this.of('install.istio.io', 'IstioOperator')[0]?.json;
    this.hasMeshConfig = operator !== undefined;
    this.meshConfig = operator?.spec?.meshConfig ?? {};
    // rootNamespace defaults to values.global.istioNamespace, itself istio-system; the IstioOperator's
    // own namespace does not move it (operator/pkg/apis/types.go at 1.30.3).
    this.rootNamespace = this.meshConfig.rootNamespace ?? operator?.spec?.values?.global?.istioNamespace ?? 'istio-system';
    this.trustDomain = this.meshConfig.trustDomain ?? 'cluster.local';
    // `cluster.local` in a principal stands for the local trust domain.
    this.trustDomains = new Set([this.trustDomain, 'cluster.local', ...(this.meshConfig.trustDomainAliases ?? [])]);
    this.index();
  }

  /** The objects of a group and kind (`''` for the core group). */
  public of(group: string, kind: string): Analyzed[] {
    return this.byKind.get(`${group}/${kind}`) ?? [];
  }

  /** The namespace of an object (its own, else the default). */
  public ns(o: Analyzed): string {
    return o.json.metadata?.namespace ?? this.defaultNamespace;
  }

  /** The registered host `host` as seen from namespace `from` (Services, ServiceEntries, wildcard entries). */
  public lookup(from: string, host: string): RegisteredHost | undefined {
    const visible = (h: RegisteredHost) => h.scope.includes('*') || h.scope.includes(from);
    const exact = (this.hosts.get(host) ?? []).find(visible);
    if (exact) return exact;
    return this.wildcardHosts.find((w) => visible(w) && hostsMatch(w.host, host));
  }

  /** The workloads in `namespace` whose pod labels carry all of `selector` (every workload of it without a selector). */
  public workloadsSelected(namespace: string, selector: { [k: string]: string } | undefined): Workload[] {
    return this.workloadsIn(namespace).filter((w) => selects(selector, w.labels));
  }

  /** The namespace-wide PeerAuthentication of `namespace` (the first, as Istio takes the oldest). */
  public namespaceWidePeerAuthentication(namespace: string): Analyzed | undefined {
    if (!this.peerAuthentications) {
      this.peerAuthentications = new Map();
      for (const pa of this.of('security.istio.io', 'PeerAuthentication')) {
        const ns = this.ns(pa);
        if (!pa.json.spec?.selector && !this.peerAuthentications.has(ns)) this.peerAuthentications.set(ns, pa);
      }
    }
    return this.peerAuthentications.get(namespace);
  }

  /** The workloads of `namespace`. */
  public workloadsIn(namespace: string): Workload[] {
    if (!this.byNamespace) {
      this.byNamespace = new Map();
      for (const w of this.workloads) {
        const list = this.byNamespace.get(w.namespace) ?? [];
        list.push(w);
        this.byNamespace.set(w.namespace, list);
      }
    }
    return this.byNamespace.get(namespace) ?? [];
  }

  private index(): void {
    for (const svc of this.of('', 'Service')) {
      const ns = this.ns(svc);
      const ports = (svc.json.spec?.ports ?? []).map((p: any) => ({ port: p.port, name: p.name, protocol: p.protocol, appProtocol: p.appProtocol }));
      this.register({ host: `${svc.json.metadata?.name}.${ns}.${CLUSTER_DOMAIN}`, ports, scope: ['*'], kind: 'Service' });
    }
    for (const se of this.of('networking.istio.io', 'ServiceEntry')) {
      const ns = this.ns(se);
      const exportTo: string[] = se.json.spec?.exportTo ?? [];
      const scope = exportTo.length === 0 || exportTo.includes('*') ? ['*'] : exportTo.map((e) => (e === '.' ? ns : e));
      const ports = (se.json.spec?.ports ?? []).map((p: any) => ({ port: p.number, name: p.name, protocol: p.protocol }));
      for (const h of se.json.spec?.hosts ?? []) this.register({ host: fqdn(ns, h), ports, scope, kind: 'ServiceEntry' });
    }
    for (const nsObj of this.of('', 'Namespace')) this.namespaceLabels.set(nsObj.json.metadata?.name, nsObj.json.metadata?.labels ?? {});
    for (const sa of this.of('', 'ServiceAccount')) this.serviceAccounts.add(`${this.ns(sa)}/${sa.json.metadata?.name}`);
    // Istio deploys Gateway API gateways (and waypoints) with a ServiceAccount of their own:
    // `<name>` for waypoints, `<name>-<class>` for others.
    for (const gw of this.of('gateway.networking.k8s.io', 'Gateway')) {
      const name = gw.json.metadata?.name;
      this.serviceAccounts.add(`${this.ns(gw)}/${name}`);
      this.serviceAccounts.add(`${this.ns(gw)}/${name}-${gw.json.spec?.gatewayClassName}`);
    }
    const templated = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];
    for (const kind of templated) {
      for (const w of this.of('apps', kind).concat(this.of('batch', kind))) {
        const spec = w.json.spec?.template?.spec ?? {};
        this.workloads.push({
          kind,
          name: w.json.metadata?.name,
          namespace: this.ns(w),
          labels: w.json.spec?.template?.metadata?.labels ?? {},
          serviceAccount: spec.serviceAccountName ?? 'default',
        });
      }
    }
    for (const rollout of this.of('argoproj.io', 'Rollout')) {
      this.workloads.push({
        kind: 'Rollout',
        name: rollout.json.metadata?.name,
        namespace: this.ns(rollout),
        labels: rollout.json.spec?.template?.metadata?.labels ?? rollout.json.spec?.selector?.matchLabels ?? {},
        serviceAccount: rollout.json.spec?.template?.spec?.serviceAccountName ?? 'default',
      });
    }
    for (const pod of this.of('', 'Pod')) {
      this.workloads.push({
        kind: 'Pod',
        name: pod.json.metadata?.name,
        namespace: this.ns(pod),
        labels: pod.json.metadata?.labels ?? {},
        serviceAccount: pod.json.spec?.serviceAccountName ?? 'default',
      });
    }
  }

  private register(h: RegisteredHost): void {
    if (h.host.startsWith('*')) {
      this.wildcardHosts.push(h);
      return;
    }
    const list = this.hosts.get(h.host) ?? [];
    list.push(h);
    this.hosts.set(h.host, list);
  }
}

export function kindKey(json: any): string {
  const apiVersion = String(json.apiVersion ?? '');
  const slash = apiVersion.indexOf('/');
  return `${slash < 0 ? '' : apiVersion.slice(0, slash)}/${json.kind}`;
}
