/**
 * A HorizontalPodAutoscaler for the release's workload, aimed at what really runs the pods under
 * its controller: the Rollout with Argo Rollouts (the Deployment it takes over has 0 replicas, and
 * an autoscaler on it would bring them back), the Deployment with Flagger (which copies it for the
 * primary).
 */
export interface CanaryAutoscaling {
  /** The fewest replicas (at least 1). */
  readonly minReplicas: number;
  /** The most replicas (at least `minReplicas`). */
  readonly maxReplicas: number;
  /**
   * The average CPU use the autoscaler keeps, in percent of the pods' CPU requests (the
   * containers must request CPU).
   * @default 80
   */
  readonly targetCpuUtilizationPercent?: number;
}
