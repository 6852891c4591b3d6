/**
 * A component's `k8s` settings of the IstioOperator as the values of its Helm chart: istioctl
 * writes them over the chart's values for the same settings (operator/pkg/component and the
 * charts' values.yaml at 1.30.3). A setting with no chart value is a problem, never dropped.
 */

/** The `k8s` settings the istiod chart has values for. */
export const PILOT_K8S = ['resources', 'hpaSpec', 'replicaCount', 'nodeSelector', 'affinity', 'tolerations', 'podAnnotations', 'serviceAnnotations', 'env', 'strategy'];

/** The CPU utilization target of an HPA spec. */
export function cpuTarget(hpa: any): number | undefined {
  return hpa?.metrics?.find((m: any) => m?.resource?.name === 'cpu')?.resource?.target?.averageUtilization;
}

/** A `k8s.env` list as the charts' `env` map; an entry from `valueFrom` has no place there. */
export function envMap(env: any[] | undefined, where: string, problems: string[]): { [name: string]: string } | undefined {
  if (!env) return undefined;
  const out: { [name: string]: string } = {};
  for (const e of env) {
    if (e.valueFrom !== undefined) problems.push(`${where}.env ${e.name}: a valueFrom entry has no counterpart in the chart's env map`);
    else out[e.name] = e.value ?? '';
  }
  return out;
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
        Object.assign(out, { autoscaleEnabled: true, autoscaleMin: hpa.minReplicas, autoscaleMax: hpa.maxReplicas, autoscaleBehavior: hpa.behavior });
        const cpu = cpuTarget(hpa);
        if (cpu !== undefined) out.cpu = { targetAverageUtilization: cpu };
        break;
      }
      case 'env':
        out.env = envMap(value as any[], where, problems);
        break;
      case 'strategy': {
        const { rollingUpdate, ...other } = value as any;
        if (Object.keys(other).length > 0) problems.push(`${where}.strategy: only rollingUpdate has chart values (rollingMaxSurge, rollingMaxUnavailable)`);
        out.rollingMaxSurge = rollingUpdate?.maxSurge;
        out.rollingMaxUnavailable = rollingUpdate?.maxUnavailable;
        break;
      }
      default:
        out[key] = value;
    }
  }
  return out;
}
