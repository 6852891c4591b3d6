import { Construct } from 'constructs';
import { IstioApiVersion } from '../../../api-versions';
import { IstioResource, IstioResourceProps } from '../../istio-resource';
import { renderEndpoint } from './private/workload-endpoint';
import { ServiceEntryEndpoint } from './service-entry-endpoint';

/** Properties of a WorkloadEntry. */
export interface WorkloadEntryProps extends IstioResourceProps {
  /**
   * The workload: address, ports, labels (which Services and ServiceEntries select it by),
   * network, locality, weight and service account. (The `labels` prop of the props is the
   * object's own metadata.)
   */
  readonly workload: ServiceEntryEndpoint;
}

/**
 * `networking.istio.io/v1` WorkloadEntry: a workload outside Kubernetes (a VM, a bare-metal
 * host) as a mesh member. ServiceEntries with a `workloadSelector` (and Kubernetes Services, for
 * the entry's labels) select it like a pod.
 * @see https://istio.io/latest/docs/reference/config/networking/workload-entry/
 */
export class WorkloadEntry extends IstioResource {
  private readonly spec: any;

  constructor(scope: Construct, id: string, props: WorkloadEntryProps) {
    super(scope, id, { apiVersion: IstioApiVersion.NETWORKING, kind: 'WorkloadEntry' }, props);
    this.spec = renderEndpoint(this, 'workload', props.workload ?? {}, { allowHostname: true });
  }

  /** The labels of the workload. */
  public get labels(): { [key: string]: string } {
    return { ...(this.spec.labels ?? {}) };
  }

  protected renderSpec(): any {
    return { ...this.spec };
  }
}
