import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ControlPlaneRevision, ControlPlaneRevisionProps } from './control-plane-revision';
import { InstallMethod } from './install-method';
import { IstioPrometheusMonitors } from './istio-prometheus-monitors';
import { JaegerAllInOne } from './jaeger-all-in-one';
import { MeshAttributes } from './mesh-attributes';
import { defaultGatewayLabel, MeshGateway } from './mesh-gateway';
import { ClusterRole, IngressGatewayOptions, MeshProps, MultiClusterOptions } from './mesh-options';
import { AmbientEnrollmentOptions, IMesh, SidecarInjectionOptions } from './mesh-ref';
import { enableSidecarInjection, enrollAmbient } from './private/enrollment';
import { HELM_INSTALL_PROFILES } from './private/helm-charts';
import { renderHelmInstall } from './private/helm-install';
import { ImportedMesh } from './private/imported-mesh';
import { checkMultiCluster, eastWestComponent, ingressComponent, installSpec, newestVersion, ResolvedInstall, revisionSpec } from './private/install-spec';
import { chartTagProblems, injectorSettings, renderRevisionTag } from './private/revision-tags';
import { checkRevisionTags, checkVersion, DEFAULT_VERSION, registerRevisionHost, RevisionEntry, revisionRefusal, tagProblems } from './private/revisions';
import { PrometheusScrapeConfig } from './prometheus-scrape-config';
import { SidecarInjection, WorkloadProxyOptions } from './sidecar-injection';
import { TracingBackend } from './tracing-backend';
import { INamespaceObject } from '../../kubernetes/namespace-ref';
import { IPodTemplateObject } from '../../kubernetes/workload-object';
import { InstallProfile } from '../../operator/install-profile';
import { IstioOperator } from '../../operator/istio-operator';
import { trustDomainProblem } from '../../private/field-checks';
import { hostProblem } from '../../private/hosts';
import { checkDnsLabel } from '../../private/k8s-names';
import { defaultObjectName } from '../../private/object-names';
import { checkRevision } from '../../private/revision';
import { SynthChecks } from '../../private/synth-checks';
import { checkRange, invalid } from '../../private/validate';
import { KubernetesGateway } from '../../resources/gateway-api/kubernetes-gateway';
import { Gateway } from '../../resources/networking/gateway/gateway';
import { GatewayReference } from '../../resources/networking/gateway/gateway-reference';
import { GatewayServer } from '../../resources/networking/gateway/gateway-server';
import { ServerTls } from '../../resources/networking/gateway/server-tls';
import { PortProtocol } from '../../resources/networking/port-protocol';
import { ServiceHost } from '../../resources/networking/service-host';
import { OutboundTrafficMode } from '../../resources/networking/sidecar/outbound-traffic-mode';
import { VirtualService } from '../../resources/networking/virtual-service/virtual-service';
import { Percent } from '../../resources/percent';
import { MtlsMode, PeerAuthentication } from '../../resources/security/peer-authentication';
import { Telemetry } from '../../resources/telemetry/telemetry';
import { WorkloadSelector } from '../../resources/workload-selector';

/** The install profiles that deploy `istio-ingressgateway` when no gateway is declared. */
const PROFILES_WITH_INGRESS: string[] = [
  InstallProfile.DEFAULT, InstallProfile.DEMO, InstallProfile.PREVIEW, InstallProfile.STABLE, InstallProfile.OPENSHIFT,
];

/**
 * An Istio installation and its mesh-wide defaults, declared once: the `IstioOperator` for
 * `istioctl install` (in its own chart, `installChart`, since it is not applied with kubectl),
 * the root-namespace `PeerAuthentication` (STRICT unless told otherwise), the outbound traffic
 * policy, ingress gateways with their `Gateway` resources (HTTPS with a redirect from HTTP), an
 * egress gateway, tracing and access logs (with a mesh-wide `Telemetry`), Prometheus Operator
 * monitors, dev add-ons, multi-cluster (east-west gateway, cross-network `Gateway`) and ambient
 * mode. Other patterns take the Mesh and inherit its revision, trust domain, gateways and egress mode.
 */
export class Mesh extends Construct implements IMesh {
  /**
   * A mesh installed elsewhere (by the platform team's repository, or by hand), as the patterns
   * of this app need to know it: its namespace, revision, trust domain, data-plane mode, outbound
   * policy and gateways. Nothing is installed.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: MeshAttributes): IMesh {
    return new ImportedMesh(scope, id, attrs);
  }

  /**
   * The chart holding the IstioOperator: a top-level chart of the app (its own manifest file, for
   * istioctl rather than kubectl), `<chart id>-<mesh id>-install`.
   */
  public readonly installChart: Chart;
  /** The IstioOperator. */
  public readonly operator: IstioOperator;
  /**
   * The Helm installation of `installWith` (Flux HelmRepository and HelmReleases, or Argo CD
   * Applications), in this chart; empty with istioctl.
   */
  public readonly installObjects: ApiObject[];
  /** The control plane's (and root) namespace. */
  public readonly namespace: string;
  /** The Istio release of this revision (1.30.3 unless `version` says otherwise). */
  public readonly version: string;
  /** The revision tags that point at this mesh's revision. */
  public readonly revisionTags: string[];
  /** The revision, if any. */
  public readonly revision?: string;
  /** The trust domain of workload identities. */
  public readonly trustDomain: string;
  /** The outbound traffic policy in effect. */
  public readonly outboundTrafficPolicy: OutboundTrafficMode;
  /** Whether the mesh runs in ambient mode. */
  public readonly ambient: boolean;
  /** The mesh-wide PeerAuthentication. */
  public readonly peerAuthentication: PeerAuthentication;
  /** The mesh-wide Telemetry, when tracing is configured. */
  public readonly telemetry?: Telemetry;
  /** The in-cluster Jaeger, when asked for. */
  public readonly jaeger?: JaegerAllInOne;
  /** The tracing backend, when tracing is configured. */
  public readonly tracingBackend?: TracingBackend;
  /** The cross-network Gateway of a cluster that exposes its services to other networks. */
  public readonly crossNetworkGateway?: Gateway;
  /**
   * The ingress gateways (their deployments; `ingressGateway(name)` gives the Gateway resources
   * of those declared in `ingressGateways`): the declared ones, else the profile's
   * `istio-ingressgateway` where the profile installs one.
   */
  public readonly ingressGateways: MeshGateway[];
  /** The egress gateway, if the mesh has one. */
  public readonly egressGateway?: MeshGateway;
  private readonly ingress = new Map<string, Gateway>();
  private readonly revisions: RevisionEntry[];
  /** Namespaces enrolled by tag: tag -> namespace. */
  private readonly tagEnrolments = new Map<string, string[]>();
  private readonly egressName?: string;

  constructor(scope: Construct, id: string, props: MeshProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'istio-system';
    checkDnsLabel(this, 'namespace', this.namespace, 'a namespace name');
    if (props.revision !== undefined) checkRevision(this.node.path, props.revision);
    this.revision = props.revision;
    this.revisionTags = checkRevisionTags(this, props.revision, props.revisionTags ?? []);
    this.version = checkVersion(this, 'version', props.version) ?? DEFAULT_VERSION;
    this.trustDomain = props.trustDomain ?? 'cluster.local';
    const tdProblem = trustDomainProblem(this.trustDomain);
    if (tdProblem) invalid(this, 'trustDomain', this.trustDomain, tdProblem);
    const mc = props.multiCluster;
    const remote = mc?.role === ClusterRole.REMOTE;
    this.ambient = props.ambient ?? props.profile === InstallProfile.AMBIENT;
    const profile = props.profile ?? (remote ? InstallProfile.REMOTE : this.ambient ? InstallProfile.AMBIENT : InstallProfile.DEFAULT);
    if (this.ambient && profile !== InstallProfile.AMBIENT && profile !== InstallProfile.OPENSHIFT_AMBIENT) {
      invalid(this, 'profile', profile, 'an ambient profile (AMBIENT or OPENSHIFT_AMBIENT) with `ambient: true`');
    }
    if (remote && profile !== InstallProfile.REMOTE) invalid(this, 'profile', profile, 'InstallProfile.REMOTE for a remote cluster');

    const mtls = props.mtls ?? MtlsMode.STRICT;
    if (mtls !== MtlsMode.STRICT && mtls !== MtlsMode.PERMISSIVE) {
      invalid(this, 'mtls', mtls, 'STRICT (the default) or PERMISSIVE (to migrate): a mesh without mutual TLS is not a mesh this construct builds; use a namespace or workload PeerAuthentication for exceptions');
    }
    this.egressName = props.egressGateway ? props.egressGateway.name ?? 'istio-egressgateway' : undefined;
    this.egressGateway = this.egressName ? MeshGateway.of(this.namespace, { name: this.egressName }) : undefined;
    // Without ingressGateways, the profile decides: istioctl's default profile (and those built
    // on it) installs istio-ingressgateway (manifests/profiles/*.yaml at 1.30.3).
    const ingressNames = props.ingressGateways !== undefined
      ? props.ingressGateways.map((g) => g.name ?? 'istio-ingressgateway')
      : PROFILES_WITH_INGRESS.includes(profile) ? ['istio-ingressgateway'] : [];
    this.ingressGateways = ingressNames.map((name) => MeshGateway.of(this.namespace, { name }));
    const governedEgress = props.egressGateway !== undefined;
    this.outboundTrafficPolicy = props.outboundTrafficPolicy ?? (governedEgress ? OutboundTrafficMode.REGISTRY_ONLY : OutboundTrafficMode.ALLOW_ANY);

    // Observability: the tracing backend (given, or the in-cluster Jaeger).
    const obs = props.observability ?? {};
    if (obs.jaeger) this.jaeger = new JaegerAllInOne(this, 'Jaeger', { namespace: this.namespace });
    this.tracingBackend = obs.tracing ?? this.jaeger?.backend;
    const sampling = obs.tracingSamplingPercent ?? 1;
    checkRange(this, 'observability.tracingSamplingPercent', sampling, 0, 100);
    if (obs.tracingSamplingPercent !== undefined && !this.tracingBackend) {
      invalid(this, 'observability.tracingSamplingPercent', sampling, 'a tracing backend: set `tracing` (or `jaeger: true`)');
    }

    const ingressComponents = (props.ingressGateways ?? []).map((g) => ingressComponent(g));
    const names = new Set<string>();
    for (const c of ingressComponents) {
      if (names.has(c.name)) invalid(this, 'ingressGateways name', c.name, 'each gateway name once');
      names.add(c.name);
    }
    if (mc) checkMultiCluster(this, mc);
    // Exposing services and exposing istiod are separate choices; either needs the gateway.
    const eastWest = mc !== undefined && (mc.exposeServices !== false || mc.servesRemotes === true);
    if (eastWest) ingressComponents.push(eastWestComponent(mc!));

    const resolved: ResolvedInstall = {
      profile,
      remote,
      ingress: ingressComponents,
      outboundTrafficPolicy: this.outboundTrafficPolicy,
      egressName: this.egressName,
      accessLogs: obs.accessLogs,
      tracingBackend: this.tracingBackend,
    };
    const spec = installSpec(props, resolved);
    // A top-level chart of its own, so the IstioOperator gets its own manifest file, named
    // `<chart>-<mesh>-install.k8s.yaml`: GitOps applies the other files, istioctl reads this one.
    const parent = Chart.of(this);
    this.installChart = new Chart(App.of(this), `${parent.node.id}-${id}-install`, { namespace: this.namespace });
    SynthChecks.of(this).addInstallChart(this, this.installChart); // its mesh config is analyzed with this chart's objects
    this.operator = new IstioOperator(this.installChart, 'IstioOperator', { name: defaultObjectName(id), namespace: this.namespace, spec });
    if (remote) this.operator.setField('values.istiodRemote.injectionPath', `/inject/cluster/${mc!.clusterName}/net/${mc!.network}`);
    // The same installation as Istio's Helm charts, for Flux or Argo CD, from the operator as synthesized.
    const installWith = props.installWith ?? InstallMethod.istioctl();
    if (installWith.kind !== 'istioctl' && !HELM_INSTALL_PROFILES.includes(profile)) {
      invalid(this, 'profile', profile, `with installWith ${installWith.kind}: ${HELM_INSTALL_PROFILES.join(', ')} (Istio's charts have no empty profile, and demo's egress gateway is istioctl's only)`);
    }
    if (props.gatewayRevisionTag !== undefined && installWith.kind === 'istioctl') {
      invalid(this, 'gatewayRevisionTag', props.gatewayRevisionTag, "a Helm installWith (fluxHelm or argoCdHelm): istioctl's gateways run a proxy bound to their IstioOperator's revision");
    }
    // The revisions of this control plane and their tags (addRevision adds to them).
    this.revisions = this.revision ? [{ revision: this.revision, tags: this.revisionTags, version: this.version, where: this }] : [];
    const profileIngress = PROFILES_WITH_INGRESS.includes(profile);
    this.installObjects = renderHelmInstall(this, this.operator, installWith, {
      namespace: this.namespace,
      profileIngress: props.ingressGateways === undefined && profileIngress,
      version: this.version,
      baseVersion: () => newestVersion([this.version, ...this.revisions.map((r) => r.version)]),
      gatewayRevision: props.gatewayRevisionTag,
      defaultRevision: () => this.revisions.find((r) => r.tags.includes('default'))?.revision,
    });
    registerRevisionHost(this, {
      namespace: this.namespace,
      installWith,
      revisions: this.revisions,
      refusal: revisionRefusal(remote, this.revision, installWith, profile),
      specOf: (revision, version) => revisionSpec(props, { ...resolved, ingress: [], egressName: undefined }, revision, version, profileIngress),
    });
    const injectionPath = remote ? `/inject/cluster/${mc!.clusterName}/net/${mc!.network}` : '/inject';
    const settings = () => injectorSettings(this.operator._renderedSpec(), installWith._options.istiodValues);
    for (const tag of this.revisionTags) {
      renderRevisionTag(this, { tag, revision: this.revision!, namespace: this.namespace, injectionPath, settings });
    }
    this.node.addValidation({
      validate: () => {
        const tags = this.revisions.flatMap((r) => r.tags);
        const gatewayTag = props.gatewayRevisionTag;
        return [
          // (A Helm install's plan reports them itself.)
          ...(installWith.kind === 'istioctl' ? chartTagProblems(this.operator._renderedSpec(), undefined) : []),
          ...tagProblems(this.revisions),
          ...(gatewayTag !== undefined && !tags.includes(gatewayTag)
            ? [`gatewayRevisionTag "${gatewayTag}" is no tag of the mesh's revisions (${tags.join(', ') || 'none'}): the gateways would not be injected`] : []),
          ...[...this.tagEnrolments].filter(([tag]) => !tags.includes(tag))
            .map(([tag, ns]) => `${ns.length > 1 ? 'namespaces' : 'namespace'} ${ns.join(', ')} ${ns.length > 1 ? 'are' : 'is'} enrolled with revision tag "${tag}", which no revision of the mesh has (${tags.join(', ') || 'none'}): its pods would get no sidecar`),
        ];
      },
    });

    // Mesh-wide resources in the root namespace, applied by GitOps with the rest of the chart.
    this.peerAuthentication = new PeerAuthentication(this, 'MeshMtls', { name: 'default', namespace: this.namespace, mtls });
    if (this.tracingBackend) {
      this.telemetry = new Telemetry(this, 'MeshTelemetry', {
        name: 'mesh-default',
        namespace: this.namespace,
        tracing: { provider: this.tracingBackend.providerName, randomSamplingPercentage: Percent.of(sampling) },
      });
    }
    for (const g of props.ingressGateways ?? []) this.ingressGatewayResource(g);
    if (eastWest) this.crossNetworkGateway = this.eastWestResources(mc!);
    if (mc) {
      // istiod takes the network of a cluster's endpoints from this label on its system namespace;
      // without it they are on network "" which every proxy takes as its own, and remote proxies
      // get pod IPs instead of the east-west gateway. istioctl sets it only on a namespace it
      // creates, and cacerts comes first (pilot/pkg/serviceregistry/kube/controller/controller.go,
      // pilot/pkg/model/context.go IsSameOrEmpty at 1.30.3; delivery review row 15).
      // istiod re-reads the label when it changes, so the order of install and apply does not
      // matter. A GitOps prune or app deletion must not take the control plane's namespace along.
      new ApiObject(this, 'SystemNamespace', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: this.namespace,
          labels: { 'topology.istio.io/network': mc.network },
          annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
        },
      });
    }
    if (obs.prometheusOperator) new IstioPrometheusMonitors(this, 'Monitors', { namespace: this.namespace, labels: obs.prometheusOperatorLabels });
    if (obs.prometheusOperatorLabels && !obs.prometheusOperator) invalid(this, 'observability.prometheusOperatorLabels', obs.prometheusOperatorLabels, 'labels for monitors only with `prometheusOperator: true`');
    if (obs.prometheusScrapeConfig) new PrometheusScrapeConfig(this, 'PrometheusConfig', { namespace: this.namespace, controlPlaneNamespace: this.namespace });
  }

  /** The Istio Gateway resource of an ingress gateway (`istio-ingressgateway` by default). */
  public ingressGateway(name: string = 'istio-ingressgateway'): Gateway {
    const gw = this.ingress.get(name);
    if (!gw) invalid(this, 'ingress gateway', name, `one of the mesh's ingress gateways (${[...this.ingress.keys()].join(', ') || 'none'})`);
    return gw;
  }

  /**
   * Enrols a namespace in sidecar injection by this mesh's control plane: its revision, if any,
   * or the revision a tag points at (`{ revisionTag: 'prod-stable' }`, a tag of this mesh or of a
   * revision added to it).
   */
  public enableSidecarInjection(namespace: INamespaceObject, options: SidecarInjectionOptions = {}): void {
    enableSidecarInjection(this, namespace, options);
    const tag = options.revisionTag;
    if (tag !== undefined) this.tagEnrolments.set(tag, [...this.tagEnrolments.get(tag) ?? [], namespace.name]);
  }

  /**
   * Adds another revision of the control plane beside this mesh's own (a canary upgrade): same
   * settings, its own istiod, its own tags, no gateways.
   */
  public addRevision(id: string, props: ControlPlaneRevisionProps): ControlPlaneRevision {
    return new ControlPlaneRevision(this, id, props);
  }

  /** Per-workload proxy settings (resources, concurrency, drain), through Istio's pod annotations. */
  public configureProxy(workload: IPodTemplateObject, options: WorkloadProxyOptions): void {
    if (this.ambient) invalid(this, 'proxy settings', workload.node.path, 'an ambient mesh has no sidecars to configure');
    SidecarInjection.configureProxy(workload, options);
  }

  /**
   * Enrols a namespace in ambient mode (`istio.io/dataplane-mode=ambient`), optionally with a
   * waypoint for L7 features. Returns the waypoint, if one was made.
   */
  public enrollAmbient(namespace: INamespaceObject, options: AmbientEnrollmentOptions = {}): KubernetesGateway | undefined {
    return enrollAmbient(this, namespace, options);
  }

  private ingressGatewayResource(g: IngressGatewayOptions): void {
    const name = g.name ?? 'istio-ingressgateway';
    const where = `${this.node.path} ingress gateway "${name}"`;
    if (!Array.isArray(g.hosts) || g.hosts.length === 0) invalid(where, 'hosts', g.hosts, 'at least one host the gateway serves');
    for (const host of g.hosts) {
      const problem = hostProblem(host);
      if (problem) invalid(where, 'hosts', host, problem);
    }
    const servers: GatewayServer[] = [];
    if (g.plaintextOnly) {
      if (g.credentialName || g.mutualTls) invalid(where, 'plaintextOnly', true, 'either plaintext only, or TLS with a credentialName');
      servers.push(GatewayServer.http({ hosts: g.hosts, name: 'http' }));
    } else {
      if (!g.credentialName) {
        invalid(where, 'credentialName', undefined, 'the Secret holding the TLS certificate for the hosts (or `plaintextOnly: true`, an explicit opt-out for development)');
      }
      const redirect = g.redirectHttpToHttps ?? true;
      servers.push(GatewayServer.http({ hosts: g.hosts, name: 'http', httpsRedirect: redirect }));
      const tls = g.mutualTls ? ServerTls.mutual({ credentialName: g.credentialName }) : ServerTls.simple({ credentialName: g.credentialName });
      servers.push(GatewayServer.https({ hosts: g.hosts, name: 'https', tls }));
    }
    const gw = new Gateway(this, `Ingress-${name}`, {
      name,
      namespace: this.namespace,
      selector: WorkloadSelector.fromLabels({ istio: defaultGatewayLabel(name) }),
      servers,
    });
    this.ingress.set(name, gw);
  }

  /** The cross-network Gateway (15443, AUTO_PASSTHROUGH for *.local), and istiod's exposure for remotes. */
  private eastWestResources(mc: MultiClusterOptions): Gateway | undefined {
    const selector = WorkloadSelector.fromLabels({ istio: 'eastwestgateway' });
    const cross = mc.exposeServices === false ? undefined : new Gateway(this, 'CrossNetworkGateway', {
      name: 'cross-network-gateway',
      namespace: this.namespace,
      selector,
      servers: [GatewayServer.tls({ port: 15443, name: 'tls', hosts: ['*.local'], tls: ServerTls.autoPassthrough() })],
    });
    if (mc.servesRemotes) {
      const istiodGateway = new Gateway(this, 'IstiodGateway', {
        name: 'istiod-gateway',
        namespace: this.namespace,
        selector,
        servers: [
          GatewayServer.of({ port: 15012, protocol: PortProtocol.TLS, name: 'tls-istiod', hosts: ['*'], tls: ServerTls.passthrough() }),
          GatewayServer.of({ port: 15017, protocol: PortProtocol.TLS, name: 'tls-istiodwebhook', hosts: ['*'], tls: ServerTls.passthrough() }),
        ],
      });
      const service = `istiod${this.revision ? `-${this.revision}` : ''}.${this.namespace}.svc`;
      const istiod = ServiceHost.of(`${service}.cluster.local`);
      // A revision's istiod takes only the requests for its own name, so that two revisions can
      // serve remotes through one gateway (samples/multicluster/expose-istiod-rev.yaml.tmpl at 1.30.3).
      const sniHosts = this.revision ? [service, `${service}.cluster.local`] : ['*'];
      new VirtualService(this, 'IstiodVirtualService', {
        name: this.revision ? `istiod-vs-${this.revision}` : 'istiod-vs',
        namespace: this.namespace,
        hosts: [ServiceHost.of('*')],
        gateways: [GatewayReference.fromGateway(istiodGateway)],
        tls: [
          { match: [{ port: 15012, sniHosts }], destinations: [{ host: istiod, port: 15012 }] },
          { match: [{ port: 15017, sniHosts }], destinations: [{ host: istiod, port: 443 }] },
        ],
      });
    }
    return cross;
  }
}

