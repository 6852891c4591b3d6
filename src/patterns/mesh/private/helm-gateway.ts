/**
 * A gateway component of the IstioOperator as a release of Istio's `gateway` chart (its
 * values.yaml, values.schema.json and templates at 1.30.3). The chart's selector labels are
 * `app` and `istio` of `labels`; a network gateway gets its label, its four ports and
 * ISTIO_META_REQUESTED_NETWORK_VIEW from `networkGateway` (templates/service.yaml,
 * templates/deployment.yaml).
 */
import { envValues, otherMetrics, utilizationTarget } from './helm-k8s';
import { ChartRelease, clean } from './helm-release';

const NETWORK_LABEL = 'topology.istio.io/network';
/** `k8s` settings the gateway chart takes under the same name. */
const SAME_NAME = ['resources', 'nodeSelector', 'affinity', 'tolerations', 'podAnnotations', 'replicaCount', 'strategy',
  'readinessProbe', 'priorityClassName', 'imagePullPolicy', 'podDisruptionBudget'];
/**
 * The chart's pod security context lets the proxy, not root, bind ports 80 and 443
 * (templates/deployment.yaml); a context given without sysctls keeps that.
 */
const UNPRIVILEGED_PORTS = { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' };
/** Service fields the chart writes from `service`. */
const SERVICE_FIELDS = ['type', 'ports', 'loadBalancerIP', 'loadBalancerSourceRanges', 'externalTrafficPolicy', 'ipFamilies', 'ipFamilyPolicy', 'externalIPs'];

/** What the release needs beyond the component. */
export interface GatewayReleaseContext {
  /** An egress gateway: a ClusterIP Service unless the component says otherwise. */
  readonly egress: boolean;
  readonly global: any;
  readonly compatibilityVersion?: string;
  readonly revision?: string;
  readonly namespace: string;
  readonly after: string[];
  readonly problems: string[];
}

/** An IntOrString as written. */
function intOrString(v: any): any {
  return v !== null && typeof v === 'object' && 'value' in v ? v.value : v;
}

function serviceValues(service: any, where: string, network: string | undefined, problems: string[]): any {
  for (const key of Object.keys(service)) {
    if (service[key] !== undefined && !SERVICE_FIELDS.includes(key)) problems.push(`${where}.service.${key}: the gateway chart has no value for it (it takes ${SERVICE_FIELDS.join(', ')})`);
  }
  const ports = network ? undefined : service.ports?.map((p: any) => {
    const targetPort = intOrString(p.targetPort);
    if (targetPort !== undefined && typeof targetPort !== 'number') problems.push(`${where}.service.ports ${p.name}: the gateway chart takes a numeric targetPort, not "${targetPort}"`);
    return { ...p, targetPort, protocol: p.protocol ?? 'TCP' };
  });
  return { ...Object.fromEntries(Object.entries(service).filter(([k]) => SERVICE_FIELDS.includes(k) && k !== 'ports')), ports };
}

/** The `gateway` chart release of gateway component `g`. */
export function gatewayRelease(g: any, ctx: GatewayReleaseContext): ChartRelease {
  const where = `components.${ctx.egress ? 'egressGateways' : 'ingressGateways'}[${g.name}].k8s`;
  const k8s = g.k8s ?? {};
  const network: string | undefined = g.label?.[NETWORK_LABEL];
  for (const key of Object.keys(k8s)) {
    if (k8s[key] !== undefined && ![...SAME_NAME, 'hpaSpec', 'env', 'service', 'serviceAnnotations', 'securityContext'].includes(key)) {
      // volumes and volumeMounts included: istioctl does not apply them to a gateway either
      // (operator/pkg/render/postprocess.go at 1.30.3), so the chart must not get them.
      const note = key === 'volumes' || key === 'volumeMounts' ? ' (and istioctl applies none to a gateway)' : '';
      ctx.problems.push(`${where}.${key}: the gateway chart has no value for it${note}`);
    }
  }
  // The chart's Service is a LoadBalancer by default; istioctl's egress gateway is ClusterIP.
  const service = serviceValues({ type: ctx.egress ? 'ClusterIP' : undefined, ...k8s.service }, where, network, ctx.problems);
  const hpa = k8s.hpaSpec;
  if (hpa) otherMetrics(hpa, where, ctx.problems);
  // The chart's Deployment has no replica count while it autoscales (its default), as istioctl's.
  if (k8s.replicaCount !== undefined && !hpa) {
    ctx.problems.push(`${where}.replicaCount: the gateway autoscales (the chart's default, as istioctl's), which sets the replicas; give hpaSpec minReplicas and maxReplicas instead`);
  }
  const { env, envVarFrom } = envValues(k8s.env, where, ctx.problems, true);
  // The chart sets the network view itself for a network gateway.
  if (network && env) delete env.ISTIO_META_REQUESTED_NETWORK_VIEW;
  const given = k8s.securityContext;
  const securityContext = given && !given.sysctls ? { ...given, sysctls: [UNPRIVILEGED_PORTS] } : given;
  // istioctl's gateway has a PodDisruptionBudget (minAvailable 1) once it autoscales from more than
  // one replica (gateways/istio-ingress/templates/poddisruptionbudget.yaml); the chart only when asked.
  const defaultPdb = hpa?.minReplicas > 1 && ctx.global.defaultPodDisruptionBudget?.enabled !== false;
  const pdb = k8s.podDisruptionBudget ?? (defaultPdb ? { minAvailable: 1 } : undefined);
  const { [NETWORK_LABEL]: _network, ...labels } = g.label ?? {};
  return {
    name: g.name,
    chart: 'gateway',
    namespace: g.namespace ?? ctx.namespace,
    after: ctx.after,
    stage: 2,
    values: clean({
      compatibilityVersion: ctx.compatibilityVersion,
      revision: ctx.revision,
      labels,
      service: { ...service, annotations: k8s.serviceAnnotations },
      ...Object.fromEntries(SAME_NAME.map((k) => [k, k8s[k]])),
      securityContext,
      podDisruptionBudget: pdb,
      autoscaling: hpa
        ? {
          enabled: true,
          minReplicas: hpa.minReplicas,
          maxReplicas: hpa.maxReplicas,
          targetCPUUtilizationPercentage: utilizationTarget(hpa, 'cpu'),
          targetMemoryUtilizationPercentage: utilizationTarget(hpa, 'memory'),
          autoscaleBehavior: hpa.behavior,
        }
        : undefined,
      env,
      envVarFrom,
      networkGateway: network,
      // The chart reads global settings too (image pull secrets and policy, priority class...);
      // its proxy image is `auto`, the injecting revision's, so hub and tag are not its to set.
      global: { ...ctx.global, hub: undefined, tag: undefined },
    }),
  };
}
