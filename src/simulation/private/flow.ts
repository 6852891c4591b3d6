/**
 * One request's way through the mesh: from the client's proxy (sidecar, ztunnel, or none)
 * through waypoints and gateways to the pods or the external host that serve it. Each share of
 * the traffic (a weighted destination, an abort, a pod) ends in a `Share`; each hop writes its
 * decisions to the trace.
 */
import { RequestOutcome, TraceHop, UpstreamTls, VerdictDelay, VerdictMirror } from '../verdict';
import { waypointFor, ingressUsesWaypoint } from './ambient';
import { authenticateRequest, namespaceMtlsMode, requestAuthentications } from './authentication';
import { applicablePolicies, authorize } from './authorization';
import { destinationRule, tlsSettings, upstreamTls } from './destination-rules';
import { GatewayListener, gatewayListeners } from './gateways';
import { Arrival, inbound } from './inbound';
import { selects } from './inventory';
import type { Inventory, Pod, RegistryHost, ServicePort, Obj } from './inventory';
import { networkPolicy, Peer } from './network-policy';
import { route, RouteDecision, RoutedDestination, virtualServicesFor } from './routing';
import { sidecarScope } from './sidecar-scope';

export interface Share {
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  readonly percent: number;
  readonly workloads: string[];
  readonly outcome: RequestOutcome;
  readonly status: number;
  readonly reason: string;
  readonly external: boolean;
  readonly upstreamTls?: UpstreamTls;
}

/** The request as the model carries it between hops. */
export interface FlowRequest {
  readonly host: string;
  readonly port: number;
  /** What the client sends: HTTP, TLS (HTTPS when terminated), or opaque TCP. */
  readonly protocol: 'http' | 'tls' | 'tcp';
  readonly http: { readonly method: string; readonly path: string; readonly authority: string; readonly headers: { [k: string]: string } };
  readonly sni?: string;
  readonly jwt?: { issuer: string; subject: string; claims?: { [k: string]: string[] } };
}

/** The sender at one hop: a pod with its proxy (or none), or a client outside the cluster. */
export interface Sender {
  readonly pod?: Pod;
  readonly namespace: string;
  readonly labels: { [k: string]: string };
  readonly principal?: string;
}

/** A sender with a proxy of its own. */
type Proxy = Sender & { readonly pod: Pod };

function dropped(admitted: boolean | 'unknown'): RequestOutcome {
  return admitted === false ? RequestOutcome.NETWORK_POLICY_DROPPED : RequestOutcome.UNDECIDABLE;
}

export class Flow {
  public readonly trace: TraceHop[] = [];
  public readonly mirrors: VerdictMirror[] = [];
  public readonly delays: VerdictDelay[] = [];
  /** The VirtualServices and the Gateway API routes read as VirtualServices. */
  private readonly routes: Obj[];
  /** What travels after a gateway terminated the client's TLS on an HTTPS server: HTTP. */
  private terminatedToHttp = false;

  constructor(private readonly inv: Inventory, private readonly req: FlowRequest, gatewayApiRoutes: Obj[]) {
    this.routes = [...inv.of('VirtualService'), ...gatewayApiRoutes];
  }

  /** Argo Rollouts rewrites the weights (and adds routes) of the VirtualServices a Rollout names, at run time. */
  private managedBy(vss: Obj[]): string[] {
    return this.inv.of('Rollout').flatMap((r) => {
      const istio = r.json.spec?.strategy?.canary?.trafficRouting?.istio ?? {};
      const names: string[] = [istio.virtualService?.name, ...(istio.virtualServices ?? []).map((v: any) => v.name)].filter(Boolean);
      return vss.filter((vs) => vs.namespace === r.namespace && names.includes(vs.json.metadata?.name))
        .map((vs) => `Argo Rollout ${r.namespace}/${r.name} rewrites VirtualService ${vs.namespace}/${vs.name} at run time: this is its state as written`);
    });
  }

  /** Through a sidecar's outbound side. */
  public fromSidecar(sender: Proxy, percent: number): Share[] {
    const steps: string[] = [];
    this.trace.push({ at: `sidecar ${sender.pod.id} (outbound)`, steps });
    const scope = sidecarScope(this.inv, sender.pod);
    steps.push(scope.describe);
    const entry = this.inv.lookup(sender.namespace, this.req.host);
    if (!entry || !scope.imports(entry)) {
      const why = !entry ? `${this.req.host} is not in the registry seen from ${sender.namespace}` : `${entry.kind} ${entry.namespace}/${entry.name} is not imported by the Sidecar scope`;
      if (scope.outboundMode === 'REGISTRY_ONLY') {
        const status = this.sees('http', entry) ? 502 : 0;
        steps.push(`${why}: REGISTRY_ONLY sends it to the BlackHoleCluster`);
        return [this.end({ host: this.req.host }, percent, RequestOutcome.BLACK_HOLE, status, `${why}; outbound REGISTRY_ONLY: BlackHoleCluster`, !entry || entry.external)];
      }
      steps.push(`${why}: ALLOW_ANY forwards it to the PassthroughCluster (original destination, no mTLS)`);
      return this.direct(sender, entry, percent, 'PassthroughCluster');
    }
    return this.routeAt(sender, 'mesh', entry, percent, steps);
  }

  /**
   * A gateway (ingress, or a Gateway API Gateway) forwarding to the host, as one of its routes
   * would: the destination's rules apply (DestinationRule, waypoint when the Service opts ingress
   * in), not the gateway's own server and route matching.
   */
  public fromGatewayForwarding(sender: Proxy, percent: number): Share[] {
    const steps: string[] = [`gateway ${sender.pod.id} forwards to ${this.req.host}:${this.req.port}, as one of its routes would`];
    this.trace.push({ at: `gateway ${sender.pod.id} (outbound)`, steps });
    const entry = this.inv.lookup(sender.namespace, this.req.host);
    if (!entry) {
      return [this.end({ host: this.req.host }, percent, RequestOutcome.NO_CLUSTER, this.req.protocol === 'http' ? 503 : 0, `${this.req.host} is not in the registry seen from ${sender.namespace}: no cluster`, false)];
    }
    const decision: RouteDecision = { kind: 'default', reason: `to ${entry.host}`, destinations: [{ host: entry.host, percent: 100 }], mirrors: [], notes: [] };
    return this.follow(sender, decision, entry, percent, steps);
  }

  /** Through ztunnel (ambient): no VirtualService, no REGISTRY_ONLY; a waypoint when the destination has one. */
  public fromZtunnel(sender: Proxy, percent: number): Share[] {
    const steps: string[] = [];
    this.trace.push({ at: `ztunnel (outbound, for ${sender.pod.id})`, steps });
    // ztunnel and its DNS proxy see every service: the workload API carries no exportTo
    // (pilot/pkg/serviceregistry/ambient and pkg/workloadapi/workload.proto at 1.30.3).
    const entry = this.inv.lookup(undefined, this.req.host);
    if (!entry) {
      steps.push(`${this.req.host} is not in the registry: ztunnel passes it through (it does not enforce REGISTRY_ONLY)`);
      return this.direct(sender, undefined, percent, 'ztunnel passthrough');
    }
    const waypoint = waypointFor(this.inv, entry);
    if (waypoint) {
      steps.push(`${entry.kind} ${entry.namespace}/${entry.name} uses waypoint ${waypoint.namespace}/${waypoint.name} (${waypoint.from})`);
      return this.throughWaypoint(sender, entry, waypoint.pod, `${waypoint.namespace}/${waypoint.name}`, percent);
    }
    steps.push(`no waypoint for ${entry.host}: ztunnel connects to its endpoints over HBONE`);
    return this.direct(sender, entry, percent, 'ztunnel');
  }

  /** A client outside the cluster entering through a gateway (Istio or Gateway API) on `port`. */
  public fromOutsideThroughGateway(gateway: Pod, percent: number): Share[] {
    const np = networkPolicy(this.inv, 'outside', gateway, this.containerPort(gateway, this.req.port));
    if (np.admitted !== true) {
      this.trace.push({ at: `gateway ${gateway.id}`, steps: [np.reason] });
      return [this.end({ host: this.req.host }, percent, dropped(np.admitted), 0, np.reason, false)];
    }
    return this.atGateway(gateway, this.req.port, { namespace: 'outside', labels: {} }, false, percent, this.req.sni);
  }

  /** No client proxy (or a passthrough): kube-proxy picks any endpoint of the Service; an unregistered host is reached directly. */
  public direct(sender: Sender, entry: RegistryHost | undefined, percent: number, how: string): Share[] {
    const from: Peer = sender.pod ?? 'outside';
    if (!entry || entry.external) {
      const np = networkPolicy(this.inv, from, 'external', this.req.port, this.reachedAddresses(this.req.host, sender.pod?.dataPlane === 'sidecar'));
      if (np.admitted !== true) {
        return [this.end({ host: this.req.host }, percent, dropped(np.admitted), 0, np.reason, true)];
      }
      return [this.end({ host: this.req.host }, percent, RequestOutcome.DELIVERED, this.okStatus(), `${how}: straight to ${this.req.host}:${this.req.port}, not through any gateway`, true)];
    }
    const ztunnel = sender.pod?.dataPlane === 'ambient';
    const pods = this.endpoints(entry, undefined);
    if (pods.length === 0) return [this.end({ host: entry.host }, percent, RequestOutcome.NO_HEALTHY_UPSTREAM, this.sees('http', entry) ? 503 : 0, `${entry.host} selects no pod`, false)];
    const port = this.servicePort(entry, this.req.port);
    return this.toPods(sender, entry, undefined, port, pods, percent, { mtls: ztunnel, hbone: ztunnel, http: this.sees('http', entry) });
  }

  // ---- Envoy proxies: routing ----

  private routeAt(sender: Proxy, gateway: string, entry: RegistryHost, percent: number, steps: string[]): Share[] {
    const http = this.sees('http', entry);
    const vss = virtualServicesFor(this.inv, this.routeRequest(sender, gateway, http), this.routes);
    const decision = route(this.inv, this.routeRequest(sender, gateway, http), vss);
    steps.push(decision.reason, ...decision.notes, ...this.managedBy(vss));
    return this.follow(sender, decision, entry, percent, steps);
  }

  /** The addresses ServiceEntries give a host (where a client dials it). */
  private addressesOf(host: string): string[] {
    return (this.inv.hosts.get(host) ?? []).flatMap((h) => h.json?.spec?.addresses ?? []);
  }

  /**
   * Where a connection to an external host goes, as far as the manifests tell: a proxy keeps the
   * address dialled with resolution NONE and uses the endpoints with STATIC, but resolves DNS
   * itself; a client without a proxy dials the addresses the entry declares for the host. Empty
   * when not known.
   */
  private reachedAddresses(host: string, throughProxy: boolean): string[] {
    const entries = (this.inv.hosts.get(host) ?? []).filter((h) => h.external);
    const out: string[] = [];
    for (const e of entries) {
      const spec = e.json?.spec ?? {};
      const resolution = spec.resolution ?? 'NONE';
      const addresses: string[] = !throughProxy || resolution === 'NONE' ? spec.addresses ?? []
        : resolution === 'STATIC' ? (spec.endpoints ?? []).map((ep: any) => ep.address).filter((a: any) => typeof a === 'string') : [];
      if (addresses.length === 0) return [];
      out.push(...addresses);
    }
    return out;
  }

  private routeRequest(sender: Sender, gateway: string, http: boolean) {
    return {
      host: this.req.host,
      port: this.req.port,
      clientNamespace: sender.namespace,
      sourceLabels: sender.labels,
      gateway,
      http: http ? this.req.http : undefined,
      sni: http ? undefined : this.req.sni ?? (this.req.protocol === 'tls' ? this.req.host : undefined),
      addresses: this.addressesOf(this.req.host),
    };
  }

  private follow(sender: Proxy, d: RouteDecision, entry: RegistryHost | undefined, percent: number, steps: string[]): Share[] {
    if (d.kind === 'undecidable') return [this.end({ host: this.req.host }, percent, RequestOutcome.UNDECIDABLE, 0, `undecidable because ${d.reason}`, false)];
    if (d.kind === 'no-route') return [this.end({ host: this.req.host }, percent, RequestOutcome.NO_ROUTE, this.req.protocol === 'http' ? 404 : 0, d.reason, false)];
    const shares: Share[] = [];
    if (d.delay) this.delays.push({ ...d.delay, percent: (percent * d.delay.percent) / 100 });
    if (d.answered) shares.push(this.end({ host: this.req.host }, (percent * d.answered.percent) / 100, RequestOutcome.ANSWERED_BY_PROXY, d.answered.status, `${d.reason}: ${d.answered.reason}`, false));
    for (const m of d.mirrors) {
      const target = this.inv.lookup(sender.namespace, m.host);
      const pods = target && !target.external ? this.endpoints(target, this.subsetLabels(sender.pod, m, target)) : [];
      this.mirrors.push({ host: m.host, subset: m.subset, workloads: pods.map((p) => p.id), percent: m.percent });
      steps.push(`mirror ${m.percent}% to ${m.host}${m.subset ? `/${m.subset}` : ''} (${pods.map((p) => p.id).join(', ') || 'no pod'})`);
    }
    for (const dest of d.destinations) {
      if (dest.percent === 0) continue;
      shares.push(...this.toDestination(sender, dest, entry, (percent * dest.percent) / 100, steps));
    }
    return shares;
  }

  private subsetLabels(proxy: Pod, dest: RoutedDestination, entry: RegistryHost): { [k: string]: string } | undefined {
    if (!dest.subset) return undefined;
    return destinationRule(this.inv, proxy, dest.host, entry.namespace)?.subsets.find((s) => s.name === dest.subset)?.labels ?? { '\u0000no-subset': '' };
  }

  /** A routed destination, from an Envoy proxy (sidecar, gateway, waypoint). */
  private toDestination(sender: Proxy, dest: RoutedDestination, original: RegistryHost | undefined, percent: number, steps: string[]): Share[] {
    const entry = dest.host === original?.host ? original : this.inv.lookup(sender.namespace, dest.host);
    const port = dest.port ?? (entry?.ports.length === 1 ? entry.ports[0].port : this.req.port);
    const http = this.sees('http', entry);
    if (!entry) return [this.end(dest, percent, RequestOutcome.NO_CLUSTER, http ? 503 : 0, `${dest.host} is not in ${sender.pod.id}'s registry: no cluster`, false)];
    const rule = destinationRule(this.inv, sender.pod, dest.host, entry.namespace);
    if (rule) steps.push(`${dest.host}: ${rule.describe}`);
    let labels: { [k: string]: string } | undefined;
    if (dest.subset) {
      const subset = rule?.subsets.find((s) => s.name === dest.subset);
      if (!subset) {
        return [this.end(dest, percent, RequestOutcome.NO_CLUSTER, http ? 503 : 0, `subset '${dest.subset}' of ${dest.host} is not defined by ${rule ? rule.describe : 'any DestinationRule'} seen from ${sender.namespace}: no cluster (503 NC)`, entry.external)];
      }
      labels = subset.labels ?? {};
    }
    const tls = tlsSettings(rule, port, dest.subset);
    const waypoint = sender.pod.gatewayKind !== 'waypoint' ? waypointFor(this.inv, entry) : undefined;
    if (waypoint) {
      // Sidecars and gateways send straight to the endpoints; an ingress gateway uses the
      // waypoint only when the Service opts in (pilot/pkg/networking/core/cluster.go).
      if (sender.pod.dataPlane === 'gateway' && ingressUsesWaypoint(this.inv, entry)) {
        steps.push(`${entry.host} uses waypoint ${waypoint.namespace}/${waypoint.name} and opts ingress in (istio.io/ingress-use-waypoint)`);
        return this.throughWaypoint(sender, entry, waypoint.pod, `${waypoint.namespace}/${waypoint.name}`, percent);
      }
      steps.push(`${entry.host} has waypoint ${waypoint.namespace}/${waypoint.name}, which ${sender.pod.dataPlane === 'gateway' ? 'an ingress gateway' : 'a sidecar'} bypasses: straight to the endpoints`);
    }
    if (entry.external) return this.external(sender, dest, entry, port, tls, percent, steps);
    const pods = this.endpoints(entry, labels);
    if (pods.length === 0) {
      return [this.end(dest, percent, RequestOutcome.NO_HEALTHY_UPSTREAM, http ? 503 : 0, `${dest.host}${dest.subset ? ` subset ${dest.subset}` : ''} selects no pod (503 UH)`, false)];
    }
    const mode: string | undefined = tls?.mode;
    let mtls: boolean;
    if (mode === 'ISTIO_MUTUAL') {
      mtls = true;
    } else if (mode === 'DISABLE' || mode === 'SIMPLE' || mode === 'MUTUAL') {
      mtls = false;
    } else {
      // Auto mTLS: Istio mTLS to each endpoint that has a proxy, unless the Service's namespace (or
      // the mesh) DISABLEs mTLS; a workload-level DISABLE is not read by the client
      // (pilot/pkg/networking/core/cluster_tls.go buildUpstreamTLSSettings; push_context.go BestEffortInferServiceMTLSMode).
      const server = namespaceMtlsMode(this.inv, entry.namespace);
      mtls = this.inv.mesh.autoMtls && server.mode !== 'DISABLE';
      steps.push(`${dest.host}: auto mTLS ${!this.inv.mesh.autoMtls ? 'off (meshConfig.enableAutoMtls is false)'
        : mtls ? 'on, to the endpoints that have a proxy' : `off (${server.reason})`}`);
    }
    if (mode) steps.push(`${dest.host}: tls ${mode}`);
    const servicePort = this.servicePort(entry, port);
    // The SNI of Istio mTLS is the rule's `sni`, else the cluster name (pilot/pkg/model/service.go BuildSubsetKey).
    const sni = mtls ? tls?.sni ?? `outbound_.${port}_.${dest.subset ?? ''}_.${dest.host}` : undefined;
    return this.toPods(sender, entry, dest.subset, servicePort, pods, percent, { mtls, hbone: false, http, sni, istioMutual: mode === 'ISTIO_MUTUAL' });
  }

  private external(sender: Proxy, dest: RoutedDestination, entry: RegistryHost, port: number, tls: any, percent: number, steps: string[]): Share[] {
    const np = networkPolicy(this.inv, sender.pod, 'external', port, this.reachedAddresses(dest.host, true));
    if (np.admitted !== true) {
      return [this.end(dest, percent, dropped(np.admitted), 0, np.reason, true)];
    }
    let verified: UpstreamTls | undefined;
    if (tls?.mode === 'SIMPLE' || tls?.mode === 'MUTUAL') {
      if (tls.credentialName && sender.pod.dataPlane === 'sidecar') {
        steps.push(`tls ${tls.mode} with credentialName at a sidecar: Istio 1.30 sends plaintext (credentialName needs a gateway or a workloadSelector)`);
      } else {
        verified = upstreamTls(tls, this.req.host === dest.host ? this.req.http.authority : dest.host, entry);
        steps.push(`originates TLS to ${dest.host}:${port}: ${verified.reason}`);
      }
    } else if (this.req.protocol === 'tls') {
      steps.push(`TLS from the application to ${dest.host}:${port} (SNI ${this.req.sni ?? this.req.host}); the proxy does not terminate it`);
    } else if (this.sees('http', entry)) {
      steps.push(`plaintext HTTP to ${dest.host}:${port}`);
    }
    return [this.end({ ...dest, port }, percent, RequestOutcome.DELIVERED, this.okStatus(), `delivered to external host ${dest.host}:${port} from ${sender.pod.id}`, true, verified)];
  }

  // ---- arrival at pods ----

  private toPods(sender: Sender, entry: RegistryHost, subset: string | undefined, port: ServicePort | undefined, pods: Pod[], percent: number,
    how: { mtls: boolean; hbone: boolean; http: boolean; sni?: string; istioMutual?: boolean }): Share[] {
    const shares: Share[] = [];
    const each = percent / pods.length;
    for (const pod of pods) {
      const targetPort = this.containerPort(pod, port ? port.targetPort : this.req.port);
      // DestinationRule ISTIO_MUTUAL sends mTLS to every endpoint; auto mTLS only to those with a proxy.
      const mtls = how.istioMutual === true || ((how.mtls || how.hbone) && pod.dataPlane !== 'none');
      // Mesh traffic to an ambient pod arrives over HBONE, whoever sends it.
      const hbone = mtls && pod.dataPlane === 'ambient';
      const arrival: Arrival = {
        from: sender.pod ?? 'outside',
        peer: sender.principal && mtls ? { principal: sender.principal, namespace: sender.pod?.namespace ?? sender.namespace } : undefined,
        mtls: mtls && sender.principal !== undefined,
        hbone,
        targetPort,
        http: how.http ? this.httpView() : undefined,
        sni: how.sni ?? this.req.sni,
        jwt: this.req.jwt,
      };
      const r = inbound(this.inv, pod, arrival);
      this.trace.push({ at: `${pod.dataPlane === 'ambient' ? 'ztunnel (inbound)' : pod.dataPlane === 'gateway' ? 'gateway' : pod.dataPlane === 'sidecar' ? 'sidecar' : 'pod'} ${pod.id}`, steps: r.steps });
      const target = { host: entry.host, subset, port: port?.port };
      if (!r.ok) {
        shares.push(this.end(target, each, r.outcome!, r.status!, r.reason, false, undefined, [pod.id]));
      } else if (pod.dataPlane === 'gateway' && pod.gatewayKind !== 'waypoint') {
        const from: Sender = { ...sender, principal: arrival.mtls ? sender.principal : undefined };
        shares.push(...this.atGateway(pod, port?.port ?? this.req.port, from, arrival.mtls, each, arrival.sni));
      } else {
        shares.push(this.end(target, each, RequestOutcome.DELIVERED, this.okStatus(), r.reason, false, undefined, [pod.id]));
      }
    }
    return shares;
  }

  // ---- gateways ----

  private atGateway(gateway: Pod, servicePort: number, from: Sender, mtls: boolean, percent: number, sni: string | undefined): Share[] {
    const steps: string[] = [];
    this.trace.push({ at: `gateway ${gateway.id} (routing)`, steps });
    const host = this.req.http.authority;
    const listeners = gatewayListeners(this.inv, gateway, servicePort, sni ?? host, host);
    const fail = (outcome: RequestOutcome, status: number, reason: string) => {
      steps.push(reason);
      return [this.end({ host: this.req.host }, percent, outcome, status, reason, false)];
    };
    if (listeners.length === 0) return fail(RequestOutcome.CONNECTION_RESET, 0, `no Gateway server of ${gateway.id} listens on port ${servicePort}`);
    const matching = listeners.filter((l) => l.hostMatches);
    const l: GatewayListener | undefined = matching[0];
    if (!l) return fail(RequestOutcome.NO_ROUTE, this.req.protocol === 'http' ? 404 : 0, `no server of ${listeners.map((x) => x.describe).join(', ')} accepts host ${host}`);
    steps.push(`${l.describe} accepts ${host}`);
    if (l.httpsRedirect && this.req.protocol === 'http') return fail(RequestOutcome.ANSWERED_BY_PROXY, 301, `${l.describe} redirects HTTP to HTTPS (301)`);
    if (l.tlsMode === 'ISTIO_MUTUAL' && !mtls) return fail(RequestOutcome.CONNECTION_RESET, 0, `${l.describe} requires Istio mTLS; the client sends ${this.req.protocol}`);
    if ((l.tlsMode === 'SIMPLE' || l.tlsMode === 'MUTUAL') && this.req.protocol !== 'tls') return fail(RequestOutcome.CONNECTION_RESET, 0, `${l.describe} terminates TLS; the client sends plaintext`);
    if (!l.tlsMode && this.req.protocol === 'tls' && l.protocol !== 'TLS') return fail(RequestOutcome.CONNECTION_RESET, 0, `${l.describe} expects plaintext; the client sends TLS`);
    const http = l.protocol === 'HTTP' || l.protocol === 'HTTPS' || l.protocol === 'HTTP2' || l.protocol === 'GRPC';
    // Authorization at the gateway itself (selector policies on its pods; targetRefs for Gateway API).
    const ra = http ? authenticateRequest(requestAuthentications(this.inv, gateway), this.req.jwt) : { note: '' };
    if (http) steps.push(ra.note);
    if ((ra as any).rejected) return fail(RequestOutcome.UNAUTHENTICATED, 401, ra.note);
    const d = authorize(this.inv, 'gateway', applicablePolicies(this.inv, 'gateway', gateway), {
      peer: mtls && from.principal ? { principal: from.principal, namespace: from.namespace } : undefined,
      requestPrincipal: (ra as any).principal,
      claims: (ra as any).claims,
      http: http ? { method: this.req.http.method, path: this.req.http.path, host, headers: this.req.http.headers } : undefined,
      port: this.containerPort(gateway, servicePort),
      sni,
    });
    steps.push(...d.steps);
    if (d.result === 'undecidable') return fail(RequestOutcome.UNDECIDABLE, 0, `undecidable because ${d.reason}`);
    if (d.result === 'deny') return fail(RequestOutcome.DENIED, http ? 403 : 0, `gateway ${gateway.id}: ${d.reason}`);
    const proxy = this.proxyOf(gateway, gateway.namespace, gateway.labels);
    // A terminated TLS server (SIMPLE, MUTUAL, ISTIO_MUTUAL) hands on what is inside: HTTP for an
    // HTTPS server, TCP for a TLS one; a passthrough server routes on the SNI.
    const section = http ? 'http' : l.tlsMode ? 'tcp' : l.protocol === 'TLS' ? 'tls' : 'tcp';
    if (http && l.tlsMode) this.terminatedToHttp = true;
    const routeRequest = { ...this.routeRequest(proxy, l.routeKey, http), host: this.hostForRouting(host), port: servicePort, section } as const;
    const vss = virtualServicesFor(this.inv, routeRequest, this.routes);
    const decision = route(this.inv, routeRequest, vss);
    if (decision.kind === 'default') return fail(RequestOutcome.NO_ROUTE, http ? 404 : 0, `no route bound to ${l.routeKey} serves ${host}`);
    steps.push(decision.reason, ...decision.notes);
    const entry = this.inv.lookup(gateway.namespace, this.req.host);
    return this.follow(proxy, decision, entry, percent, steps);
  }

  private hostForRouting(authority: string): string {
    return authority.replace(/:\d+$/, '');
  }

  // ---- ambient waypoints ----

  private throughWaypoint(sender: Proxy, entry: RegistryHost, waypoint: Pod | undefined, name: string, percent: number): Share[] {
    const steps: string[] = [];
    this.trace.push({ at: `waypoint ${name}`, steps });
    if (!waypoint) {
      steps.push(`waypoint ${name} is not in the manifests`);
      return [this.end({ host: entry.host }, percent, RequestOutcome.UNDECIDABLE, 0, `undecidable because waypoint ${name} is not in the manifests`, entry.external)];
    }
    const np = networkPolicy(this.inv, sender.pod, waypoint, 15008);
    steps.push(np.reason);
    if (np.admitted !== true) {
      return [this.end({ host: entry.host }, percent, dropped(np.admitted), 0, np.reason, entry.external)];
    }
    const http = this.sees('http', entry);
    const ra = http ? authenticateRequest(requestAuthentications(this.inv, waypoint, entry), this.req.jwt) : { note: 'L4 traffic' } as any;
    steps.push(ra.note);
    if (ra.rejected) return [this.end({ host: entry.host }, percent, RequestOutcome.UNAUTHENTICATED, 401, ra.note, entry.external)];
    const d = authorize(this.inv, 'waypoint', applicablePolicies(this.inv, 'waypoint', waypoint, entry), {
      peer: sender.principal ? { principal: sender.principal, namespace: sender.namespace } : undefined,
      requestPrincipal: ra.principal,
      claims: ra.claims,
      http: http ? this.httpView() : undefined,
      port: this.req.port,
      sni: this.req.sni,
    });
    steps.push(...d.steps);
    if (d.result !== 'allow') {
      return [this.end({ host: entry.host }, percent, d.result === 'deny' ? RequestOutcome.DENIED : RequestOutcome.UNDECIDABLE, d.result === 'deny' && http ? 403 : 0, `waypoint ${name}: ${d.reason}`, entry.external)];
    }
    const proxy = this.proxyOf(waypoint, sender.namespace, sender.labels);
    return this.routeAt({ ...proxy }, 'mesh', entry, percent, steps).map((s) => s);
  }

  // ---- helpers ----

  private proxyOf(pod: Pod, namespace: string, labels: { [k: string]: string }): Proxy {
    return { pod, namespace, labels, principal: this.inv.principal(pod.namespace, pod.serviceAccount) };
  }

  private httpView(): NonNullable<Arrival['http']> {
    return { method: this.req.http.method, path: this.req.http.path, host: this.req.http.authority, headers: this.req.http.headers };
  }

  /** Whether the proxy sees this traffic as `kind` (from the port's protocol; auto-detection sees what the client sends). */
  public sees(_kind: 'http', entry: RegistryHost | undefined): boolean {
    if (this.req.protocol !== 'http' && !this.terminatedToHttp) return false;
    const p = entry?.ports.find((x) => x.port === this.req.port);
    const proto = protocolOf(p);
    return proto === 'http' || proto === 'auto';
  }

  private okStatus(): number {
    return this.req.protocol === 'http' || this.terminatedToHttp ? 200 : 0;
  }

  private endpoints(entry: RegistryHost, subsetLabels: { [k: string]: string } | undefined): Pod[] {
    if (!entry.selector) return [];
    return this.inv.podsSelected(entry.namespace, entry.selector).filter((p) => selects(subsetLabels, p.labels));
  }

  private servicePort(entry: RegistryHost, port: number): ServicePort | undefined {
    return entry.ports.find((p) => p.port === port);
  }

  private containerPort(pod: Pod, port: number | string): number {
    if (typeof port === 'number') return port;
    return pod.containerPorts.find((c) => c.name === port)?.port ?? Number(port);
  }

  private end(target: { host: string; subset?: string; port?: number }, percent: number, outcome: RequestOutcome, status: number, reason: string,
    external: boolean, tls?: UpstreamTls, workloads: string[] = []): Share {
    return { host: target.host, subset: target.subset, port: target.port, percent, workloads, outcome, status, reason, external, upstreamTls: tls };
  }
}

/** A port's protocol as Istio reads it: the name prefix, `appProtocol`, or the ServiceEntry protocol; else auto-detected. */
export function protocolOf(p: ServicePort | undefined): 'http' | 'tls' | 'tcp' | 'auto' {
  if (!p) return 'auto';
  const explicit = (p.appProtocol ?? (p.protocol !== 'TCP' && p.protocol !== 'UDP' ? p.protocol : undefined) ?? p.name?.split('-')[0] ?? '').toLowerCase();
  if (['http', 'http2', 'grpc', 'grpc-web', 'h2c'].includes(explicit)) return 'http';
  if (['https', 'tls'].includes(explicit)) return 'tls';
  if (['tcp', 'mongo', 'redis', 'mysql'].includes(explicit)) return 'tcp';
  return 'auto';
}

