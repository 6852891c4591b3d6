import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { EgressEnforcement } from './egress-enforcement';
import { ExternalService } from './external-service';
import { EgressGatewayRoutes } from './private/egress-gateway-route';
import { EgressWaypointRoutes } from './private/egress-waypoint-route';
import { defaultObjectName } from '../../private/object-names';
import { invalid } from '../../private/validate';
import { ExportTo } from '../../resources/export-to';
import { ClientTls } from '../../resources/networking/destination-rule/client-tls';
import { DestinationRule } from '../../resources/networking/destination-rule/destination-rule';
import { PortTrafficPolicy } from '../../resources/networking/destination-rule/port-traffic-policy';
import { TrafficPolicy } from '../../resources/networking/destination-rule/traffic-policy';
import { PortProtocol } from '../../resources/networking/port-protocol';
import { ServiceEntry, ServiceEntryLocation, ServiceEntryPort, ServiceEntryResolution } from '../../resources/networking/service-entry/service-entry';
import { ServiceHost } from '../../resources/networking/service-host';
import { OutboundTrafficMode } from '../../resources/networking/sidecar/outbound-traffic-mode';
import { Sidecar } from '../../resources/networking/sidecar/sidecar';
import { SidecarEgressHost } from '../../resources/networking/sidecar/sidecar-egress-host';
import { IMesh } from '../mesh/mesh-ref';
import { egressHolder } from '../private/egress-holders';
import { DirectAddress, egressNetworkPolicy, gatewayPods, meshComponentNamespaces } from '../private/egress-network-policy';
import { ZeroTrustCaller } from '../zero-trust/zero-trust-caller';

/** Properties of an EgressPolicy. */
export interface EgressPolicyProps {
  /**
   * The mesh: its outbound policy must be REGISTRY_ONLY (else the ServiceEntries govern nothing),
   * and its egress gateway carries the traffic when `viaEgressGateway` is on.
   * @default - no mesh: the outbound policy cannot be checked, and there is no egress gateway
   */
  readonly mesh?: IMesh;
  /**
   * Route every allowed host through the mesh's egress gateway (mesh → gateway with Istio mutual
   * TLS → external host), where an AuthorizationPolicy lets only the declared callers use each host.
   * Not in an ambient mesh, whose egress waypoint does this.
   * @default - true when the mesh has an egress gateway (and is not ambient)
   */
  readonly viaEgressGateway?: boolean;
  /**
   * Fail when the mesh lets workloads reach any host (ALLOW_ANY), or when no mesh is given to
   * tell. Turn off only to declare hosts ahead of switching the mesh to REGISTRY_ONLY.
   * @default true
   */
  readonly requireRegistryOnly?: boolean;
  /**
   * Also write, in every namespace with callers, a Sidecar that limits the proxies' egress to their
   * own namespace, the mesh's namespace and the hosts allowed here. A namespace has one
   * namespace-wide Sidecar: for a ZeroTrustNamespace, leave this off and use its `allowEgressTo`.
   * @default false
   */
  readonly sidecarEgress?: boolean;
  /**
   * How the limits hold for pods that leave around their proxy (review H2). By default an egress
   * NetworkPolicy in every caller namespace lets pods reach only DNS, istiod, the egress gateway,
   * pods of the cluster and (direct egress) the addresses of TCP hosts, so a pod without a sidecar
   * cannot reach an external host directly. Direct egress to a host by name cannot be held so (a
   * NetworkPolicy matches addresses): route it through the egress gateway, or say
   * `EgressEnforcement.sidecarOnly()`. NetworkPolicies add up: beside a ZeroTrustNamespace's
   * egress policy, narrow `inClusterNamespaces` to its namespaces.
   * @default EgressEnforcement.networkPolicy()
   */
  readonly enforcement?: EgressEnforcement;
  /**
   * Namespace of the ServiceEntries, VirtualServices, DestinationRules and Gateway.
   * @default - the chart's
   */
  readonly namespace?: string;
}

interface AllowedHost {
  readonly service: ExternalService;
  readonly callers: ZeroTrustCaller[];
}

/**
 * Governed outbound traffic: which external hosts which workloads may reach. Each `allow` writes
 * a ServiceEntry (MESH_EXTERNAL, exported only to the callers' namespaces), a DestinationRule
 * where the mesh originates TLS, and — through the mesh's egress gateway — the Gateway server,
 * the VirtualService (mesh → gateway → host), the gateway hop's ISTIO_MUTUAL subset, and a rule
 * of the AuthorizationPolicy on the egress gateway that admits only the declared callers (by
 * their mTLS identity and the SNI they ask for). The mesh must be REGISTRY_ONLY. In an ambient
 * mesh, an egress waypoint carries the hosts instead (ServiceEntries bound to it, policies
 * targeting them). Each caller namespace gets an egress NetworkPolicy (see `enforcement`).
 */
export class EgressPolicy extends Construct {
  /** The namespace the routing objects are written to. */
  public readonly namespace: string;
  /** Whether traffic goes through the egress gateway. */
  public readonly viaEgressGateway: boolean;
  private readonly mesh?: IMesh;
  private readonly name: string;
  private readonly allowed = new Map<string, AllowedHost>();
  private readonly sidecarEgress: boolean;
  private readonly gatewayRoutes?: EgressGatewayRoutes;
  private waypointRoutes?: EgressWaypointRoutes;
  private readonly ambient: boolean;
  private readonly sidecars = new Map<string, Sidecar>();
  private readonly enforcement: EgressEnforcement;
  private readonly networkPolicies = new Map<string, DirectAddress[]>();

  constructor(scope: Construct, id: string, props: EgressPolicyProps = {}) {
    super(scope, id);
    this.mesh = props.mesh;
    this.name = defaultObjectName(id);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (!namespace) invalid(this, 'namespace', undefined, 'a namespace (set `namespace` or the chart\'s): ServiceEntries are exported by namespace');
    this.namespace = namespace;
    const mesh = props.mesh;
    this.ambient = mesh?.ambient ?? false;
    if (this.ambient && props.viaEgressGateway) {
      invalid(this, 'viaEgressGateway', true, 'no value in an ambient mesh: ztunnel ignores the VirtualService that would send traffic to an egress gateway; '
        + 'the EgressPolicy writes an egress waypoint instead');
    }
    if (this.ambient && props.sidecarEgress) invalid(this, 'sidecarEgress', true, 'no value in an ambient mesh: its pods have no sidecar');
    if (!mesh && (props.requireRegistryOnly ?? true)) {
      // Under Istio's default ALLOW_ANY the ServiceEntries would govern nothing, and nothing would say so (review M4).
      invalid(this, 'mesh', undefined, 'the mesh (a Mesh, or Mesh.fromAttributes for one installed elsewhere), so that its outbound policy can be checked; '
        + 'or requireRegistryOnly: false to declare hosts without that check');
    }
    // ztunnel does not read the outbound policy (review H3): in ambient mode the egress NetworkPolicy holds unknown hosts.
    if (mesh && !this.ambient && (props.requireRegistryOnly ?? true) && mesh.outboundTrafficPolicy !== OutboundTrafficMode.REGISTRY_ONLY) {
      invalid(this, 'mesh outboundTrafficPolicy', mesh.outboundTrafficPolicy,
        'REGISTRY_ONLY: with ALLOW_ANY every workload reaches every host and these ServiceEntries govern nothing. Give the mesh an egressGateway '
        + 'or outboundTrafficPolicy: OutboundTrafficMode.REGISTRY_ONLY (or set requireRegistryOnly: false while you migrate)');
    }
    const hasGateway = mesh?.egressGateway !== undefined;
    this.viaEgressGateway = !this.ambient && (props.viaEgressGateway ?? hasGateway);
    if (this.viaEgressGateway && !hasGateway) {
      invalid(this, 'viaEgressGateway', true, mesh ? 'a mesh with an egress gateway (the Mesh\'s, or the attributes\', `egressGateway`)' : 'the mesh whose egress gateway routes the traffic (set `mesh`)');
    }
    this.sidecarEgress = props.sidecarEgress ?? false;
    if (props.enforcement !== undefined && !(props.enforcement instanceof EgressEnforcement)) {
      invalid(this, 'enforcement', props.enforcement, 'EgressEnforcement.networkPolicy() or EgressEnforcement.sidecarOnly()');
    }
    this.enforcement = props.enforcement ?? EgressEnforcement.networkPolicy();
    if (this.ambient && !this.enforcement.writesNetworkPolicy) {
      // ztunnel implements neither REGISTRY_ONLY nor the routes (review H3; istio/istio#54281).
      invalid(this, 'enforcement', 'sidecarOnly', 'EgressEnforcement.networkPolicy() in an ambient mesh: ztunnel does not enforce REGISTRY_ONLY, '
        + 'so only the egress NetworkPolicy keeps pods from hosts nobody declared');
    }
    if (this.viaEgressGateway) this.gatewayRoutes = new EgressGatewayRoutes(this, this.name, namespace, mesh!.egressGateway!, mesh!.trustDomain);
    this.node.addValidation({ validate: () => this.heldElsewhere() });
  }

  /** The ZeroTrustNamespace of this app that holds `namespace` with an egress NetworkPolicy, if any. */
  private zeroTrustHolding(namespace: string): IConstruct | undefined {
    return egressHolder(this, namespace);
  }

  /**
   * Direct egress left to the sidecars, from a namespace whose ZeroTrustNamespace writes an egress
   * NetworkPolicy: that policy would drop the connections (it lists no external address).
   */
  private heldElsewhere(): string[] {
    const here = this.waypointRoutes ? this.zeroTrustHolding(this.namespace) : undefined;
    if (here) {
      return [`the egress waypoint is in namespace ${this.namespace}, whose ZeroTrustNamespace ${here.node.path} writes NetworkPolicies that would cut it `
        + 'off the Internet and from its callers: give the EgressPolicy a namespace of its own (`namespace`)'];
    }
    if (this.viaEgressGateway || this.ambient || this.enforcement.writesNetworkPolicy) return [];
    const problems: string[] = [];
    for (const { service, callers } of this.allowed.values()) {
      for (const ns of [...new Set(callers.map((c) => c.sourceNamespace))].sort()) {
        const zt = this.zeroTrustHolding(ns);
        if (zt) {
          problems.push(`"${service.host}" is reached directly from namespace ${ns}, whose ZeroTrustNamespace ${zt.node.path} writes an egress NetworkPolicy `
            + 'that lets no external address through: route it through the egress gateway, use EgressEnforcement.networkPolicy() for a TCP host by address, '
            + 'or give that ZeroTrustNamespace egressEnforcement: EgressEnforcement.sidecarOnly()');
        }
      }
    }
    return problems;
  }

  /** The hosts allowed so far, in the order allowed. */
  public get hosts(): string[] {
    return [...this.allowed.keys()];
  }

  /**
   * Lets `callers` (service accounts, or whole namespaces) reach `service`. Each host is allowed
   * once, with all of its callers.
   */
  public allow(service: ExternalService, callers: ZeroTrustCaller[]): void {
    if (!(service instanceof ExternalService)) invalid(this, 'service', service, 'an ExternalService (ExternalService.https, http or tcp)');
    if (!Array.isArray(callers) || callers.length === 0) invalid(this, `"${service.host}" callers`, callers, 'at least one caller (ZeroTrustCaller.serviceAccount or namespace)');
    for (const c of callers) {
      if (c.requiresToken) {
        invalid(this, `"${service.host}" callers`, c.kind === 'requestPrincipal' ? 'authenticatedUser' : 'withToken',
          'workloads (service accounts or namespaces): end-user tokens do not reach the egress gateway or waypoint');
      }
      if (!this.viaEgressGateway && !this.ambient && c.kind !== 'namespace') {
        // Without a gateway nothing checks the caller's identity: the ServiceEntry is exported to
        // namespaces and a NetworkPolicy selects pods, not accounts (review H4).
        invalid(this, `"${service.host}" callers`, `${c.sourceNamespace}/${c.serviceAccountName}`,
          'whole namespaces (ZeroTrustCaller.namespace) for direct egress, where a host is visible to every pod of a caller\'s namespace; '
          + 'to tell service accounts apart, route through the egress gateway (its AuthorizationPolicy checks the caller\'s identity)');
      }
    }
    this.checkEnforceable(service, callers);
    const existing = this.allowed.get(service.host);
    if (existing) {
      const why = existing.service._sameAs(service)
        ? 'each host once: pass all of its callers to one allow()'
        : `one declaration per host: it is already allowed as ${existing.service._describe()}, now as ${service._describe()}`;
      invalid(this, 'host', service.host, why);
    }
    this.checkPortProtocols(service);
    const base = objectName(service.host);
    const clash = [...this.allowed.keys()].find((h) => objectName(h) === base);
    if (clash) invalid(this, 'host', service.host, `a host whose object names differ from those of "${clash}" (both become "${base}")`);
    this.allowed.set(service.host, { service, callers: [...callers] });
    this.render(service, callers);
  }

  /** Sidecars have one listener per port for hosts without addresses: a port carries TLS or HTTP, not both. */
  private checkPortProtocols(service: ExternalService): void {
    if (service.protocol === 'tcp') return;
    for (const other of this.allowed.values()) {
      const o = other.service;
      if (o.protocol !== 'tcp' && o.port === service.port && o.protocol !== service.protocol) {
        invalid(this, `"${service.host}" port`, service.port,
          `a port not already declared ${o.protocol.toUpperCase()} (for "${o.host}"): sidecars have one listener per port, which carries TLS or plain HTTP, not both`);
      }
    }
  }

  private render(service: ExternalService, callers: ZeroTrustCaller[]): void {
    const base = objectName(service.host);
    const viaGateway = this.viaEgressGateway;
    if (viaGateway && service.protocol === 'tcp' && service.addresses.some((a) => a.includes('/') && !/\/(32|128)$/.test(a))) {
      invalid(this, `"${service.host}" addresses`, service.addresses,
        'single IP addresses through the egress gateway (it resolves the host by DNS, which Istio allows only with plain addresses); CIDR blocks work without the gateway (viaEgressGateway: false)');
    }
    if (this.ambient && service.isWildcard) {
      invalid(this, 'host', service.host, 'a concrete host in an ambient mesh: the egress waypoint needs one name to resolve');
    }
    if (viaGateway && service.isWildcard) {
      invalid(this, 'host', service.host, 'a concrete host through the egress gateway: Istio forwards a wildcard there only to one upstream, so allow each host by name');
    }
    const callerNamespaces = [...new Set(callers.map((c) => c.sourceNamespace))].sort();
    // Visible to the callers and, through the gateway, to the gateway's namespace.
    const exportNamespaces = new Set(callerNamespaces);
    if (viaGateway) exportNamespaces.add(this.mesh!.egressGateway!.namespace);
    // Not to this namespace unless a caller is there: callers' proxies resolve the VirtualService
    // and DestinationRule in their own scope (review H4).
    // In an ambient mesh the waypoint, in this namespace, must see it too.
    const exportHere = exportNamespaces.delete(this.namespace) || this.ambient;
    // Direct TCP keeps the connection's own destination (NONE); through the gateway, whose
    // connections are addressed to itself, the host is resolved (DNS).
    const resolution = service.isWildcard || (service.protocol === 'tcp' && !viaGateway) ? ServiceEntryResolution.NONE : ServiceEntryResolution.DNS;
    const ports = this.serviceEntryPorts(service, viaGateway);
    // Where the gateway originates TLS it needs only the TLS port's entry: two entries for one host
    // with different exportTo in its namespace are not merged, and the older wins (review R7;
    // pilot/pkg/model/sidecar.go canMergeServices at 1.30.3).
    const entryExport = new Set(exportNamespaces);
    if (ports.gatewayOnly && !callerNamespaces.includes(this.mesh!.egressGateway!.namespace)) entryExport.delete(this.mesh!.egressGateway!.namespace);
    new ServiceEntry(this, `ServiceEntry-${base}`, {
      name: base,
      namespace: this.namespace,
      labels: this.ambient ? this.waypoints().serviceEntryLabels : undefined,
      hosts: [service.host],
      ports: ports.callers,
      addresses: service.addresses.length > 0 ? service.addresses : undefined,
      location: ServiceEntryLocation.MESH_EXTERNAL,
      resolution,
      exportTo: ExportTo.namespaces([...entryExport].sort(), exportHere),
    });
    if (ports.gatewayOnly) {
      // The TLS port the gateway originates to is not exported to the callers: they reach the
      // host only through the gateway (and its authorization policy).
      new ServiceEntry(this, `ServiceEntry-${base}-tls`, {
        name: `${base}-tls`,
        namespace: this.namespace,
        hosts: [service.host],
        ports: ports.gatewayOnly,
        location: ServiceEntryLocation.MESH_EXTERNAL,
        resolution,
        exportTo: ExportTo.namespaces([this.mesh!.egressGateway!.namespace], false),
      });
    }
    const host = ServiceHost.of(service.host);
    if (service.originateTls) {
      // The sidecar (or, via the gateway, the gateway) opens TLS to the host with its name as SNI,
      // and checks the certificate against that name: an explicit sni turns Istio's automatic
      // check off, so the name is given as subjectAltNames (review H1; cluster_tls.go at 1.30.3).
      const port = viaGateway ? service.tlsPort! : service.port;
      new DestinationRule(this, `DestinationRule-${base}`, {
        name: `${base}-tls-origination`,
        // Where the ServiceEntry is: a mesh whose DestinationRules default to "." still applies it.
        exportTo: ExportTo.namespaces([...exportNamespaces].sort(), exportHere),
        namespace: this.namespace,
        host,
        trafficPolicy: TrafficPolicy.of({
          portLevelSettings: [PortTrafficPolicy.of(port, { tls: ClientTls.simple({ sni: service.host, subjectAltNames: [service.host] }) })],
        }),
      });
    }
    if (viaGateway) this.gatewayRoutes!.add(service, base, host, callers, ExportTo.namespaces([...exportNamespaces].sort(), exportHere));
    if (this.ambient) this.waypoints().add(base, callers);
    if (this.sidecarEgress) {
      for (const ns of callerNamespaces) this.sidecarFor(ns).addEgressHosts([SidecarEgressHost.host(this.namespace, service.host)]);
    }
    if (this.enforcement.writesNetworkPolicy) {
      const direct = viaGateway || this.ambient ? [] : service.addresses.map((cidr) => ({ cidr, port: service.port }));
      for (const ns of callerNamespaces) this.networkPolicyFor(ns).push(...direct);
    }
  }

  /** With an egress NetworkPolicy, the host must be reachable through it and the callers' namespaces must be ones it may hold. */
  private checkEnforceable(service: ExternalService, callers: ZeroTrustCaller[]): void {
    if (!this.enforcement.writesNetworkPolicy) return;
    if (!this.viaEgressGateway && !this.ambient && service.addresses.length === 0) {
      invalid(this, 'host', service.host, 'a host the egress NetworkPolicy can let through: direct egress reaches a host by name, and a NetworkPolicy '
        + 'matches addresses, so a pod without a sidecar could reach any address. Route it through the egress gateway (a mesh with egressGateway), '
        + 'or give enforcement: EgressEnforcement.sidecarOnly() to rely on the sidecars alone');
    }
    const reserved = new Set(meshComponentNamespaces(this.mesh));
    for (const c of callers) {
      if (reserved.has(c.sourceNamespace)) {
        invalid(this, `"${service.host}" callers`, c.sourceNamespace, `callers outside the mesh's own namespaces (${[...reserved].join(', ')}): `
          + 'the egress NetworkPolicy would cut istiod and the gateways off what they must reach; move the caller, or give enforcement: EgressEnforcement.sidecarOnly()');
      }
    }
  }

  /** The direct addresses of the namespace's egress NetworkPolicy (written with its first caller). */
  private networkPolicyFor(namespace: string): DirectAddress[] {
    let direct = this.networkPolicies.get(namespace);
    if (!direct) {
      const addresses: DirectAddress[] = [];
      direct = addresses;
      const enforcement = this.enforcement;
      egressNetworkPolicy(this, `EgressNetworkPolicy-${namespace}`, {
        name: `${this.name}-egress-via-mesh`,
        namespace,
        meshNamespace: this.mesh?.namespace ?? 'istio-system',
        egressProxy: this.viaEgressGateway ? gatewayPods(this.mesh!.egressGateway!)
          : this.ambient ? { namespace: this.namespace, labels: this.waypoints().podLabels } : undefined,
        // The egress waypoint keeps its Internet egress.
        exceptPods: this.ambient && namespace === this.namespace ? this.waypoints().podLabels : undefined,
        // Beside a ZeroTrustNamespace's own egress policy, add nothing in-cluster: NetworkPolicies
        // add up, and every namespace here would undo its narrower list.
        inClusterNamespaces: () => enforcement.inClusterNamespaces ?? (this.zeroTrustHolding(namespace) ? [] : undefined),
        directAddresses: () => [...addresses, ...enforcement.directAddresses.map((cidr) => ({ cidr }))],
      });
      this.networkPolicies.set(namespace, direct);
    }
    return direct;
  }

  /** The egress waypoint (ambient), made with the first host. */
  private waypoints(): EgressWaypointRoutes {
    if (!this.waypointRoutes) {
      this.waypointRoutes = new EgressWaypointRoutes(this, this.name, this.namespace, this.mesh!.trustDomain, this.mesh!.revision);
    }
    return this.waypointRoutes;
  }

  /** The ports the callers see, and (TLS originated at the gateway) the TLS port only the gateway sees. */
  private serviceEntryPorts(service: ExternalService, viaGateway: boolean): { callers: ServiceEntryPort[]; gatewayOnly?: ServiceEntryPort[] } {
    switch (service.protocol) {
      case 'https':
        return { callers: [{ number: service.port, protocol: PortProtocol.HTTPS, name: `https-${service.port}` }] };
      case 'tcp':
        return { callers: [{ number: service.port, protocol: PortProtocol.TCP, name: `tcp-${service.port}` }] };
      default: {
        const http = { number: service.port, protocol: PortProtocol.HTTP, name: `http-${service.port}` };
        if (!service.originateTls) return { callers: [http] };
        // Direct: the sidecar sends the application's plain-HTTP port to the TLS port (targetPort).
        // Via the gateway: the gateway calls the host's TLS port.
        return viaGateway
          ? { callers: [http], gatewayOnly: [{ number: service.tlsPort!, protocol: PortProtocol.HTTPS, name: `https-${service.tlsPort}` }] }
          : { callers: [{ ...http, targetPort: service.tlsPort }] };
      }
    }
  }

  private sidecarFor(namespace: string): Sidecar {
    let sidecar = this.sidecars.get(namespace);
    if (!sidecar) {
      sidecar = new Sidecar(this, `Sidecar-${namespace}`, {
        name: `${this.name}-egress`,
        namespace,
        // Its own namespace, the mesh's (istiod) and, through the gateway, the gateway's Service.
        egress: [{
          hosts: [SidecarEgressHost.sameNamespace(), ...[...new Set([this.mesh?.namespace ?? 'istio-system',
            ...(this.viaEgressGateway ? [this.mesh!.egressGateway!.namespace] : [])])].map((ns) => SidecarEgressHost.namespace(ns))],
        }],
      });
      this.sidecars.set(namespace, sidecar);
    }
    return sidecar;
  }
}

/** `api.stripe.com` → `api-stripe-com`; `*.googleapis.com` → `wildcard-googleapis-com`. */
function objectName(host: string): string {
  return host.replace(/^\*/, 'wildcard').replace(/\.$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}
