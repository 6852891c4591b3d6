import { Duration } from 'cdk8s';
import { InstallMethod } from './install-method';
import { TracingBackend } from './tracing-backend';
import { ContainerResources } from '../../operator/container-resources';
import { InstallProfile } from '../../operator/install-profile';
import { HorizontalScaling } from '../../operator/kubernetes-resources-spec';
import { AccessLogEncoding } from '../../operator/mesh-config';
import { OutboundTrafficMode } from '../../resources/networking/sidecar/outbound-traffic-mode';
import { MtlsMode } from '../../resources/security/peer-authentication';

/** The control plane's (istiod's) sizing. */
export interface ControlPlaneOptions {
  /**
   * istiod's container resources.
   * @default - the profile's (requests 500m CPU, 2Gi memory)
   */
  readonly resources?: ContainerResources;
  /**
   * istiod's autoscaling.
   * @default - the profile's (1 to 5 replicas)
   */
  readonly autoscaling?: HorizontalScaling;
}

/** Mesh-wide defaults of the sidecar proxies. */
export interface MeshProxyOptions {
  /**
   * Resources of every injected proxy (`values.global.proxy.resources`).
   * @default - Istio's (requests 100m CPU, 128Mi memory)
   */
  readonly resources?: ContainerResources;
  /**
   * Envoy worker threads.
   * @default - Istio's: 2
   */
  readonly concurrency?: number;
  /**
   * How long a stopping proxy drains (pods' `terminationGracePeriod` must be longer).
   * @default - Istio's: 5s
   */
  readonly terminationDrainDuration?: Duration;
  /**
   * Start applications only once their proxy is ready.
   * @default true - an application that starts before its proxy has no network for a moment,
   * which makes startup calls fail under STRICT mTLS and REGISTRY_ONLY
   */
  readonly holdApplicationUntilProxyStarts?: boolean;
}

/** An ingress gateway of the mesh: its deployment (an istioctl component) and its Istio Gateway resource. */
export interface IngressGatewayOptions {
  /**
   * The gateway's name: the Deployment, the `istio` label value's base, and the Gateway resource.
   * @default "istio-ingressgateway"
   */
  readonly name?: string;
  /** The hosts the gateway serves (`shop.example.com`, `*.example.com`). */
  readonly hosts: string[];
  /**
   * The Secret (in the gateway's namespace) with the TLS certificate for the hosts. Required
   * unless `plaintextOnly`.
   * @default - none
   */
  readonly credentialName?: string;
  /**
   * Require client certificates (MUTUAL), signed by the CA in the credential.
   * @default false
   */
  readonly mutualTls?: boolean;
  /**
   * Whether port 80 answers with a redirect to https.
   * @default true
   */
  readonly redirectHttpToHttps?: boolean;
  /**
   * Serve plain HTTP only, without TLS: an explicit opt-out for development clusters.
   * @default false
   */
  readonly plaintextOnly?: boolean;
  /**
   * The gateway Service's type.
   * @default "LoadBalancer"
   */
  readonly serviceType?: string;
  /**
   * The gateway's container resources.
   * @default - the profile's
   */
  readonly resources?: ContainerResources;
  /**
   * The gateway's autoscaling.
   * @default - the profile's (1 to 5 replicas)
   */
  readonly autoscaling?: HorizontalScaling;
}

/** The mesh's egress gateway deployment (EgressPolicy routes external hosts through it). */
export interface EgressGatewayOptions {
  /**
   * The Deployment's name.
   * @default "istio-egressgateway"
   */
  readonly name?: string;
  /**
   * Its container resources.
   * @default - the profile's
   */
  readonly resources?: ContainerResources;
  /**
   * Its autoscaling.
   * @default - the profile's
   */
  readonly autoscaling?: HorizontalScaling;
}

/** Observability of the mesh. */
export interface MeshObservabilityOptions {
  /**
   * Envoy access logs to stdout, in this encoding.
   * @default - no access logs
   */
  readonly accessLogs?: AccessLogEncoding;
  /**
   * Where traces go. With `jaeger`, the in-cluster Jaeger is used unless this is given.
   * @default - no tracing
   */
  readonly tracing?: TracingBackend;
  /**
   * The share of requests traced (0 to 100).
   * @default 1
   */
  readonly tracingSamplingPercent?: number;
  /**
   * Deploy a single-replica, in-memory Jaeger (development and demo clusters only).
   * @default false
   */
  readonly jaeger?: boolean;
  /**
   * Emit Prometheus Operator monitors (PodMonitor for the proxies, ServiceMonitor for istiod).
   * @default false
   */
  readonly prometheusOperator?: boolean;
  /**
   * Labels of those monitors, for your Prometheus' selectors (`release: kube-prometheus-stack`).
   * @default - none
   */
  readonly prometheusOperatorLabels?: { [key: string]: string };
  /**
   * Emit a `prometheus-config` ConfigMap that scrapes istiod and the proxies, for a plain
   * Prometheus (development and demo clusters).
   * @default false
   */
  readonly prometheusScrapeConfig?: boolean;
}

/** A cluster's role in a multi-cluster mesh. */
export enum ClusterRole {
  /** Runs its own istiod (primary-primary, or the primary of primary-remote). */
  PRIMARY = 'PRIMARY',
  /** Has no istiod: configured by a primary's istiod through its east-west gateway. */
  REMOTE = 'REMOTE',
}

/** This cluster's place in a multi-cluster mesh. */
export interface MultiClusterOptions {
  /** The mesh's ID, the same on every cluster (`mesh1`). */
  readonly meshId: string;
  /** This cluster's name, unique in the mesh (`cluster1`). */
  readonly clusterName: string;
  /** This cluster's network (`network1`); clusters on different networks talk through east-west gateways. */
  readonly network: string;
  /**
   * Primary or remote.
   * @default ClusterRole.PRIMARY
   */
  readonly role?: ClusterRole;
  /**
   * A primary whose istiod also configures remote clusters: istiod's ports (15012, and 15017 for
   * the webhooks) are exposed on the east-west gateway, as Istio's `expose-istiod.yaml` does. The
   * east-west gateway is installed for it even without `exposeServices`.
   * @default false
   */
  readonly servesRemotes?: boolean;
  /**
   * For a remote: the address of the primary's east-west gateway (its istiod).
   * @default - none (required for a remote)
   */
  readonly remotePilotAddress?: string;
  /**
   * Expose this cluster's services to the mesh's other networks through the east-west gateway
   * (the cross-network Gateway, 15443 `AUTO_PASSTHROUGH` for `*.local`, as Istio's
   * `expose-services.yaml`): needed when the mesh spans networks, not when every cluster shares
   * one (primary-remote on one network needs only `servesRemotes`). Without it, the gateway has
   * no port 15443 and no network label, so Istio does not take it for the network's gateway; and
   * without `servesRemotes` either, the cluster has no east-west gateway.
   * @default true
   */
  readonly exposeServices?: boolean;
}

/** Properties of a Mesh. */
export interface MeshProps {
  /**
   * The istioctl profile.
   * @default InstallProfile.DEFAULT, or AMBIENT with `ambient`, REMOTE for a remote cluster
   */
  readonly profile?: InstallProfile;
  /**
   * Ambient mode (ztunnel and CNI, no sidecars): namespaces join with `enrollAmbient`.
   * @default false
   */
  readonly ambient?: boolean;
  /**
   * The control-plane revision (`1-30-3`), for canary upgrades. Namespaces are then enrolled with
   * `istio.io/rev` instead of `istio-injection`.
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Revision tags that point at this revision (`prod-stable`; `default` also serves namespaces
   * labelled `istio-injection=enabled` and pods labelled `sidecar.istio.io/inject=true`), owned
   * by Git: a MutatingWebhookConfiguration `istio-revision-tag-<tag>` each, in this chart (what
   * `istioctl tag set` writes), so that moving a tag to another revision (`addRevision`) is a
   * change of one object. Namespaces enrolled with `enableSidecarInjection(ns, { revisionTag })`
   * are injected by the revision the tag points at.
   * @default - no tags
   */
  readonly revisionTags?: string[];
  /**
   * The Istio release of this revision's control plane, a 1.30 patch release (`1.30.2`): the
   * version of the Helm charts installed, and the images' tag in the IstioOperator (unless `tag`
   * is given). Another minor release is another version of this library. The values given to
   * the charts are checked against the 1.30.3 charts' (an earlier patch release may lack one).
   * @default - the version of the binary that installs it (istioctl), or 1.30.3 (Helm)
   */
  readonly version?: string;
  /**
   * The revision tag the Helm-installed gateways are injected by (`prod-stable`): they run
   * apart from the control plane and move to another revision with the tag when their pods
   * restart, instead of being replaced with a revision (Istio's advice for canary upgrades).
   * Their chart stays at the library's version (1.30.3) whatever the mesh's `version`, since a
   * chart of another version relabels their pods and so restarts them. Only with a Helm
   * `installWith`: istioctl's gateways run a proxy bound to the revision of their IstioOperator.
   * @default - the gateways are injected by this mesh's revision
   */
  readonly gatewayRevisionTag?: string;
  /**
   * Image registry.
   * @default - istioctl's
   */
  readonly hub?: string;
  /**
   * Image tag.
   * @default - istioctl's
   */
  readonly tag?: string;
  /**
   * The control plane's namespace (and the mesh's root namespace).
   * @default "istio-system"
   */
  readonly namespace?: string;
  /**
   * The trust domain of workload identities.
   * @default "cluster.local"
   */
  readonly trustDomain?: string;
  /**
   * Mesh-wide mutual TLS, as a root-namespace PeerAuthentication.
   * @default MtlsMode.STRICT - plaintext between workloads is refused; PERMISSIVE is the explicit
   * migration setting
   */
  readonly mtls?: MtlsMode;
  /**
   * What sidecars do with traffic to hosts outside the registry.
   * @default - REGISTRY_ONLY when the mesh has an egress gateway (egress is governed: every
   * external host must be declared), ALLOW_ANY otherwise (Istio's default)
   */
  readonly outboundTrafficPolicy?: OutboundTrafficMode;
  /**
   * istiod's sizing.
   * @default - the profile's
   */
  readonly controlPlane?: ControlPlaneOptions;
  /**
   * Proxy defaults.
   * @default - Istio's, with holdApplicationUntilProxyStarts
   */
  readonly proxy?: MeshProxyOptions;
  /**
   * Ingress gateways, each with its Gateway resource.
   * @default - none
   */
  readonly ingressGateways?: IngressGatewayOptions[];
  /**
   * An egress gateway.
   * @default - none
   */
  readonly egressGateway?: EgressGatewayOptions;
  /**
   * Observability.
   * @default - Istio's metrics only
   */
  readonly observability?: MeshObservabilityOptions;
  /**
   * This cluster's place in a multi-cluster mesh.
   * @default - a single-cluster mesh
   */
  readonly multiCluster?: MultiClusterOptions;
  /**
   * How the control plane is installed: `InstallMethod.fluxHelm()` or `argoCdHelm()` also write
   * the installation as Istio's Helm charts, for the GitOps tool to apply from this chart.
   * @default InstallMethod.istioctl() - the IstioOperator only, for `istioctl install -f`
   */
  readonly installWith?: InstallMethod;
}
