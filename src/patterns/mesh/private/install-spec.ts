import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { GatewayComponent } from '../../../operator/components';
import { ExtensionProvider } from '../../../operator/extension-provider';
import { InstallProfile } from '../../../operator/install-profile';
import { IstioOperatorSpec } from '../../../operator/istio-operator-spec';
import { AccessLogEncoding } from '../../../operator/mesh-config';
import { hostProblem } from '../../../private/hosts';
import { invalid } from '../../../private/validate';
import { OutboundTrafficMode } from '../../../resources/networking/sidecar/outbound-traffic-mode';
import { defaultGatewayLabel } from '../mesh-gateway';
import { ClusterRole, IngressGatewayOptions, MeshProps, MultiClusterOptions } from '../mesh-options';
import { TracingBackend } from '../tracing-backend';

/**
 * What `Mesh` installs, as the IstioOperator spec istioctl reads: worked out from the props and
 * the settings the Mesh resolved, without a chart (so it can be checked on its own).
 */

const EAST_WEST_NAME = 'istio-eastwestgateway';

/** The settings the Mesh resolved from its props. */
export interface ResolvedInstall {
  readonly profile: InstallProfile;
  readonly remote: boolean;
  readonly ingress: Array<GatewayComponent & { name: string }>;
  readonly outboundTrafficPolicy: OutboundTrafficMode;
  readonly egressName?: string;
  readonly accessLogs?: AccessLogEncoding;
  readonly tracingBackend?: TracingBackend;
}

/** The IstioOperator spec of a mesh. */
export function installSpec(props: MeshProps, r: ResolvedInstall): IstioOperatorSpec {
  const mc = props.multiCluster;
  return {
    profile: r.profile,
    hub: props.hub,
    // A pinned Istio version is the images' tag, as Helm's chart version is.
    tag: props.tag ?? props.version,
    revision: props.revision,
    meshConfig: r.remote ? undefined : {
      trustDomain: props.trustDomain,
      outboundTrafficPolicy: r.outboundTrafficPolicy,
      accessLogFile: r.accessLogs ? '/dev/stdout' : undefined,
      accessLogEncoding: r.accessLogs,
      defaultConfig: {
        holdApplicationUntilProxyStarts: props.proxy?.holdApplicationUntilProxyStarts ?? true,
        concurrency: props.proxy?.concurrency,
        terminationDrainDuration: props.proxy?.terminationDrainDuration,
      },
      extensionProviders: r.tracingBackend ? [ExtensionProvider.prometheus(), r.tracingBackend._provider()] : undefined,
    },
    components: {
      pilot: props.controlPlane && !r.remote
        ? { k8s: { resources: props.controlPlane.resources, hpaSpec: props.controlPlane.autoscaling } }
        : undefined,
      ingressGateways: r.ingress.length > 0 ? r.ingress : undefined,
      egressGateways: r.egressName ? [{
        name: r.egressName,
        enabled: true,
        label: { istio: defaultGatewayLabel(r.egressName), app: r.egressName },
        k8s: props.egressGateway!.resources || props.egressGateway!.autoscaling
          ? { resources: props.egressGateway!.resources, hpaSpec: props.egressGateway!.autoscaling } : undefined,
      }] : undefined,
    },
    values: {
      global: {
        // Outside istio-system, istiod's root namespace, the proxies' CA address and istiod's role
        // binding follow this value, not the IstioOperator's namespace (review H7;
        // operator/pkg/apis/types.go and istio-discovery/templates/configmap.yaml at 1.30.3).
        istioNamespace: props.namespace !== undefined && props.namespace !== 'istio-system' ? props.namespace : undefined,
        meshId: mc?.meshId,
        multiCluster: mc ? { clusterName: mc.clusterName } : undefined,
        network: mc?.network,
        remotePilotAddress: r.remote ? mc!.remotePilotAddress : undefined,
        externalIstiod: mc?.servesRemotes ? true : undefined,
        proxy: props.proxy?.resources ? { resources: props.proxy.resources } : undefined,
      },
    },
  };
}

/**
 * The IstioOperator spec of another revision of the mesh (`addRevision`): the mesh's settings,
 * its own revision and version, and no gateway, the profile's switched off.
 */
export function revisionSpec(
  props: MeshProps, r: ResolvedInstall, revision: string, version: string | undefined, profileIngress: boolean,
): IstioOperatorSpec {
  const spec = installSpec({ ...props, revision, version }, r);
  return {
    ...spec,
    components: {
      ...spec.components,
      ingressGateways: profileIngress ? [{ name: 'istio-ingressgateway', enabled: false }] : undefined,
      // The demo profile's egress gateway is the mesh's revision's, like every other gateway.
      egressGateways: r.profile === 'demo' ? [{ name: 'istio-egressgateway', enabled: false }] : undefined,
    },
  };
}

/** The newest of 1.30 patch releases. */
export function newestVersion(versions: string[]): string {
  const patch = (v: string) => Number(v.split('.')[2]);
  return versions.reduce((a, b) => (patch(b) > patch(a) ? b : a), versions[0] ?? '1.30.3');
}

export function ingressComponent(g: IngressGatewayOptions): GatewayComponent & { name: string } {
  const name = g.name ?? 'istio-ingressgateway';
  return {
    name,
    enabled: true,
    label: { istio: defaultGatewayLabel(name), app: name },
    k8s: {
      service: { type: g.serviceType ?? 'LoadBalancer' },
      resources: g.resources,
      hpaSpec: g.autoscaling,
    },
  };
}

export function checkMultiCluster(where: Construct, mc: MultiClusterOptions): void {
  for (const [field, value] of [['meshId', mc.meshId], ['clusterName', mc.clusterName], ['network', mc.network]] as const) {
    if (typeof value !== 'string' || value.length === 0 || value.length > 63 || !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value)) {
      invalid(where, `multiCluster.${field}`, value, "a name of letters, digits, '-', '_' or '.'");
    }
  }
  if (mc.role === ClusterRole.REMOTE) {
    if (!mc.remotePilotAddress) invalid(where, 'multiCluster.remotePilotAddress', mc.remotePilotAddress, "the address of the primary's east-west gateway: a remote cluster has no istiod of its own");
    if (mc.servesRemotes) invalid(where, 'multiCluster.servesRemotes', true, 'only a primary serves remote clusters');
  } else if (mc.remotePilotAddress !== undefined) {
    invalid(where, 'multiCluster.remotePilotAddress', mc.remotePilotAddress, 'a pilot address only for a remote cluster (role REMOTE)');
  }
  if (mc.remotePilotAddress !== undefined && (mc.remotePilotAddress.includes('$') || hostProblem(mc.remotePilotAddress, { allowWildcard: false }))) {
    invalid(where, 'multiCluster.remotePilotAddress', mc.remotePilotAddress, 'an IP address or host name (not a shell placeholder)');
  }
}

export function eastWestComponent(mc: MultiClusterOptions): GatewayComponent & { name: string } {
  // Istio takes a Service with the network label and port 15443 as its network's gateway
  // (getGatewayDetails in pilot/pkg/serviceregistry/kube/controller/network.go at 1.30.3): only
  // when the cluster exposes its services does its gateway carry them.
  const services = mc.exposeServices !== false;
  return {
    name: EAST_WEST_NAME,
    enabled: true,
    label: { istio: 'eastwestgateway', app: EAST_WEST_NAME, ...(services ? { 'topology.istio.io/network': mc.network } : {}) },
    k8s: {
      env: { ISTIO_META_REQUESTED_NETWORK_VIEW: mc.network },
      service: {
        ports: [
          { name: 'status-port', port: 15021, targetPort: k8s.IntOrString.fromNumber(15021) },
          ...(services ? [{ name: 'tls', port: 15443, targetPort: k8s.IntOrString.fromNumber(15443) }] : []),
          { name: 'tls-istiod', port: 15012, targetPort: k8s.IntOrString.fromNumber(15012) },
          { name: 'tls-webhook', port: 15017, targetPort: k8s.IntOrString.fromNumber(15017) },
        ],
      },
    },
  };
}
