/**
 * The app's own DestinationRule for a host, given to a pattern that routes to subsets: the
 * pattern adds its subsets to that rule instead of writing a second rule for the host, which
 * Istio would merge with it, dropping the newer one's policy (mergeDestinationRule in
 * pilot/pkg/model/destination_rule.go at 1.30.3).
 */
import { IConstruct } from 'constructs';
import { metricsHost } from './service-names';
import { invalid } from '../../private/validate';
import { DestinationRule } from '../../resources/networking/destination-rule/destination-rule';
import { TrafficPolicy } from '../../resources/networking/destination-rule/traffic-policy';

/** Where the app's rule is checked against: the pattern's host and namespace, and who routes to it. */
export interface AppRuleUse {
  /** The field the rule was given in (`routing destinationRule`). */
  readonly field: string;
  /** The host the pattern routes to. */
  readonly host: string;
  /** The pattern's namespace (the rule's, when it has none of its own). */
  readonly namespace: string | undefined;
  /** Whose subsets they are, for the messages: `the release's`, `the routes'`. */
  readonly whose: string;
  /** The namespace of a gateway whose route sends to the subsets, which must see the rule. */
  readonly gatewayNamespace?: string;
}

/**
 * Checks that `rule` is the host's rule every client sees: the same host, no workload selector
 * (a workload-scoped rule applies to its workloads only), and exported to the gateway's
 * namespace when a gateway route sends to its subsets (else they are undefined there: 503).
 */
export function checkAppRule(scope: IConstruct, rule: DestinationRule, use: AppRuleUse): void {
  const { field, namespace } = use;
  if (metricsHost(rule.host.name, rule.namespace ?? namespace) !== metricsHost(use.host, namespace)) {
    invalid(scope, field, rule.host.name, `the DestinationRule of ${use.whose} host ${use.host}`);
  }
  const { exportTo, workloadScoped } = rule._visibility();
  if (workloadScoped) invalid(scope, field, rule.node.path, `a DestinationRule without workloadSelector: ${use.whose} clients must all see its subsets`);
  const ruleNamespace = rule.namespace ?? namespace;
  const sees = (ns: string) => !exportTo || exportTo.includes('*') || (ns === ruleNamespace ? exportTo.includes('.') || exportTo.includes(ns) : exportTo.includes(ns));
  if (use.gatewayNamespace !== undefined && !sees(use.gatewayNamespace)) {
    invalid(scope, `${field} exportTo`, exportTo, `a rule exported to the gateway's namespace ${use.gatewayNamespace}, whose route sends to its subsets`);
  }
}

/**
 * Adds the subset `name` selecting `labels` to the app's rule, or keeps the one it has when it
 * selects the same labels: `added` or `kept`.
 */
export function ensureSubset(
  scope: IConstruct, field: string, rule: DestinationRule, name: string, labels: { [key: string]: string }, policy?: TrafficPolicy,
): 'added' | 'kept' {
  const existing = rule.subsetLabels(name);
  if (existing === undefined) {
    rule.addSubset(name, labels, policy);
    return 'added';
  }
  if (JSON.stringify(Object.entries(existing).sort()) !== JSON.stringify(Object.entries(labels).sort())) {
    invalid(scope, `${field} subset "${name}"`, existing, `the labels of version "${name}" (${JSON.stringify(labels)}), or another version name`);
  }
  return 'kept';
}
