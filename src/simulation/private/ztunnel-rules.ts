/**
 * How istiod turns an AuthorizationPolicy rule into ztunnel's L4 form, and what ztunnel then
 * matches (istio/istio 1.30.3 pilot/pkg/serviceregistry/ambient/authorization.go `handleRule`;
 * istio/ztunnel 1.30.3 src/rbac.rs `Authorization::matches`):
 * - each `from` entry becomes one match of a clause (entries ORed); it keeps principals,
 *   namespaces, serviceAccounts, ipBlocks and their negations. `trustDomains` are dropped without
 *   a word; requestPrincipals and remoteIpBlocks are L7;
 * - the `to` entries keep only ports/notPorts; hosts, methods and paths are L7;
 * - each `when` condition is its own clause; only source.ip, source.namespace, source.principal,
 *   destination.ip and destination.port are L4, every other key is L7;
 * - an ALLOW rule with anything L7 is removed: it never matches;
 * - in a DENY rule the L7 parts just vanish. An entry left with nothing is an empty match, which
 *   ztunnel skips, so a clause made only of such entries is never satisfied and the DENY rule never
 *   matches (it does NOT deny more, as istiod's status message suggests). An entry that keeps an
 *   L4 field is enforced on that field alone (wider).
 * Empty sources are empty matches too: `from: [{ source: {} }]` matches no one at ztunnel, while
 * Envoy reads it as "anyone".
 */

const L4_SOURCE = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts', 'ipBlocks', 'notIpBlocks'];
const L7_SOURCE = ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks'];
const L4_OPERATION = ['ports', 'notPorts'];
const L4_WHEN = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);

export interface ZtunnelRule {
  /** The rule as ztunnel matches it, or undefined when it can never match. */
  readonly rule?: any;
  /** What the conversion changed, for the trace. */
  readonly note?: string;
}

export function ztunnelRule(rule: any, action: string): ZtunnelRule {
  const from: any[] | undefined = rule.from;
  const to: any[] | undefined = rule.to;
  const when: any[] | undefined = rule.when;
  const l7 = (from ?? []).some((f) => L7_SOURCE.some((k) => f?.source?.[k] !== undefined))
    || (to ?? []).some((t) => Object.keys(t?.operation ?? {}).some((k) => !L4_OPERATION.includes(k)))
    || (when ?? []).some((c) => !L4_WHEN.has(String(c?.key)));
  if (l7 && action === 'ALLOW') return { note: 'has L7 fields, which ztunnel cannot see: the rule is removed and never matches' };

  const keep = (o: any, keys: string[]) => Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => keys.includes(k)));
  const sources = from?.map((f) => keep(f?.source, L4_SOURCE)).filter((s) => Object.keys(s).length > 0);
  const operations = to?.map((t) => keep(t?.operation, L4_OPERATION)).filter((o) => Object.keys(o).length > 0);
  const conditions = when?.filter((c) => L4_WHEN.has(String(c?.key)));
  const emptyClause = (from !== undefined && from.length > 0 && sources!.length === 0)
    || (to !== undefined && to.length > 0 && operations!.length === 0)
    || (when !== undefined && conditions!.length < when.length);
  if (emptyClause) {
    return { note: 'a from/to/when part is left with no L4 field: ztunnel skips empty matches, so the rule never matches' };
  }
  const converted = {
    from: sources?.map((source) => ({ source })),
    to: operations?.map((operation) => ({ operation })),
    when: conditions,
  };
  const dropped = l7 || JSON.stringify(converted) !== JSON.stringify({ from: rule.from, to: rule.to, when: rule.when });
  return { rule: converted, note: dropped ? 'L7 fields and trustDomains dropped at ztunnel; the L4 rest applies' : undefined };
}
