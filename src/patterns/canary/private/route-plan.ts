import { IConstruct } from 'constructs';
import { re2Literal } from '../../../private/regex';
import { invalid } from '../../../private/validate';
import { StringMatch } from '../../../resources/networking/string-match';
import { FaultInjection } from '../../../resources/networking/virtual-service/fault-injection';
import { HttpMatch } from '../../../resources/networking/virtual-service/http-match';
import { Percent } from '../../../resources/percent';

/** One HTTP rule of a release, before it is rendered as a VirtualService or HTTPRoute rule. */
export interface PlannedRule {
  readonly name: string;
  /** The matches (OR); undefined: every request (the catch-all). */
  readonly matches?: HttpMatch[];
  /** Whether the rule sends everything to the canary (pinned users, overrides). */
  readonly canaryOnly: boolean;
  readonly fault?: FaultInjection;
  readonly mirror?: Percent;
}

export interface RulePlanInput {
  readonly weight: number;
  readonly canaryMatches?: HttpMatch[];
  readonly affinityCookie?: { readonly name: string; readonly value: string };
  readonly faults?: Array<{ match?: HttpMatch; fault: FaultInjection }>;
  readonly mirror?: Percent;
  /** A controller moves the weight (and owns header routes): render every rule for any weight. */
  readonly controlled: boolean;
  /** The shadow stage: weight 0 with the mirror on. */
  readonly shadow?: boolean;
}

/**
 * The rules in the order they must be evaluated: sticky canary users, canary overrides, faults
 * scoped to a match, then the weighted catch-all; a fault without a match is on every rule. Overrides (`canaryMatches`) hold at every step,
 * rollback included: they pin their requests to the canary (delivery review, pinning). Sticky
 * users exist only while both versions take traffic: at 0% (rollback) nothing else reaches the
 * canary (delivery review row 9). Mirroring exists only in the shadow stage
 * (CanaryProgress.shadow), weight 0 with the mirror on.
 */
export function planRules(input: RulePlanInput): PlannedRule[] {
  const rules: PlannedRule[] = [];
  const between = input.controlled || (input.weight > 0 && input.weight < 100);
  if (between && input.affinityCookie !== undefined) {
    // The cookie by name among the request's cookies (`a=1; canary=1; b=2`), its name taken literally.
    const { name, value } = input.affinityCookie;
    const cookie = StringMatch.regex(`^(.*;\\s*)?${re2Literal(name)}=${re2Literal(value)}(;.*)?$`);
    rules.push({ name: 'canary-affinity', matches: [{ headers: { cookie } }], canaryOnly: true });
  }
  if (!input.controlled && input.canaryMatches && input.canaryMatches.length > 0) {
    rules.push({ name: 'canary-override', matches: input.canaryMatches, canaryOnly: true });
  }
  (input.faults ?? []).forEach((f, i) => {
    if (f.match) rules.push({ name: `fault-${i}`, matches: [f.match], canaryOnly: false, fault: f.fault });
  });
  // A copy only in the shadow stage, as Flagger and the Argo rendering do: mirrored while the
  // canary also takes a share, its requests would reach it twice (delivery review rows 9, 10).
  const mirror = input.mirror && input.shadow ? input.mirror : undefined;
  rules.push({ name: 'split', canaryOnly: false, mirror: input.controlled ? undefined : mirror });
  // A fault without a match is on every route that has none of its own: pinned and sticky users
  // get it as everyone else does (Istio applies a route's fault whichever destination it picks).
  const everyRequest = (input.faults ?? []).find((f) => !f.match)?.fault;
  return everyRequest ? rules.map((r) => (r.fault ? r : { ...r, fault: everyRequest })) : rules;
}

/** Whether `path` lies under the prefix `prefix`, segment-wise. */
function underPrefix(path: string, prefix: string): boolean {
  return prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * A rule's match on a route that serves only `prefix` (a gateway path): the prefix is added, or,
 * when the match has its own URI, that URI must lie under the prefix.
 */
export function scopeMatch(where: IConstruct, field: string, match: HttpMatch, prefix: string | undefined): HttpMatch {
  if (prefix === undefined || prefix === '/') return match;
  if (!match.uri) return { ...match, uri: StringMatch.prefix(prefix) };
  if ((match.uri.kind === 'exact' || match.uri.kind === 'prefix') && underPrefix(match.uri.value, prefix)) return match;
  return invalid(where, `${field}.uri`, match.uri._render(), `an exact or prefix URI under the gateway path prefix "${prefix}", which the gateway route serves`);
}
