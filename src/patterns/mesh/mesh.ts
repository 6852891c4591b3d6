import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IstioPrometheusMonitors } from './istio-prometheus-monitors';
import { JaegerAllInOne } from './jaeger-all-in-one';
import { ClusterRole, IngressGatewayOptions, MeshProps, MultiClusterOptions } from './mesh-options';
import { PrometheusScrapeConfig } from './prometheus-scrape-config';
import { SidecarInjection, WorkloadProxyOptions } from './sidecar-injection';
import { TracingBackend } from './tracing-backend';
import { GatewayComponent } from '../../operator/components';
import { ExtensionProvider } from '../../operator/extension-provider';
import { InstallProfile } from '../../operator/install-profile';
import { IstioOperator } from '../../operator/istio-operator';
import { IstioOperatorSpec } from '../../operator/istio-operator-spec';
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

/** Options for enrolling a namespace in ambient mode. */
export interface AmbientEnrolmentOptions {
  /**
   * Deploy a waypoint in the namespace and route its services through it, for L7 features
   * (HTTP routing, L7 authorization, retries). L4 (mTLS, L4 authorization) needs none.
   * @default false
   */
  readonly waypoint?: boolean;
  /**
   * The waypoint's name.
   * @default "waypoint"
   */
  readonly waypointName?: string;
}

const EAST_WEST_NAME = 'istio-eastwestgateway';

/**
 * An Istio installation and its mesh-wide defaults, declared once: the `IstioOperator` for
 * `istioctl install` (in its own chart, `installChart`, since it is not applied with kubectl),
 * the root-namespace `PeerAuthentication` (STRICT unless told otherwise), the outbound traffic
 * policy, ingress gateways with their `Gateway` resources (HTTPS with a redirect from HTTP), an
 * egress gateway, tracing and access logs (with a mesh-wide `Telemetry`), Prometheus Operator
 * monitors, dev add-ons, multi-cluster (east-west gateway, cross-network `Gateway`) and ambient
 * mode. Other patterns take the Mesh and inherit its revision, trust domain, gateways and egress mode.
 */
export class Mesh extends Construct {
  /**
   * The chart holding the IstioOperator: a top-level chart of the app (its own manifest file, for
   * istioctl rather than kubectl), `<chart id>-<mesh id>-install`.
   */
  public readonly installChart: Chart;
  /** The IstioOperator. */
  public readonly operator: IstioOperator;
  /** The control plane's (and root) namespace. */
  public readonly namespace: string;
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
  /** The cross-network Gateway of a multi-network cluster. */
  public readonly crossNetworkGateway?: Gateway;
  private readonly ingress = new Map<string, Gateway>();
  private readonly egressName?: string;

  constructor(scope: Construct, id: string, props: MeshProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'istio-system';
    checkDnsLabel(this, 'namespace', this.namespace, 'a namespace name');
    if (props.revision !== undefined) checkRevision(this.node.path, props.revision);
    this.revision = props.revision;
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

    const ingressComponents = (props.ingressGateways ?? []).map((g) => this.ingressComponent(g));
    const names = new Set<string>();
    for (const c of ingressComponents) {
      if (names.has(c.name)) invalid(this, 'ingressGateways name', c.name, 'each gateway name once');
      names.add(c.name);
    }
    if (mc) this.checkMultiCluster(mc);
    const eastWest = mc && mc.eastWestGateway !== false;
    if (eastWest) ingressComponents.push(this.eastWestComponent(mc!));

    const spec: IstioOperatorSpec = {
      profile,
      hub: props.hub,
      tag: props.tag,
      revision: props.revision,
      meshConfig: remote ? undefined : {
        trustDomain: props.trustDomain,
        outboundTrafficPolicy: this.outboundTrafficPolicy,
        accessLogFile: obs.accessLogs ? '/dev/stdout' : undefined,
        accessLogEncoding: obs.accessLogs,
        defaultConfig: {
          holdApplicationUntilProxyStarts: props.proxy?.holdApplicationUntilProxyStarts ?? true,
          concurrency: props.proxy?.concurrency,
          terminationDrainDuration: props.proxy?.terminationDrainDuration,
        },
        extensionProviders: this.tracingBackend ? [ExtensionProvider.prometheus(), this.tracingBackend._provider()] : undefined,
      },
      components: {
        pilot: props.controlPlane && !remote
          ? { k8s: { resources: props.controlPlane.resources, hpaSpec: props.controlPlane.autoscaling } }
          : undefined,
        ingressGateways: ingressComponents.length > 0 ? ingressComponents : undefined,
        egressGateways: this.egressName ? [{
          name: this.egressName,
          enabled: true,
          label: { istio: this.egressName === 'istio-egressgateway' ? 'egressgateway' : this.egressName, app: this.egressName },
          k8s: props.egressGateway!.resources || props.egressGateway!.autoscaling
            ? { resources: props.egressGateway!.resources, hpaSpec: props.egressGateway!.autoscaling } : undefined,
        }] : undefined,
      },
      values: {
        global: {
          meshId: mc?.meshId,
          multiCluster: mc ? { clusterName: mc.clusterName } : undefined,
          network: mc?.network,
          remotePilotAddress: remote ? mc!.remotePilotAddress : undefined,
          externalIstiod: mc?.servesRemotes ? true : undefined,
          proxy: props.proxy?.resources ? { resources: props.proxy.resources } : undefined,
        },
      },
    };
    // A top-level chart of its own, so the IstioOperator gets its own manifest file, named
    // `<chart>-<mesh>-install.k8s.yaml`: GitOps applies the other files, istioctl reads this one.
    const parent = Chart.of(this);
    this.installChart = new Chart(App.of(this), `${parent.node.id}-${id}-install`, { namespace: this.namespace });
    SynthChecks.of(this).addInstallChart(this, this.installChart); // its mesh config is analyzed with this chart's objects
    this.operator = new IstioOperator(this.installChart, 'IstioOperator', { name: defaultObjectName(id), namespace: this.namespace, spec });
    if (remote) this.operator.setField('values.istiodRemote.injectionPath', `/inject/cluster/${mc!.clusterName}/net/${mc!.network}`);

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

  /** Whether the mesh has an egress gateway. */
  public get hasEgressGateway(): boolean {
    return this.egressName !== undefined;
  }

  /** The pods of the egress gateway, for the Gateway resources that route through it. */
  public get egressGatewaySelector(): WorkloadSelector {
    if (!this.egressName) invalid(this, 'egressGateway', undefined, 'the mesh has no egress gateway: set `egressGateway`');
    return WorkloadSelector.fromLabels({ istio: this.egressName === 'istio-egressgateway' ? 'egressgateway' : this.egressName });
  }

  /** The egress gateway's Service, as a destination host. */
  public get egressGatewayHost(): ServiceHost {
    if (!this.egressName) invalid(this, 'egressGateway', undefined, 'the mesh has no egress gateway: set `egressGateway`');
    return ServiceHost.of(`${this.egressName}.${this.namespace}.svc.cluster.local`);
  }

  /** Enrols a namespace in sidecar injection by this mesh's control plane (its revision, if any). */
  public enableSidecarInjection(namespace: kplus.Namespace): void {
    if (this.ambient) {
      invalid(this, 'sidecar injection', namespace.name, 'an ambient mesh has no sidecars: enrol the namespace with enrolAmbient()');
    }
    SidecarInjection.enableForNamespace(namespace, { revision: this.revision });
  }

  /** Per-workload proxy settings (resources, concurrency, drain), through Istio's pod annotations. */
  public configureProxy(workload: kplus.AbstractPod, options: WorkloadProxyOptions): void {
    if (this.ambient) invalid(this, 'proxy settings', workload.node.path, 'an ambient mesh has no sidecars to configure');
    SidecarInjection.configureProxy(workload, options);
  }

  /**
   * Enrols a namespace in ambient mode (`istio.io/dataplane-mode=ambient`), optionally with a
   * waypoint for L7 features. Returns the waypoint, if one was made.
   */
  public enrolAmbient(namespace: kplus.Namespace, options: AmbientEnrolmentOptions = {}): KubernetesGateway | undefined {
    if (!this.ambient) invalid(this, 'ambient enrolment', namespace.name, 'a mesh installed with `ambient: true`');
    const meta = namespace.metadata;
    for (const label of ['istio-injection', 'istio.io/rev']) {
      const value = meta.getLabel(label);
      if (value !== undefined && !(label === 'istio.io/rev' && value === this.revision)) {
        invalid(namespace.node.path, `label ${label}`, value, 'no sidecar injection label on an ambient namespace: enrol it in one data-plane mode only');
      }
    }
    meta.addLabel('istio.io/dataplane-mode', 'ambient');
    if (!options.waypoint) {
      if (options.waypointName !== undefined) invalid(namespace.node.path, 'waypointName', options.waypointName, 'a waypoint name with `waypoint: true`');
      return undefined;
    }
    const name = options.waypointName ?? 'waypoint';
    const waypoint = KubernetesGateway.waypoint(this, `Waypoint-${namespace.name}`, { name, namespace: namespace.name, revision: this.revision });
    meta.addLabel('istio.io/use-waypoint', name);
    return waypoint;
  }

  private ingressComponent(g: IngressGatewayOptions): GatewayComponent & { name: string } {
    const name = g.name ?? 'istio-ingressgateway';
    return {
      name,
      enabled: true,
      label: { istio: name === 'istio-ingressgateway' ? 'ingressgateway' : name, app: name },
      k8s: {
        service: { type: g.serviceType ?? 'LoadBalancer' },
        resources: g.resources,
        hpaSpec: g.autoscaling,
      },
    };
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
      selector: WorkloadSelector.fromLabels({ istio: name === 'istio-ingressgateway' ? 'ingressgateway' : name }),
      servers,
    });
    this.ingress.set(name, gw);
  }

  private checkMultiCluster(mc: MultiClusterOptions): void {
    for (const [field, value] of [['meshId', mc.meshId], ['clusterName', mc.clusterName], ['network', mc.network]] as const) {
      if (typeof value !== 'string' || value.length === 0 || value.length > 63 || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value)) {
        invalid(this, `multiCluster.${field}`, value, "a name of letters, digits, '-', '_' or '.'");
      }
    }
    if (mc.role === ClusterRole.REMOTE) {
      if (!mc.remotePilotAddress) invalid(this, 'multiCluster.remotePilotAddress', mc.remotePilotAddress, "the address of the primary's east-west gateway: a remote cluster has no istiod of its own");
      if (mc.servesRemotes) invalid(this, 'multiCluster.servesRemotes', true, 'only a primary serves remote clusters');
    } else if (mc.remotePilotAddress !== undefined) {
      invalid(this, 'multiCluster.remotePilotAddress', mc.remotePilotAddress, 'a pilot address only for a remote cluster (role REMOTE)');
    }
    if (mc.remotePilotAddress !== undefined && (mc.remotePilotAddress.includes('$') || hostProblem(mc.remotePilotAddress, { allowWildcard: false }))) {
      invalid(this, 'multiCluster.remotePilotAddress', mc.remotePilotAddress, 'an IP address or host name (not a shell placeholder)');
    }
  }

  private eastWestComponent(mc: MultiClusterOptions): GatewayComponent & { name: string } {
    return {
      name: EAST_WEST_NAME,
      enabled: true,
      label: { 'istio': 'eastwestgateway', 'app': EAST_WEST_NAME, 'topology.istio.io/network': mc.network },
      k8s: {
        env: { ISTIO_META_REQUESTED_NETWORK_VIEW: mc.network },
        service: {
          ports: [
            { name: 'status-port', port: 15021, targetPort: kplus.k8s.IntOrString.fromNumber(15021) },
            { name: 'tls', port: 15443, targetPort: kplus.k8s.IntOrString.fromNumber(15443) },
            { name: 'tls-istiod', port: 15012, targetPort: kplus.k8s.IntOrString.fromNumber(15012) },
            { name: 'tls-webhook', port: 15017, targetPort: kplus.k8s.IntOrString.fromNumber(15017) },
          ],
        },
      },
    };
  }

  /** The cross-network Gateway (15443, AUTO_PASSTHROUGH for *.local), and istiod's exposure for remotes. */
  private eastWestResources(mc: MultiClusterOptions): Gateway {
    const selector = WorkloadSelector.fromLabels({ istio: 'eastwestgateway' });
    const cross = new Gateway(this, 'CrossNetworkGateway', {
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
      const istiod = ServiceHost.of(`istiod${this.revision ? `-${this.revision}` : ''}.${this.namespace}.svc.cluster.local`);
      new VirtualService(this, 'IstiodVirtualService', {
        name: 'istiod-vs',
        namespace: this.namespace,
        hosts: [ServiceHost.of('*')],
        gateways: [GatewayReference.fromGateway(istiodGateway)],
        tls: [
          { match: [{ port: 15012, sniHosts: ['*'] }], destinations: [{ host: istiod, port: 15012 }] },
          { match: [{ port: 15017, sniHosts: ['*'] }], destinations: [{ host: istiod, port: 443 }] },
        ],
      });
    }
    return cross;
  }
}

