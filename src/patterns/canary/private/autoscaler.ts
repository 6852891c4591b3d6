import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkRange } from '../../../private/validate';
import { CanaryAutoscaling } from '../canary-autoscaling';

/** The autoscaler's settings, checked. */
export interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuPercent: number;
}

export function resolveAutoscaling(where: IConstruct, a: CanaryAutoscaling | undefined): ResolvedAutoscaling | undefined {
  if (a === undefined) return undefined;
  const minReplicas = checkRange(where, 'controller autoscaling.minReplicas', a.minReplicas, 1, 10000, true);
  const maxReplicas = checkRange(where, 'controller autoscaling.maxReplicas', a.maxReplicas, minReplicas, 10000, true);
  const cpuPercent = checkRange(where, 'controller autoscaling.targetCpuUtilizationPercent', a.targetCpuUtilizationPercent ?? 80, 1, 1000, true);
  return { minReplicas, maxReplicas, cpuPercent };
}

/** The workload an autoscaler scales. */
export interface ScaleTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/** An `autoscaling/v2` HorizontalPodAutoscaler of `target` on CPU use. */
export function renderAutoscaler(
  scope: Construct, name: string, namespace: string | undefined, target: ScaleTarget, a: ResolvedAutoscaling,
): ApiObject {
  return new ApiObject(scope, 'HorizontalPodAutoscaler', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: {
      scaleTargetRef: { ...target },
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.cpuPercent } } }],
    },
  });
}

/**
 * Fails synthesis when another HorizontalPodAutoscaler of the release's chart scales the
 * Deployment the controller took over: under Argo Rollouts it would scale it up from the 0
 * replicas Argo keeps it at, and its pods would run beside the Rollout's; under Flagger it would
 * scale the canary only, never the primary, which serves (Flagger copies only the autoscaler
 * its Canary names; pkg/canary/hpa_reconciler.go at v1.44.0).
 */
export function refuseAutoscalerOn(
  scope: Construct, deployment: string, namespace: string | undefined, ours: ApiObject | undefined, why: string,
): void {
  const chart = Chart.of(scope);
  scope.node.addValidation({
    validate: () => chart.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'HorizontalPodAutoscaler' && Chart.of(c) === chart
        && (c.metadata.namespace ?? chart.namespace) === namespace)
      .filter((c) => {
        const ref = c.toJson().spec?.scaleTargetRef;
        return ref?.kind === 'Deployment' && ref?.name === deployment;
      })
      .filter((c) => c !== ours)
      .map((c) => `HorizontalPodAutoscaler ${c.name} (${c.node.path}) scales Deployment ${deployment}: ${why}. Give the controller's \`autoscaling\` instead`),
  });
}
