/**
 * A gateway component of the IstioOperator as a release of Istio's `gateway` chart (its
 * values.yaml, values.schema.json and templates at 1.30.3). The chart's selector labels are
 * `app` and `istio` of `labels`; a network gateway gets its label, its four ports and
 * ISTIO_META_REQUESTED_NETWORK_VIEW from `networkGateway` (templates/service.yaml,
 * templates/deployment.yaml).
 */
import { cpuTarget, envMap } from './helm-k8s';
import { ChartRelease, clean } from './helm-release';

const NETWORK_LABEL = 'topology.istio.io/network';
/** `k8s` settings the gateway chart takes under the same name. */
const SAME_NAME = ['resources', 'nodeSelector', 'affinity', 'tolerations', 'podAnnotations', 'replicaCount', 'securityContext', 'strategy',
  'readinessProbe', 'volumes', 'volumeMounts', 'priorityClassName', 'imagePullPolicy', 'podDisruptionBudget'];
/** Service fields the chart writes from `service`. */
const SERVICE_FIELDS = ['type', 'ports', 'loadBalancerIP', 'loadBalancerSourceRanges', 'externalTrafficPolicy', 'ipFamilies', 'ipFamilyPolicy', 'externalIPs'];

/** What the release needs beyond the component. */
export interface GatewayReleaseContext {
  /** An egress gateway: a ClusterIP Service unless the component says otherwise. */
  readonly egress: boolean;
  readonly global: any;
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
    if (k8s[key] !== undefined && ![...SAME_NAME, 'hpaSpec', 'env', 'service', 'serviceAnnotations'].includes(key)) {
      ctx.problems.push(`${where}.${key}: the gateway chart has no value for it`);
    }
  }
  // The chart's Service is a LoadBalancer by default; istioctl's egress gateway is ClusterIP.
  const service = serviceValues({ type: ctx.egress ? 'ClusterIP' : undefined, ...k8s.service }, where, network, ctx.problems);
  const hpa = k8s.hpaSpec;
  const env = envMap(k8s.env, where, ctx.problems);
  // The chart sets the network view itself for a network gateway.
  if (network && env) delete env.ISTIO_META_REQUESTED_NETWORK_VIEW;
  const { [NETWORK_LABEL]: _network, ...labels } = g.label ?? {};
  return {
    name: g.name,
    chart: 'gateway',
    namespace: g.namespace ?? ctx.namespace,
    after: ctx.after,
    stage: 2,
    values: clean({
      revision: ctx.revision,
      labels,
      service: { ...service, annotations: k8s.serviceAnnotations },
      ...Object.fromEntries(SAME_NAME.map((k) => [k, k8s[k]])),
      autoscaling: hpa
        ? {
          enabled: true,
          minReplicas: hpa.minReplicas,
          maxReplicas: hpa.maxReplicas,
          targetCPUUtilizationPercentage: cpuTarget(hpa),
          autoscaleBehavior: hpa.behavior,
        }
        : undefined,
      env,
      networkGateway: network,
      global: { hub: ctx.global.hub, tag: ctx.global.tag, platform: ctx.global.platform },
    }),
  };
}
