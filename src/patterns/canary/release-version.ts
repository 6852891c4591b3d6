import { IServiceRef } from '../../kubernetes/service-ref';
import { IWorkloadRef } from '../../kubernetes/workload-ref';
import { checkDnsLabel, isLabelKey, isLabelValue } from '../../private/k8s-names';
import { checkKind, workloadLabels } from '../../private/kubernetes-refs';
import { invalid } from '../../private/validate';
import { ServiceHost } from '../../resources/networking/service-host';

/**
 * One version of a service in a release, under a name (`v1`, `stable`, `green`). Either a
 * subset of the service's pods, told apart by labels (one Service, DestinationRule subsets: the
 * Istio default, best for east-west traffic), or a Service of its own (host-level splitting, as
 * Gateway API routes and Flagger do it).
 */
export class ReleaseVersion {
  /** The version run by a cdk8s-plus workload: a subset selected by the workload's pod labels. */
  public static fromWorkload(name: string, workload: IWorkloadRef): ReleaseVersion {
    if (!workload) invalid('ReleaseVersion.fromWorkload', `"${name}" workload`, workload, 'the cdk8s-plus workload that runs the version');
    const version = ReleaseVersion.fromLabels(name, workloadLabels(workload));
    return new ReleaseVersion(version.name, version.labels, undefined, workload.name);
  }

  /** A version as a subset of the service's pods, by the labels that select it (`{ version: 'v2' }`). */
  public static fromLabels(name: string, labels: { [key: string]: string }): ReleaseVersion {
    const where = 'ReleaseVersion.fromLabels';
    checkName(where, name);
    const entries = Object.entries(labels ?? {});
    if (entries.length === 0) invalid(where, `"${name}" labels`, labels, 'at least one label that tells this version\'s pods apart');
    for (const [k, v] of entries) {
      if (!isLabelKey(k)) invalid(where, `"${name}" label key`, k, 'a label key');
      if (!isLabelValue(v)) invalid(where, `"${name}" label "${k}"`, v, 'a label value');
    }
    return new ReleaseVersion(name, Object.fromEntries(entries), undefined);
  }

  /**
   * A version served by a Service of its own (`reviews-v2`, selecting only that version's pods):
   * routes split between hosts instead of subsets. Required by Gateway API routing (`ReleaseVersions.services`).
   */
  public static fromService(name: string, service: IServiceRef): ReleaseVersion {
    checkKind(service, 'Service', 'ReleaseVersion.fromService');
    checkName('ReleaseVersion.fromService', name);
    if (!service) invalid('ReleaseVersion.fromService', `"${name}" service`, service, 'the cdk8s-plus Service of the version');
    return new ReleaseVersion(name, undefined, service);
  }

  private constructor(
    /** The version's name: the subset name, and the suffix of names made for it. */
    public readonly name: string,
    /** The labels selecting the version's pods (subset versions only). */
    public readonly labels: { [key: string]: string } | undefined,
    /** The version's own Service (host-level versions only). */
    public readonly service: IServiceRef | undefined,
    /** The workload running the version, when made from one (Istio's `destination_workload`). */
    public readonly workloadName?: string,
  ) {}

  /** The version's own host (host-level versions only). */
  public get host(): ServiceHost | undefined {
    return this.service ? ServiceHost.fromService(this.service) : undefined;
  }
}

function checkName(where: string, name: string): void {
  checkDnsLabel(where, 'name', name, 'a version name (RFC 1123 label, e.g. v1, stable, canary)');
}
