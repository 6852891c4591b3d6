import type { k8s } from 'cdk8s-plus-28';
import { ContainerResources } from './container-resources';

/** Horizontal autoscaling of a component. */
export interface HorizontalScaling {
  /** The fewest replicas. */
  readonly minReplicas: number;
  /** The most replicas. */
  readonly maxReplicas: number;
  /**
   * The average CPU utilization (percent of requests) to scale at.
   * @default - the chart's (80)
   */
  readonly targetCpuUtilization?: number;
}

/** A patch of a component's rendered Kubernetes object (`k8s.overlays[]`). */
export interface KubernetesOverlayPatch {
  /** The path in the object (`spec.template.spec.containers.[name:discovery].args[-1]`). */
  readonly path: string;
  /**
   * The value set at the path.
   * @default - the path is removed
   */
  readonly value?: any;
}

/** An overlay: patches of one Kubernetes object a component renders. */
export interface KubernetesOverlay {
  /** The object's kind (`Deployment`). */
  readonly kind: string;
  /** The object's name (`istiod`). */
  readonly name: string;
  /**
   * The object's apiVersion.
   * @default - any
   */
  readonly apiVersion?: string;
  /** The patches. */
  readonly patches: KubernetesOverlayPatch[];
}

/** The Kubernetes settings of a component's Deployment and Service (`components.<c>.k8s`). */
export interface KubernetesResourcesSpec {
  /**
   * Container resources.
   * @default - the profile's
   */
  readonly resources?: ContainerResources;
  /**
   * Horizontal autoscaling (`hpaSpec`).
   * @default - the profile's
   */
  readonly hpaSpec?: HorizontalScaling;
  /**
   * Replicas, when not autoscaled.
   * @default - the profile's
   */
  readonly replicaCount?: number;
  /**
   * Environment variables of the component's container (e.g. istiod's `PILOT_*` features).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * The component's Service (gateways: `type: LoadBalancer`, ports, external traffic policy).
   * @default - the profile's
   */
  readonly service?: k8s.ServiceSpec;
  /**
   * Annotations of the Service (cloud load balancer settings).
   * @default - none
   */
  readonly serviceAnnotations?: { [key: string]: string };
  /**
   * Node selector.
   * @default - none
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Affinity.
   * @default - the profile's
   */
  readonly affinity?: k8s.Affinity;
  /**
   * Tolerations.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];
  /**
   * Pod annotations.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * The Deployment's update strategy.
   * @default - the profile's
   */
  readonly strategy?: k8s.DeploymentStrategy;
  /**
   * The PodDisruptionBudget.
   * @default - the profile's (minAvailable 1 for istiod and gateways)
   */
  readonly podDisruptionBudget?: k8s.PodDisruptionBudgetSpec;
  /**
   * Priority class of the pods.
   * @default - none
   */
  readonly priorityClassName?: string;
  /**
   * Patches of the rendered objects, for what the fields above do not reach.
   * @default - none
   */
  readonly overlays?: KubernetesOverlay[];
}
