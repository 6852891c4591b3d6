/**
 * A request from its source to its verdict: resolves who sends it and where it goes, runs the
 * flow, and sums the shares up.
 */
import { RequestSourceKind } from '../request-source';
import { RequestProtocol, SimulatedRequest } from '../simulated-request';
import { RequestOutcome, Verdict, VerdictDestination } from '../verdict';
import { Flow, FlowRequest, protocolOf, Share } from './flow';
import { httpRoutesAsVirtualServices } from './gateway-api';
import { CLUSTER_DOMAIN, Inventory, Obj, Pod } from './inventory';

export class Engine {
  private readonly gammaRoutes: Obj[];

  constructor(public readonly inv: Inventory) {
    this.gammaRoutes = httpRoutesAsVirtualServices(inv);
  }

  public request(r: SimulatedRequest): Verdict {
    const source = r.from;
    const fail = (reason: string): Verdict => ({
      delivered: false, outcome: RequestOutcome.UNDECIDABLE, status: 0, reason: `undecidable because ${reason}`, destinations: [], mirrors: [], delays: [], trace: [],
    });
    let pod: Pod | undefined;
    let namespace = source.namespaceName ?? 'outside';
    switch (source.kind) {
      case RequestSourceKind.WORKLOAD:
        pod = this.inv.findPod(namespace, source.name!);
        if (!pod) return fail(`workload ${namespace}/${source.name} is not in the manifests (known in ${namespace}: ${this.inv.podsIn(namespace).map((p) => p.name).join(', ') || 'none'})`);
        break;
      case RequestSourceKind.SERVICE_ACCOUNT:
        pod = this.serviceAccountPod(namespace, source.name!);
        break;
      case RequestSourceKind.NAMESPACE:
        pod = this.synthetic(namespace, 'default', {}, undefined);
        break;
      case RequestSourceKind.INGRESS_GATEWAY:
        pod = this.inv.findPod(namespace, source.name!) ?? this.inv.findPod(namespace, `${source.name}-istio`);
        if (!pod || pod.dataPlane !== 'gateway') return fail(`no gateway ${namespace}/${source.name} is deployed by the manifests (an IstioOperator's gateways, or a Gateway API Gateway)`);
        break;
      default:
        namespace = 'outside';
    }
    const unsupported = this.unsupportedOnPath(pod);
    if (unsupported) return fail(unsupported);

    const host = this.resolveHost(r.to, pod?.namespace ?? 'default');
    const controller = this.controllerOf(host);
    if (controller) return fail(controller);
    const entry = this.inv.lookup(pod?.namespace ?? 'default', host) ?? this.anyEntry(host);
    if (!entry && host.endsWith(`.${CLUSTER_DOMAIN}`)) {
      return fail(`${host} is not a Service or ServiceEntry host of the manifests (cluster DNS would not resolve it)`);
    }
    const gatewayDefault = source.kind === RequestSourceKind.INGRESS_GATEWAY;
    const protocol = r.protocol ?? (r.sni !== undefined ? RequestProtocol.TLS : RequestProtocol.HTTP);
    const port = r.port ?? (gatewayDefault ? (protocol === RequestProtocol.TLS ? 443 : 80)
      : entry?.ports.length === 1 ? entry.ports[0].port
        : protocol === RequestProtocol.TLS ? 443 : 80);
    const portProto = gatewayDefault ? 'auto' : protocolOf(entry?.ports.find((p) => p.port === port));
    const effective: FlowRequest['protocol'] = r.protocol ? (r.protocol as FlowRequest['protocol'])
      : portProto === 'tls' ? 'tls' : portProto === 'tcp' ? 'tcp' : protocol as FlowRequest['protocol'];
    const headers: { [k: string]: string } = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
    if (r.cookies && Object.keys(r.cookies).length > 0) headers.cookie = Object.entries(r.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
    const authority = gatewayDefault ? r.to : host;
    const req: FlowRequest = {
      host,
      port,
      protocol: effective,
      http: { method: r.method ?? 'GET', path: r.path ?? '/', authority, headers: { ...headers, ':authority': authority } },
      sni: r.sni ?? (effective === 'tls' ? (gatewayDefault ? r.to : host) : undefined),
      jwt: r.jwt,
    };
    const flow = new Flow(this.inv, req, this.gammaRoutes);
    let shares: Share[];
    const sender = pod && { pod, namespace: pod.namespace, labels: pod.labels, principal: pod.dataPlane === 'none' ? undefined : this.inv.principal(pod.namespace, pod.serviceAccount) };
    if (!pod) {
      flow.trace.push({ at: 'client outside the cluster', steps: ['no proxy, no identity: plaintext to the Service endpoints (kube-proxy), no VirtualService applies'] });
      shares = flow.direct({ namespace: 'outside', labels: {} }, entry, 100, 'outside the mesh');
    } else if (source.kind === RequestSourceKind.INGRESS_GATEWAY) {
      flow.trace.push({ at: 'client outside the cluster', steps: [`to ${pod.id} port ${port} with Host ${authority}`] });
      shares = flow.fromOutsideThroughGateway(pod, 100);
    } else if (pod.dataPlane === 'gateway' && pod.gatewayKind !== 'waypoint') {
      shares = flow.fromGatewayForwarding(sender as any, 100);
    } else if (pod.dataPlane === 'sidecar') {
      shares = flow.fromSidecar(sender as any, 100);
    } else if (pod.dataPlane === 'ambient') {
      shares = flow.fromZtunnel(sender as any, 100);
    } else {
      flow.trace.push({ at: `pod ${pod.id}`, steps: [`no proxy (${pod.dataPlaneReason}): plaintext, no identity, no VirtualService applies`] });
      shares = flow.direct({ pod, namespace: pod.namespace, labels: pod.labels }, entry, 100, 'no client proxy');
    }
    return verdict(shares, flow);
  }

  /**
   * The pod a ServiceAccount source stands for: the labels and data plane of the first workload
   * using it; a gateway's account stands for the gateway itself, forwarding to the destination.
   */
  public serviceAccountPod(namespace: string, serviceAccount: string): Pod {
    const user = this.inv.podsIn(namespace).find((p) => p.serviceAccount === serviceAccount);
    if (user?.dataPlane === 'gateway' && user.gatewayKind !== 'waypoint') return user;
    return this.synthetic(namespace, serviceAccount, user?.labels ?? {}, user);
  }

  private synthetic(namespace: string, serviceAccount: string, labels: { [k: string]: string }, like: Pod | undefined): Pod {
    const plane = like ? { plane: like.dataPlane, reason: like.dataPlaneReason } : this.inv.namespaceDataPlane(namespace);
    return {
      id: `${namespace}/(a pod running as ${serviceAccount})`,
      kind: 'Pod',
      name: `(${serviceAccount})`,
      namespace,
      labels,
      annotations: {},
      serviceAccount,
      containerPorts: [],
      dataPlane: plane.plane === 'gateway' ? 'sidecar' : plane.plane,
      dataPlaneReason: plane.reason,
    };
  }

  /** A short name resolves in the client's namespace; `svc.ns` and `svc.ns.svc` complete to the cluster domain (DNS search path). */
  public resolveHost(to: string, namespace: string): string {
    const host = to.toLowerCase().replace(/\.$/, '');
    if (!host.includes('.')) return `${host}.${namespace}.${CLUSTER_DOMAIN}`;
    const parts = host.split('.');
    if (parts.length === 2 && this.inv.hosts.has(`${host}.${CLUSTER_DOMAIN}`)) return `${host}.${CLUSTER_DOMAIN}`;
    if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
    return host;
  }

  private anyEntry(host: string) {
    return this.inv.hosts.get(host)?.[0];
  }

  /** Routing a controller writes at run time, which the manifests do not hold. */
  private controllerOf(host: string): string | undefined {
    const canary = this.inv.of('Canary').find((c) => String(c.json.apiVersion).startsWith('flagger.app/')
      && `${c.json.spec?.service?.name ?? c.json.spec?.targetRef?.name}.${c.namespace}.${CLUSTER_DOMAIN}` === host);
    if (!canary) return undefined;
    return `Flagger Canary ${canary.namespace}/${canary.name} writes the routing of ${host} (its VirtualService and the -primary and -canary Services) at run time`;
  }

  private unsupportedOnPath(pod: Pod | undefined): string | undefined {
    const filters = this.inv.of('EnvoyFilter');
    if (filters.length === 0) return undefined;
    return `EnvoyFilter ${filters.map((f) => `${f.namespace}/${f.name}`).join(', ')} may change any proxy${pod ? ` (${pod.id} included)` : ''}, and the model does not read EnvoyFilters`;
  }
}

function verdict(shares: Share[], flow: Flow): Verdict {
  const merged = new Map<string, VerdictDestination>();
  for (const s of shares) {
    const key = `${s.host}|${s.subset ?? ''}|${s.outcome}|${s.status}|${s.reason}`;
    const prev = merged.get(key);
    if (prev) {
      merged.set(key, { ...prev, percent: prev.percent + s.percent, workloads: [...new Set([...prev.workloads, ...s.workloads])] });
    } else {
      merged.set(key, { ...s, workloads: [...s.workloads] });
    }
  }
  const destinations = [...merged.values()].map((d) => ({ ...d, percent: Math.round(d.percent * 1e6) / 1e6 }));
  const live = destinations.filter((d) => d.percent > 0);
  const outcomes = new Set(live.map((d) => d.outcome));
  const largest = [...live].sort((a, b) => b.percent - a.percent)[0];
  const outcome = outcomes.size === 1 ? largest.outcome : outcomes.size === 0 ? RequestOutcome.UNDECIDABLE : RequestOutcome.MIXED;
  const reason = outcomes.size <= 1 ? (largest?.reason ?? 'no traffic') : live.map((d) => `${d.percent}% ${d.outcome}: ${d.reason}`).join('; ');
  return {
    delivered: live.length > 0 && live.every((d) => d.outcome === RequestOutcome.DELIVERED),
    outcome,
    status: largest?.status ?? 0,
    reason,
    destinations,
    mirrors: flow.mirrors,
    delays: flow.delays,
    trace: flow.trace,
  };
}
