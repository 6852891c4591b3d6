import { ApiObjectMetadataDefinition, Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IWorkloadRef } from './workload-ref';

/**
 * A workload this app writes, whose pod template the library edits (sidecar injection labels,
 * proxy annotations): a cdk8s-plus workload of any major satisfies it.
 */
export interface IPodTemplateObject extends IConstruct {
  /** Its pods' metadata, which the library adds labels and annotations to. */
  readonly podMetadata: ApiObjectMetadataDefinition;
  /** How long its pods get to stop (the proxy's drain time is checked against it). */
  readonly terminationGracePeriod?: Duration;
}

/**
 * A Deployment this app writes, which a progressive-delivery controller takes over (Argo
 * Rollouts' `workloadRef`, Flagger's `targetRef`): a cdk8s-plus Deployment of any major
 * satisfies it.
 */
export interface IDeploymentObject extends IWorkloadRef, IConstruct {
  /** Its replica count, when set. */
  readonly replicas?: number;
}
