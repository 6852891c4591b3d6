import { Construct } from 'constructs';
import { TrafficPolicy } from './traffic-policy';
import { IstioApiVersion } from '../../../api-versions';
import { checkDnsLabel, isLabelKey, isLabelValue } from '../../../private/k8s-names';
import { invalid } from '../../../private/validate';
import { ExportTo } from '../../export-to';
import { IstioResource, IstioResourceProps } from '../../istio-resource';
import { WorkloadSelector } from '../../workload-selector';
import { ServiceHost } from '../service-host';

/** A named set of the host's endpoints, selected by pod labels (usually a version). */
export interface DestinationRuleSubset {
  /** Name of the subset, as VirtualService routes refer to it (an RFC 1123 label: `v1`, `canary`). */
  readonly name: string;
  /** Labels the subset's endpoints carry (e.g. `{ version: 'v1' }`); at least one. */
  readonly labels: { [key: string]: string };
  /**
   * A traffic policy for this subset; it overrides the rule's own, field by field.
   * @default - the rule's traffic policy
   */
  readonly trafficPolicy?: TrafficPolicy;
}

/** Properties of a DestinationRule. */
export interface DestinationRuleProps extends IstioResourceProps {
  /**
   * The service the rule applies to: a Service (`ServiceHost.fromService(svc)`, which cannot
   * drift) or a host name (`ServiceHost.of('reviews')`; a short name resolves in the rule's
   * namespace).
   */
  readonly host: ServiceHost;
  /**
   * Traffic policy for the whole host.
   * @default - none: Istio's defaults (LEAST_REQUEST, unlimited pool, no outlier detection, auto mTLS)
   */
  readonly trafficPolicy?: TrafficPolicy;
  /**
   * Subsets of the host (more with `addSubset`).
   * @default - none
   */
  readonly subsets?: DestinationRuleSubset[];
  /**
   * Namespaces the rule is visible to. With a `workloadSelector`, only the rule's own namespace.
   * @default - every namespace (Istio's default, unless the mesh sets `defaultDestinationRuleExportTo`)
   */
  readonly exportTo?: ExportTo;
  /**
   * The client workloads (in the rule's namespace) the rule applies to.
   * @default - every client workload that sees the rule
   */
  readonly workloadSelector?: WorkloadSelector;
}

/**
 * `networking.istio.io/v1` DestinationRule: what happens to traffic for a host once routed:
 * subsets (versions) VirtualServices route to, load balancing, connection pool, outlier
 * detection, and TLS.
 *
 * TLS is left out unless you set it: auto mTLS already uses ISTIO_MUTUAL towards workloads with
 * a sidecar. For circuit breaking use `TrafficPolicy.circuitBreaker(...)` (Istio has no
 * `circuitBreaker` field: it is `connectionPool` plus `outlierDetection`).
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export class DestinationRule extends IstioResource {
  /** The host the rule applies to. */
  public readonly host: ServiceHost;
  private readonly trafficPolicy?: TrafficPolicy;
  private readonly exportTo?: ExportTo;
  private readonly workloadSelector?: WorkloadSelector;
  private readonly subsets: Array<{ name: string; labels: { [key: string]: string }; trafficPolicy?: TrafficPolicy }> = [];

  constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    super(scope, id, { apiVersion: IstioApiVersion.NETWORKING, kind: 'DestinationRule' }, props);
    if (!props.host) invalid(this, 'host', props.host, 'a ServiceHost (ServiceHost.of or ServiceHost.fromService)');
    this.host = props.host;
    this.trafficPolicy = props.trafficPolicy;
    this.exportTo = props.exportTo;
    this.workloadSelector = props.workloadSelector;
    if (props.trafficPolicy) this.checkPolicy('trafficPolicy', props.trafficPolicy);
    this.checkExportTo();
    for (const subset of props.subsets ?? []) this.addSubset(subset.name, subset.labels, subset.trafficPolicy);
  }

  /**
   * Adds a subset: the host's endpoints carrying all of `labels`, optionally with its own policy.
   * Subset names must be unique.
   */
  public addSubset(name: string, labels: { [key: string]: string }, trafficPolicy?: TrafficPolicy): void {
    if (typeof name !== 'string' || name.length === 0) invalid(this, 'subset name', name, 'a subset needs a name');
    checkDnsLabel(this, 'subset name', name, "an RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters");
    if (this.subsets.some((s) => s.name === name)) invalid(this, 'subset name', name, 'each subset name once');
    const entries = Object.entries(labels ?? {});
    if (entries.length === 0) {
      invalid(this, `subset "${name}" labels`, labels, 'at least one label (a subset without labels selects every endpoint: use the rule\'s trafficPolicy instead)');
    }
    for (const [key, value] of entries) {
      if (!isLabelKey(key)) invalid(this, `subset "${name}" label key`, key, "a label key: [prefix/]name, name of letters, digits, '-', '_', '.'");
      if (!isLabelValue(value)) invalid(this, `subset "${name}" label "${key}" value`, value, "a label value: at most 63 letters, digits, '-', '_' or '.'");
    }
    if (trafficPolicy) this.checkPolicy(`subset "${name}" trafficPolicy`, trafficPolicy);
    this.subsets.push({ name, labels: Object.fromEntries(entries), trafficPolicy });
  }

  /**
   * Adds a subset selecting the pods a `WorkloadSelector` selects, e.g.
   * `WorkloadSelector.fromWorkload(reviewsV2)` (the subset then follows the Deployment's labels).
   */
  public addSubsetFromSelector(name: string, selector: WorkloadSelector, trafficPolicy?: TrafficPolicy): void {
    if (!selector) invalid(this, `subset "${name}" selector`, selector, 'a WorkloadSelector');
    this.addSubset(name, selector.matchLabels, trafficPolicy);
  }

  /** The names of the subsets, in the order they were added. */
  public get subsetNames(): string[] {
    return this.subsets.map((s) => s.name);
  }

  /** The labels of the subset `name`, or undefined when the rule has no such subset. */
  public subsetLabels(name: string): { [key: string]: string } | undefined {
    const subset = this.subsets.find((s) => s.name === name);
    return subset ? { ...subset.labels } : undefined;
  }

  /** The namespaces the rule is exported to (`.`, `*` or names), and whether a workload selector scopes it. @internal */
  public _visibility(): { exportTo: string[] | undefined; workloadScoped: boolean } {
    return { exportTo: this.exportTo?._render(), workloadScoped: this.workloadSelector !== undefined };
  }

  protected renderSpec(): any {
    return {
      host: this.host.name,
      trafficPolicy: this.trafficPolicy?._render(),
      subsets: this.subsets.length > 0
        ? this.subsets.map((s) => ({ name: s.name, labels: { ...s.labels }, trafficPolicy: s.trafficPolicy?._render() }))
        : undefined,
      exportTo: this.exportTo?._render(),
      workloadSelector: this.workloadSelector?._render(),
    };
  }

  /** A `configmap://<namespace>/<name>` credential must be in the rule's namespace (webhook `ValidateTLS`). */
  private checkPolicy(field: string, policy: TrafficPolicy): void {
    for (const tls of policy._clientTls()) {
      const credential = tls.credentialName;
      if (credential?.startsWith('configmap://')) {
        const ns = credential.slice('configmap://'.length).split('/')[0];
        if (this.namespace === undefined || ns !== this.namespace) {
          invalid(this, `${field} tls credentialName`, credential,
            `a ConfigMap credential must be in the DestinationRule's namespace (${this.namespace === undefined ? 'set the namespace' : `"${this.namespace}"`})`);
        }
      }
    }
  }

  /** exportTo entries, and the workload-selector rule (webhook `validateExportTo`). */
  private checkExportTo(): void {
    if (!this.exportTo) return;
    const entries = this.exportTo._render();
    const own = entries.filter((e) => e === '.' || (this.namespace !== undefined && e === this.namespace));
    if (own.length > 1) invalid(this, 'exportTo', entries, `"." and "${this.namespace}" both name the rule's own namespace: keep one`);
    if (this.workloadSelector && (entries.length !== 1 || own.length !== 1)) {
      invalid(this, 'exportTo', entries, 'a DestinationRule with a workloadSelector applies only in its own namespace: use ExportTo.sameNamespace() or leave exportTo out');
    }
  }
}
