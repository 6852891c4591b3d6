/** CPU and memory amounts, as Kubernetes quantities (`100m`, `1`, `128Mi`, `2Gi`). */
export interface ResourceQuantities {
  /**
   * CPU.
   * @default - none
   */
  readonly cpu?: string;
  /**
   * Memory.
   * @default - none
   */
  readonly memory?: string;
}

/** Requests and limits of a container. */
export interface ContainerResources {
  /**
   * What the scheduler reserves.
   * @default - none
   */
  readonly requests?: ResourceQuantities;
  /**
   * The most the container may use.
   * @default - none
   */
  readonly limits?: ResourceQuantities;
}
