/**
 * A component's `k8s` settings of the IstioOperator as the values of its Helm chart: istioctl
 * writes them over the chart's values for the same settings (operator/pkg/component and the
 * charts' values.yaml at 1.30.3). A setting with no chart value is a problem, never dropped.
 */

/** The `k8s` settings the istiod chart has values for. */
export const PILOT_K8S = ['resources', 'hpaSpec', 'replicaCount', 'nodeSelector', 'affinity', 'tolerations', 'podAnnotations', 'serviceAnnotations', 'env', 'strategy'];

/** The utilization target of an HPA spec for a resource (`cpu`, `memory`). */
export function utilizationTarget(hpa: any, resource: string): number | undefined {
  return hpa?.metrics?.find((m: any) => m?.resource?.name === resource)?.resource?.target?.averageUtilization;
}

/** The HPA's metrics the charts have no value for (only CPU and memory utilization). */
export function otherMetrics(hpa: any, where: string, problems: string[]): void {
  for (const m of hpa?.metrics ?? []) {
    const utilization = m?.type === 'Resource' && ['cpu', 'memory'].includes(m.resource?.name) && m.resource?.target?.type === 'Utilization';
    if (!utilization) problems.push(`${where}.hpaSpec.metrics: the charts take CPU and memory utilization targets only, not ${JSON.stringify(m)}`);
  }
}

/**
 * A `k8s.env` list as the charts' `env` map, and its `valueFrom` entries as `envVarFrom`
 * (which istiod's and the gateway's charts have; `withValueFrom` false for the others).
 */
export function envValues(env: any[] | undefined, where: string, problems: string[], withValueFrom: boolean): { env?: any; envVarFrom?: any[] } {
  if (!env) return {};
  const map: { [name: string]: string } = {};
  const from: any[] = [];
  for (const e of env) {
    if (e.valueFrom === undefined) map[e.name] = e.value ?? '';
    else if (withValueFrom) from.push({ name: e.name, valueFrom: e.valueFrom });
    else problems.push(`${where}.env ${e.name}: a valueFrom entry has no counterpart in this chart (only an env map)`);
  }
  return { env: Object.keys(map).length > 0 ? map : undefined, envVarFrom: from.length > 0 ? from : undefined };
}

/**
 * The chart values of `k8s` (istiod's and the node agents' flat names); a setting outside
 * `allowed` is reported as having no counterpart in `chart`.
 */
export function k8sValues(k8s: any, allowed: string[], where: string, chart: string, problems: string[]): { [key: string]: any } {
  if (!k8s) return {};
  const out: { [key: string]: any } = {};
  for (const [key, value] of Object.entries(k8s)) {
    if (value === undefined) continue;
    if (!allowed.includes(key)) {
      problems.push(`${where}.${key}: the ${chart} chart has no value for it (it takes ${allowed.join(', ')} from k8s)`);
      continue;
    }
    switch (key) {
      case 'hpaSpec': {
        const hpa: any = value;
        otherMetrics(hpa, where, problems);
        Object.assign(out, { autoscaleEnabled: true, autoscaleMin: hpa.minReplicas, autoscaleMax: hpa.maxReplicas, autoscaleBehavior: hpa.behavior });
        const cpu = utilizationTarget(hpa, 'cpu');
        const memory = utilizationTarget(hpa, 'memory');
        if (cpu !== undefined) out.cpu = { targetAverageUtilization: cpu };
        if (memory !== undefined) out.memory = { targetAverageUtilization: memory };
        break;
      }
      case 'env':
        Object.assign(out, envValues(value as any[], where, problems, chart === 'istiod'));
        break;
      case 'strategy': {
        const { rollingUpdate, type, ...other } = value as any;
        if (Object.keys(other).length > 0 || (type !== undefined && type !== 'RollingUpdate')) {
          problems.push(`${where}.strategy: only a rolling update has chart values (rollingMaxSurge, rollingMaxUnavailable)`);
        }
        out.rollingMaxSurge = rollingUpdate?.maxSurge;
        out.rollingMaxUnavailable = rollingUpdate?.maxUnavailable;
        break;
      }
      default:
        out[key] = value;
    }
  }
  // Only what was given: an unset part leaves the chart's value (and values.pilot's) in place.
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
