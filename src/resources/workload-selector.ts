import { IWorkloadRef } from '../kubernetes/workload-ref';
import { isLabelKey, isLabelValue } from '../private/k8s-names';
import { workloadLabels } from '../private/kubernetes-refs';
import { invalid } from '../private/validate';

/**
 * Which pods a policy or resource applies to: Istio's `selector`/`workloadSelector`
 * (`matchLabels`). Build it from a cdk8s-plus workload so the labels cannot drift.
 */
export class WorkloadSelector {
  /** Pods carrying all of these labels. */
  public static fromLabels(labels: { [key: string]: string }): WorkloadSelector {
    const entries = Object.entries(labels ?? {});
    if (entries.length === 0) {
      invalid('WorkloadSelector.fromLabels', 'labels', labels, 'at least one label (an empty selector selects every workload: leave the selector out instead)');
    }
    for (const [key, value] of entries) {
      if (!isLabelKey(key)) invalid('WorkloadSelector.fromLabels', 'label key', key, "a label key: [prefix/]name, name of letters, digits, '-', '_', '.'");
      if (key.includes('*') || value.includes('*')) invalid('WorkloadSelector.fromLabels', 'label', `${key}=${value}`, 'Istio does not support wildcards in selectors');
      if (!isLabelValue(value)) invalid('WorkloadSelector.fromLabels', `label "${key}" value`, value, "a label value: at most 63 letters, digits, '-', '_' or '.'");
    }
    return new WorkloadSelector(Object.fromEntries(entries));
  }

  /** The pods of a cdk8s-plus workload (Deployment, StatefulSet, ...), by the labels it selects them with. */
  public static fromWorkload(workload: IWorkloadRef): WorkloadSelector {
    return WorkloadSelector.fromLabels(workloadLabels(workload));
  }

  private constructor(private readonly labels: { [key: string]: string }) {}

  /** The labels, as `matchLabels`. */
  public get matchLabels(): { [key: string]: string } {
    return { ...this.labels };
  }

  /** @internal */
  public _render(): { matchLabels: { [key: string]: string } } {
    return { matchLabels: { ...this.labels } };
  }
}
