/**
 * Sources the model cannot tell apart, so that a reachability matrix asks once per class: two
 * identities of one namespace with the same data plane are equivalent when every selector that
 * can pick a client pod (Sidecar and DestinationRule workloadSelectors, VirtualService
 * sourceLabels, NetworkPolicy pod selectors) treats their labels alike, and every identity an
 * AuthorizationPolicy names (principals, serviceAccounts, source.principal/serviceAccount
 * conditions, and their negations) matches both or neither.
 */
import { principalMatches } from './authorization';
import type { Inventory, Pod } from './inventory';
import { selects } from './inventory';
import { labelSelectorMatches } from './network-policy';
import { authzValueMatches } from './string-match';

type Test = (pod: Pod, principal: string) => boolean;

/** A function giving each source pod its class key. */
export function sourceClasses(inv: Inventory): (pod: Pod, principal: string) => string {
  const tests: Test[] = [];
  const labels = (sel: { [k: string]: string } | undefined) => sel && tests.push((pod) => selects(sel, pod.labels));
  for (const s of inv.of('Sidecar')) labels(s.json.spec?.workloadSelector?.labels);
  for (const d of inv.of('DestinationRule')) labels(d.json.spec?.workloadSelector?.matchLabels);
  for (const vs of inv.of('VirtualService')) {
    for (const section of ['http', 'tcp', 'tls']) {
      for (const r of vs.json.spec?.[section] ?? []) for (const m of r.match ?? []) labels(m.sourceLabels);
    }
  }
  for (const np of inv.of('NetworkPolicy')) {
    const spec = np.json.spec ?? {};
    const peers = [...(spec.ingress ?? []), ...(spec.egress ?? [])].flatMap((r: any) => [...(r.from ?? []), ...(r.to ?? [])]);
    const selectors = [spec.podSelector, ...peers.map((p: any) => p.podSelector)];
    for (const sel of selectors.filter((x: any) => x)) tests.push((pod) => labelSelectorMatches(sel, pod.labels));
  }
  for (const ap of inv.of('AuthorizationPolicy')) {
    const named = (values: string[] | undefined) => {
      for (const v of values ?? []) tests.push((_pod, principal) => principalMatches(inv, v, principal));
    };
    const accounts = (values: string[] | undefined) => {
      for (const v of values ?? []) {
        const account = v.includes('/') ? v : `${ap.namespace}/${v}`;
        tests.push((pod) => account === `${pod.namespace}/${pod.serviceAccount}`);
      }
    };
    for (const rule of ap.json.spec?.rules ?? []) {
      for (const f of rule?.from ?? []) {
        named(f.source?.principals);
        named(f.source?.notPrincipals);
        accounts(f.source?.serviceAccounts);
        accounts(f.source?.notServiceAccounts);
      }
      for (const c of rule?.when ?? []) {
        if (c.key === 'source.principal') named([...(c.values ?? []), ...(c.notValues ?? [])]);
        if (c.key === 'source.serviceAccount') {
          for (const v of [...(c.values ?? []), ...(c.notValues ?? [])]) tests.push((pod) => authzValueMatches(v, `${pod.namespace}/${pod.serviceAccount}`));
        }
      }
    }
  }
  return (pod, principal) => `${pod.namespace}|${pod.dataPlane}|${tests.map((t) => (t(pod, principal) ? '1' : '0')).join('')}`;
}
