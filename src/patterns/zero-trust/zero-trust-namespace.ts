import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ZeroTrustCaller } from './zero-trust-caller';
import { INamespaceObject } from '../../kubernetes/namespace-ref';
import { IServiceRef } from '../../kubernetes/service-ref';
import { IWorkloadRef } from '../../kubernetes/workload-ref';
import { trustDomainProblem } from '../../private/field-checks';
import { checkDnsLabel } from '../../private/k8s-names';
import { namespaceOf, pathOf } from '../../private/kubernetes-refs';
import { checkRange, invalid } from '../../private/validate';
import { KubernetesGateway } from '../../resources/gateway-api/kubernetes-gateway';
import { OutboundTrafficMode } from '../../resources/networking/sidecar/outbound-traffic-mode';
import { Sidecar } from '../../resources/networking/sidecar/sidecar';
import { SidecarEgressHost } from '../../resources/networking/sidecar/sidecar-egress-host';
import { PolicyTargetRef } from '../../resources/policy-target-ref';
import { AuthorizationOperation, HttpMethod } from '../../resources/security/authorization-operation';
import { AuthorizationAction, AuthorizationPolicy } from '../../resources/security/authorization-policy';
import { AuthorizationRule } from '../../resources/security/authorization-rule';
import { AuthorizationSource } from '../../resources/security/authorization-source';
import { JwtRule } from '../../resources/security/jwt-rule';
import { MtlsMode, PeerAuthentication } from '../../resources/security/peer-authentication';
import { Principal } from '../../resources/security/principal';
import { RequestAuthentication } from '../../resources/security/request-authentication';
import { RequestPrincipal } from '../../resources/security/request-principal';
import { WorkloadSelector } from '../../resources/workload-selector';
import { EgressEnforcement } from '../egress/egress-enforcement';
import { IMesh } from '../mesh/mesh-ref';
import { SidecarInjection } from '../mesh/sidecar-injection';
import { callerSources } from '../private/caller-sources';
import { holdEgress } from '../private/egress-holders';
import { NamespaceNetworkPolicies } from './private/namespace-network-policies';
import { NamespaceWaypoint, ServiceRuleFactory } from './private/namespace-waypoint';
import { egressNetworkPolicy, gatewayPods, meshComponentNamespaces, sidecarNamespaces } from '../private/egress-network-policy';

/** What an allow rule lets the callers do. Positive matching only: anything not listed is denied. */
export interface AllowedAccess {
  /**
   * HTTP methods allowed.
   * @default - any method
   */
  readonly methods?: HttpMethod[];
  /**
   * Paths allowed: exact (`/metrics`), prefix (`/api/v1/payments/*`) or template.
   * @default - any path
   */
  readonly paths?: string[];
  /**
   * Ports allowed (the workload's container ports).
   * @default - any port of the workload
   */
  readonly ports?: number[];
  /**
   * The workload's Service. Ambient namespaces need it for L7 rules (methods, paths, or callers
   * that need a token): the policy binds to it, the Service goes through the namespace's waypoint
   * (its `istio.io/use-waypoint` and `istio.io/ingress-use-waypoint` labels) and the waypoint
   * enforces it. Sidecar namespaces do not read it.
   * @default - none
   */
  readonly service?: IServiceRef;
}

/** Options of `ZeroTrustNamespace.requireJwt`. */
export interface RequireJwtOptions {
  /**
   * Paths reachable without a token (health checks), exact or `/prefix/*`.
   * @default - none
   */
  readonly exemptPaths?: string[];
  /**
   * The workload's Service, which ambient namespaces need: ztunnel cannot read tokens, so the
   * requirement binds to the Service and its waypoint enforces it (review R4). Sidecar namespaces
   * do not read it.
   * @default - none
   */
  readonly service?: IServiceRef;
}

/** Properties of a ZeroTrustNamespace. */
export interface ZeroTrustNamespaceProps {
  /**
   * The name of a namespace to create. Exactly one of `name` and `namespace`.
   * @default - none
   */
  readonly name?: string;
  /**
   * An existing cdk8s-plus Namespace to enrol. Exactly one of `name` and `namespace`.
   * @default - none
   */
  readonly namespace?: INamespaceObject;
  /**
   * The mesh (`Mesh`, or `Mesh.fromAttributes` for one installed elsewhere): its revision, trust
   * domain, namespace and data-plane mode (sidecar or ambient).
   * @default - a sidecar mesh with the default revision, trust domain cluster.local, in istio-system
   */
  readonly mesh?: IMesh;
  /**
   * The trust domain of principals, when no mesh is given.
   * @default "cluster.local"
   */
  readonly trustDomain?: string;
  /**
   * The namespace's mutual TLS mode.
   * @default MtlsMode.STRICT - plaintext refused; PERMISSIVE is the explicit migration mode
   */
  readonly mtls?: MtlsMode;
  /**
   * Kubernetes NetworkPolicies as a second layer: ingress denied by default, admitted from the
   * namespaces of the allowed callers only.
   * @default true
   */
  readonly networkPolicies?: boolean;
  /**
   * Namespaces whose pods scrape the proxies' metrics: the NetworkPolicies admit them to every
   * pod on 15020 (the agent's merged metrics, where injection points `prometheus.io/port`) and
   * 15090 (Envoy's stats). These ports bypass the sidecar (no mTLS, no authorization:
   * the injection template excludes them from capture), so only the NetworkPolicy guards them.
   * Without this, a default-deny namespace silences its own metrics and every canary analysis
   * reading them (review R1). In an ambient namespace the only proxies are the waypoint's, and
   * the scrapers are admitted to its pods. With `networkPolicies` only.
   * @default ['monitoring']
   */
  readonly metricsScrapers?: string[];
  /**
   * A namespace `Sidecar` limiting egress to the namespace's own services, the mesh namespace,
   * kube-dns and what `allowEgressTo` adds (sidecar mode), with `outboundTrafficPolicy` (below).
   * The limit is the sidecar's: a pod without one (`sidecar.istio.io/inject: "false"`, the
   * `traffic.sidecar.istio.io/exclude*` annotations, UID 1337, NET_ADMIN) is not held by it.
   * @default true
   */
  readonly limitEgress?: boolean;
  /**
   * What the egress-limiting Sidecar does with a host it does not list. REGISTRY_ONLY refuses it
   * (502, or a reset). ALLOW_ANY, or leaving the Sidecar to the mesh's setting, passes unknown
   * hosts through: the Sidecar then only trims the proxies' configuration and limits nothing
   * (review H6; a Sidecar's own mode overrides the mesh's, pilot/pkg/model/sidecar.go at 1.30.3).
   * @default OutboundTrafficMode.REGISTRY_ONLY
   */
  readonly outboundTrafficPolicy?: OutboundTrafficMode;
  /**
   * How the egress limit holds for pods that leave around their proxy (review H2): by default an
   * egress NetworkPolicy `egress-via-mesh` lets the namespace's pods reach only kube-dns, istiod,
   * the egress gateway and the pods of the namespaces the egress-limiting Sidecar lists (every
   * namespace without one, as in ambient mode), so nothing leaves the cluster except through the
   * mesh. `EgressEnforcement.sidecarOnly()` leaves it to the proxies.
   * @default - EgressEnforcement.networkPolicy() with `networkPolicies`, else sidecarOnly()
   */
  readonly egressEnforcement?: EgressEnforcement;
}

/**
 * A namespace that is deny-by-default, mutually authenticated and explicit about who may call
 * what. It renders: the namespace enrollment (sidecar injection with the mesh's revision, or
 * ambient), a namespace-wide PeerAuthentication (STRICT), the deny-all AuthorizationPolicy, one
 * ALLOW policy per workload from the `allow` calls (principals derived from ServiceAccounts),
 * JWT requirements that really require a token, NetworkPolicies, and a REGISTRY_ONLY Sidecar
 * limiting egress to what the namespace is allowed to reach.
 * In ambient namespaces, L7 rules bind to the workload's Service and a waypoint enforces them.
 */
export class ZeroTrustNamespace extends Construct {

  /** The namespace name. */
  public readonly namespaceName: string;
  /** The cdk8s-plus Namespace. */
  public readonly namespace: INamespaceObject;
  /** The trust domain principals are made in. */
  public readonly trustDomain: string;
  /** The namespace-wide PeerAuthentication. */
  public readonly peerAuthentication: PeerAuthentication;
  /**
   * The deny-all baseline: Istio's allow-nothing policy (`spec: {}`, an ALLOW without rules), so
   * only the ALLOW rules of `allow` admit anything. ALLOW policies of the mesh's root namespace
   * without a selector also apply here, and can admit more (review M1).
   */
  public readonly denyAll: AuthorizationPolicy;
  /** How the namespace's egress limit holds for pods that leave around their proxy. */
  public readonly egressEnforcement: EgressEnforcement;
  /** The namespace's waypoint (ambient, once an L7 rule asks for it). */
  public get waypoint(): KubernetesGateway | undefined {
    return this.waypointBindings?.gateway;
  }
  private readonly mesh?: IMesh;
  private readonly meshNamespace: string;
  private readonly ambient: boolean;
  private readonly policies = new Map<string, AuthorizationPolicy>();
  private readonly requestAuthentications = new Map<string, RequestAuthentication>();
  private readonly sidecar?: Sidecar;
  private readonly networkPolicies: boolean;
  private readonly ingressPolicies?: NamespaceNetworkPolicies;
  private waypointBindings?: NamespaceWaypoint;
  private readonly l4Rules: Array<[string, ServiceRuleFactory]> = [];

  constructor(scope: Construct, id: string, props: ZeroTrustNamespaceProps) {
    super(scope, id);
    if ((props.name === undefined) === (props.namespace === undefined)) {
      invalid(this, 'namespace', props.name ?? props.namespace?.name, 'exactly one of `name` (a namespace to create) and `namespace` (an existing cdk8s-plus Namespace)');
    }
    if (props.name !== undefined) checkDnsLabel(this, 'name', props.name, 'a namespace name (RFC 1123 label)');
    this.namespace = props.namespace ?? new kplus.Namespace(this, 'Namespace', { metadata: { name: props.name } });
    this.namespaceName = this.namespace.name;
    this.mesh = props.mesh;
    this.meshNamespace = props.mesh?.namespace ?? 'istio-system';
    this.ambient = props.mesh?.ambient ?? false;
    this.trustDomain = props.mesh?.trustDomain ?? props.trustDomain ?? 'cluster.local';
    if (props.mesh && props.trustDomain !== undefined && props.trustDomain !== props.mesh.trustDomain) {
      invalid(this, 'trustDomain', props.trustDomain, `the mesh's trust domain ("${props.mesh.trustDomain}"), or leave it out`);
    }
    const tdProblem = trustDomainProblem(this.trustDomain);
    if (tdProblem) invalid(this, 'trustDomain', this.trustDomain, tdProblem);
    const mtls = props.mtls ?? MtlsMode.STRICT;
    if (mtls !== MtlsMode.STRICT && mtls !== MtlsMode.PERMISSIVE) invalid(this, 'mtls', mtls, 'STRICT (the default) or PERMISSIVE (migration)');

    // Enrollment: with the mesh's revision or in ambient mode.
    if (this.mesh) {
      if (this.ambient) this.mesh.enrollAmbient(this.namespace);
      else this.mesh.enableSidecarInjection(this.namespace);
    } else {
      SidecarInjection.enableForNamespace(this.namespace);
    }

    const ns = this.namespaceName;
    this.peerAuthentication = new PeerAuthentication(this, 'Mtls', { name: 'default', namespace: ns, mtls });
    this.denyAll = AuthorizationPolicy.denyAll(this, 'DenyAll', { name: 'deny-all', namespace: ns });
    this.networkPolicies = props.networkPolicies ?? true;
    const scrapers = props.metricsScrapers ?? (this.networkPolicies ? ['monitoring'] : []);
    scrapers.forEach((n, i) => checkDnsLabel(this, `metricsScrapers[${i}]`, n, 'a namespace name (RFC 1123 label)'));
    if (props.metricsScrapers !== undefined && props.metricsScrapers.length > 0 && !this.networkPolicies) {
      invalid(this, 'metricsScrapers', props.metricsScrapers, 'no value: it admits scrapers in the NetworkPolicies, which networkPolicies: false turns off');
    }
    if (this.networkPolicies) {
      this.ingressPolicies = new NamespaceNetworkPolicies(this, { namespace: ns, ambient: this.ambient, metricsScrapers: scrapers });
    }
    const limitEgress = props.limitEgress ?? true;
    if (props.outboundTrafficPolicy !== undefined) {
      if (!Object.values(OutboundTrafficMode).includes(props.outboundTrafficPolicy)) {
        invalid(this, 'outboundTrafficPolicy', props.outboundTrafficPolicy, `one of ${Object.values(OutboundTrafficMode).join(', ')}`);
      }
      if (!limitEgress || this.ambient) {
        invalid(this, 'outboundTrafficPolicy', props.outboundTrafficPolicy, `no value: it sets the egress-limiting Sidecar, which ${this.ambient ? 'an ambient namespace does not have' : 'limitEgress: false turns off'}`);
      }
    }
    const enforcement = props.egressEnforcement ?? (this.networkPolicies ? EgressEnforcement.networkPolicy() : EgressEnforcement.sidecarOnly());
    this.egressEnforcement = enforcement;
    if (!(enforcement instanceof EgressEnforcement)) {
      invalid(this, 'egressEnforcement', enforcement, 'EgressEnforcement.networkPolicy() or EgressEnforcement.sidecarOnly()');
    }
    if (enforcement.writesNetworkPolicy && !this.networkPolicies) {
      invalid(this, 'egressEnforcement', 'networkPolicy', 'EgressEnforcement.sidecarOnly(), or leave it out: networkPolicies: false turns NetworkPolicies off');
    }
    if (enforcement.writesNetworkPolicy) {
      holdEgress(this, ns);
      if (meshComponentNamespaces(props.mesh).includes(ns)) {
        invalid(this, 'egressEnforcement', 'networkPolicy', `EgressEnforcement.sidecarOnly() in the mesh's own namespace "${ns}": `
          + 'an egress NetworkPolicy would cut istiod, the egress gateway or an ingress gateway off what they must reach');
      }
      egressNetworkPolicy(this, 'EgressViaMesh', {
        name: 'egress-via-mesh',
        namespace: ns,
        meshNamespace: this.meshNamespace,
        egressProxy: props.mesh?.egressGateway && gatewayPods(props.mesh.egressGateway),
        inClusterNamespaces: () => enforcement.inClusterNamespaces ?? (this.sidecar ? sidecarNamespaces(this.sidecar.egressHosts, ns) : undefined),
        directAddresses: () => enforcement.directAddresses.map((cidr) => ({ cidr })),
      });
    }
    if (limitEgress && !this.ambient) {
      this.sidecar = new Sidecar(this, 'EgressLimit', {
        name: 'default',
        namespace: ns,
        egress: [{
          hosts: [
            SidecarEgressHost.sameNamespace(),
            ...meshNamespaces(props.mesh).map((other) => SidecarEgressHost.namespace(other)),
            // DNS over TCP goes through the proxy; under REGISTRY_ONLY kube-dns must be in scope.
            SidecarEgressHost.host('kube-system', 'kube-dns.kube-system.svc.cluster.local'),
          ],
        }],
        outboundTrafficPolicy: props.outboundTrafficPolicy ?? OutboundTrafficMode.REGISTRY_ONLY,
      });
    }
  }

  /**
   * Allows `callers` to call `workload` (a workload of this namespace), for `access`. Rules for
   * one workload are merged into one ALLOW policy, `<workload>-allow`, in call order; one
   * NetworkPolicy per workload, `<workload>-allow`, admits the callers of all of them. In ambient
   * namespaces, L7 rules (methods, paths, callers that need a token) go to `<service>-l7-allow`,
   * bound to the Service, whose traffic then goes through the namespace's waypoint; the
   * workload's L4 rules are repeated there, so its L4 callers keep working through the waypoint.
   */
  public allow(workload: IWorkloadRef, callers: ZeroTrustCaller[], access: AllowedAccess = {}): void {
    const where = `${this.node.path} allow ${pathOf(workload, workload.name)}`;
    const wns = namespaceOf(workload, 'workload');
    if (wns !== this.namespaceName) invalid(where, 'workload namespace', wns, `a workload of namespace "${this.namespaceName}"`);
    if (!Array.isArray(callers) || callers.length === 0) {
      invalid(where, 'callers', callers, 'at least one caller: an allow rule without callers would admit every request');
    }
    const operations = (access.methods?.length ?? 0) > 0 || (access.paths?.length ?? 0) > 0;
    const tokens = callers.some((c) => c.requiresToken);
    const exposed = exposedPorts(workload);
    for (const port of access.ports ?? []) {
      checkRange(where, 'ports', port, 1, 65535, true);
      if (exposed.length > 0 && !exposed.includes(port)) invalid(where, 'ports', port, `a port the workload exposes (${exposed.join(', ')})`);
    }
    if (this.ambient && (operations || tokens)) {
      // ztunnel enforces no L7 attribute: an ALLOW rule with one never matches, a DENY denies everything (review R4).
      this.checkService(where, access.service, operations ? 'L7 rules (methods, paths)' : 'callers that need a token (ztunnel cannot read tokens)');
      const waypoint = this.ensureWaypoint();
      // The waypoint sees the Service's port, not the container's.
      const ports = access.ports && servicePorts(access.service!, access.ports);
      if (ports?.length === 0) {
        invalid(where, 'ports', access.ports, `container ports the Service ${access.service!.name} forwards to `
          + `(its ports: ${access.service!.ports.map((p) => `${p.port}→${p.targetPort ?? p.port}`).join(', ') || 'none declared'}): the waypoint matches the Service port`);
      }
      waypoint.servicePolicy(where, access.service!, workload.name).addRule(this.ruleFor(callers, { ...access, ports }));
      for (const c of callers) if (c._jwtRule) waypoint.requestAuthentication(access.service!, c._jwtRule);
    } else {
      this.workloadPolicy(workload).addRule(this.ruleFor(callers, access));
      for (const c of callers) if (c._jwtRule) this.jwtFor(workload, c._jwtRule);
      if (this.ambient) {
        // Repeated on the workload's waypoint Services, with their ports (the waypoint sees the Service port).
        this.ensureWaypointRules(workload.name, (service) => {
          if (access.ports && service.ports.length === 0) {
            invalid(where, 'ports', access.ports, `a rule the waypoint can match: Service ${service.name} uses the waypoint, which matches Service ports, `
              + 'and its ports are not known (declare them: ServiceRef.of(namespace, name, { ports }))');
          }
          const ports = access.ports && servicePorts(service, access.ports);
          // No Service port forwards to these container ports: no traffic of the rule goes through the Service.
          return ports?.length === 0 ? undefined : this.ruleFor(callers, { ...access, ports });
        });
      }
    }
    // End users (no source namespace) arrive through the mesh's ingress gateways.
    const namespaces = callers.flatMap((c) => (c.sourceNamespace ? [c.sourceNamespace] : this.userNamespaces()));
    this.ingressPolicies?.admit(workload, namespaces, access.ports ?? exposed);
  }

  /** The namespaces end users' requests come from: those of the mesh's ingress gateways, else the mesh's. */
  private userNamespaces(): string[] {
    const gateways = this.mesh?.ingressGateways ?? [];
    return gateways.length > 0 ? [...new Set(gateways.map((g) => g.namespace))] : [this.meshNamespace];
  }

  /**
   * Requires a valid JWT on every request to `workload` (except `exemptPaths`): a
   * RequestAuthentication for the issuer, and a DENY policy for requests without a request
   * principal. (RequestAuthentication alone lets requests without a token through.) Callers still
   * need an `allow`, e.g. `ZeroTrustCaller.ingressGateway(mesh)` or `authenticatedUser(rule)`.
   * In an ambient namespace both bind to `service` and its waypoint checks them, and a DENY
   * `<workload>-via-waypoint` has ztunnel admit only the waypoint, so nobody reaches the pods
   * around it (their app metrics too: scrape them through the Service, or leave the token off).
   */
  public requireJwt(workload: IWorkloadRef, rule: JwtRule, options: RequireJwtOptions = {}): void {
    const where = `${this.node.path} requireJwt ${pathOf(workload, workload.name)}`;
    const wns = namespaceOf(workload, 'workload');
    if (wns !== this.namespaceName) invalid(where, 'workload namespace', wns, `a workload of namespace "${this.namespaceName}"`);
    // In ambient mode the requirement binds to the Service and the waypoint enforces it: ztunnel
    // would drop the token attributes and deny everything (review R4).
    let attach: { selector?: WorkloadSelector; targetRefs?: PolicyTargetRef[] };
    let base: string;
    if (this.ambient) {
      this.checkService(where, options.service, 'a token requirement (ztunnel cannot read tokens)');
      const waypoint = this.ensureWaypoint();
      waypoint.bind(where, options.service!, workload.name);
      waypoint.requestAuthentication(options.service!, rule);
      attach = { targetRefs: [PolicyTargetRef.fromService(options.service!)] };
      base = options.service!.name;
      // ztunnel lets through only the waypoint: a caller that addresses the pod rather than the
      // Service would otherwise reach it past the token check (principals are L4, so ztunnel
      // enforces this DENY; authorization.go at 1.30.3).
      new AuthorizationPolicy(this, `ViaWaypoint-${workload.name}`, {
        name: `${workload.name}-via-waypoint`,
        namespace: this.namespaceName,
        selector: WorkloadSelector.fromWorkload(workload),
        action: AuthorizationAction.DENY,
        rules: [AuthorizationRule.fromSources(AuthorizationSource.of({
          notPrincipals: [Principal.of(this.namespaceName, waypoint.name, this.trustDomain)],
        }))],
      });
    } else {
      this.jwtFor(workload, rule);
      attach = { selector: WorkloadSelector.fromWorkload(workload) };
      base = workload.name;
    }
    let deny = AuthorizationRule.fromSources(AuthorizationSource.of({ notRequestPrincipals: [RequestPrincipal.anyAuthenticated()] }));
    if (options.exemptPaths && options.exemptPaths.length > 0) {
      deny = deny.to(AuthorizationOperation.of({ notPaths: options.exemptPaths }));
      const exempt = new AuthorizationPolicy(this, `JwtExempt-${base}`, { name: `${base}-jwt-exempt`, namespace: this.namespaceName, ...attach });
      const health = AuthorizationOperation.of({ methods: [HttpMethod.GET, HttpMethod.HEAD], paths: options.exemptPaths });
      exempt.addRule(AuthorizationRule.fromAnySource().to(health));
    }
    new AuthorizationPolicy(this, `RequireJwt-${base}`, {
      name: `${base}-require-jwt`,
      namespace: this.namespaceName,
      ...attach,
      action: AuthorizationAction.DENY,
      rules: [deny],
    });
  }

  /**
   * A mutual-TLS exception on one port of one workload (a legacy client that cannot do mTLS),
   * as its own PeerAuthentication `<workload>-mtls-exception`. The port must be one the
   * workload exposes.
   */
  public addMtlsException(workload: IWorkloadRef, port: number, mode: MtlsMode): PeerAuthentication {
    const where = `${this.node.path} mTLS exception ${pathOf(workload, workload.name)}`;
    checkRange(where, 'port', port, 1, 65535, true);
    const exposed = exposedPorts(workload);
    if (!exposed.includes(port)) invalid(where, 'port', port, `a port the workload exposes (${exposed.join(', ') || 'none declared: give its containers ports'})`);
    if (mode === this.peerAuthentication.mtls) invalid(where, 'mode', mode, `a mode different from the namespace's (${this.peerAuthentication.mtls}): that is no exception`);
    const pa = new PeerAuthentication(this, `MtlsException-${workload.name}`, {
      name: `${workload.name}-mtls-exception`,
      namespace: this.namespaceName,
      selector: WorkloadSelector.fromWorkload(workload),
      mtls: this.peerAuthentication.mtls,
    });
    pa.addPortException(port, mode);
    return pa;
  }

  /** Lets the namespace's workloads reach more services (the egress-limiting Sidecar). */
  public allowEgressTo(...hosts: SidecarEgressHost[]): void {
    if (!this.sidecar) invalid(this, 'egress', hosts.map((h) => h.value), 'egress limiting is off (limitEgress: false, or an ambient namespace)');
    this.sidecar.addEgressHosts(hosts);
  }

  /** The workload's RequestAuthentication (`<workload>-jwt`), accepting `rule`'s issuer. */
  private jwtFor(workload: IWorkloadRef, rule: JwtRule): void {
    let ra = this.requestAuthentications.get(workload.name);
    if (!ra) {
      ra = new RequestAuthentication(this, `Jwt-${workload.name}`, {
        name: `${workload.name}-jwt`, namespace: this.namespaceName, selector: WorkloadSelector.fromWorkload(workload),
      });
      this.requestAuthentications.set(workload.name, ra);
    }
    if (!ra.jwtRules.some((r) => r.issuer === rule.issuer)) ra.addJwtRule(rule);
  }

  private ruleFor(callers: ZeroTrustCaller[], access: AllowedAccess): AuthorizationRule {
    let rule = AuthorizationRule.fromSources(...callerSources(callers, this.trustDomain));
    if (access.methods || access.paths || access.ports) {
      rule = rule.to(AuthorizationOperation.of({ methods: access.methods, paths: access.paths, ports: access.ports }));
    }
    return rule;
  }

  /** The workload's ALLOW policy (`<workload>-allow`, selector-bound). */
  private workloadPolicy(workload: IWorkloadRef): AuthorizationPolicy {
    let policy = this.policies.get(workload.name);
    if (!policy) {
      policy = new AuthorizationPolicy(this, `Allow-workload:${workload.name}`, {
        name: `${workload.name}-allow`, namespace: this.namespaceName, selector: WorkloadSelector.fromWorkload(workload),
      });
      this.policies.set(workload.name, policy);
    }
    return policy;
  }

  /** An ambient rule that needs the waypoint names a Service of this namespace. */
  private checkService(where: string, service: IServiceRef | undefined, what: string): void {
    if (!service) invalid(where, 'service', undefined, `the workload's Service: in ambient mode, ${what} bind to the Service and its waypoint enforces them`);
    const ns = namespaceOf(service, 'service');
    if (ns !== this.namespaceName) invalid(where, 'service namespace', ns, `a Service of namespace "${this.namespaceName}" (the waypoint's)`);
  }

  /** The namespace's waypoint, made on first use with the L4 rules recorded so far. */
  private ensureWaypoint(): NamespaceWaypoint {
    if (!this.waypointBindings) {
      const waypoint = new NamespaceWaypoint(this, this.namespaceName, this.trustDomain, this.mesh?.revision);
      this.waypointBindings = waypoint;
      for (const [workload, make] of this.l4Rules) waypoint.addL4Rule(workload, make);
      this.ingressPolicies?.addWaypoint({ name: waypoint.name, carries: (w) => waypoint.carries(w) });
    }
    return this.waypointBindings;
  }

  /** Records an ambient workload's L4 rule, for the waypoint Services of the workload. */
  private ensureWaypointRules(workload: string, make: ServiceRuleFactory): void {
    this.l4Rules.push([workload, make]);
    this.waypointBindings?.addL4Rule(workload, make);
  }
}

/** The Service ports whose target is one of `containerPorts` (what a waypoint sees of them). */
function servicePorts(service: IServiceRef, containerPorts: number[]): number[] {
  return [...new Set(service.ports.filter((p) => containerPorts.includes(p.targetPort ?? p.port)).map((p) => p.port))].sort((a, b) => a - b);
}

/** The container ports a workload declares. */
function exposedPorts(workload: IWorkloadRef): number[] {
  return [...new Set(workload.containers.flatMap((c) => c.ports.map((p) => p.number)))].sort((a, b) => a - b);
}

/**
 * The namespaces a namespace's proxies must see besides their own: the mesh's (istiod) and, when
 * it runs elsewhere, the egress gateway's (egress routes go through its Service).
 */
function meshNamespaces(mesh: IMesh | undefined): string[] {
  return [...new Set([mesh?.namespace ?? 'istio-system', ...(mesh?.egressGateway ? [mesh.egressGateway.namespace] : [])])];
}
