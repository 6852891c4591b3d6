/**
 * What a sidecar's outbound side knows: the Sidecar resource that applies (one with a
 * workloadSelector matching the pod, else the namespace's without selector, else the root
 * namespace's without selector, else everything), the hosts its egress listeners import
 * (`<namespace>/<host>`, `.` = the Sidecar's namespace, `*` = any, `~` = none), and the outbound
 * traffic policy (the Sidecar's own, else the mesh's) (pilot/pkg/model/sidecar.go at 1.30.3,
 * `DefaultSidecarScopeForNamespace`, `ConvertToSidecarScope`).
 */
import type { Inventory, Obj, Pod, RegistryHost } from './inventory';
import { hostMatches, selects } from './inventory';

export interface SidecarScope {
  readonly sidecar?: Obj;
  readonly outboundMode: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  readonly describe: string;
  /** Whether a registry entry is imported into the scope. */
  readonly imports: (h: RegistryHost) => boolean;
}

export function sidecarScope(inv: Inventory, pod: Pod): SidecarScope {
  const root = inv.mesh.rootNamespace;
  const sidecars = inv.of('Sidecar');
  const selecting = (s: Obj) => s.json.spec?.workloadSelector?.labels && selects(s.json.spec.workloadSelector.labels, pod.labels);
  const sidecar = sidecars.find((s) => s.namespace === pod.namespace && selecting(s))
    ?? sidecars.find((s) => s.namespace === pod.namespace && !s.json.spec?.workloadSelector)
    ?? sidecars.find((s) => s.namespace === root && !s.json.spec?.workloadSelector);
  const own = sidecar?.json.spec?.outboundTrafficPolicy?.mode;
  const outboundMode = own === 'REGISTRY_ONLY' || own === 'ALLOW_ANY' ? own : inv.mesh.outboundMode;
  const modeFrom = own ? `Sidecar ${sidecar!.namespace}/${sidecar!.name}` : `mesh config (${inv.mesh.source})`;
  if (!sidecar) {
    return { outboundMode, describe: `no Sidecar resource: every exported host is imported; outbound ${outboundMode} from ${modeFrom}`, imports: () => true };
  }
  const hosts: Array<[string, string]> = (sidecar.json.spec?.egress ?? []).flatMap((e: any) => (e.hosts ?? []).map((h: string) => {
    const i = h.indexOf('/');
    const ns = h.slice(0, i);
    return [ns === '.' ? sidecar.namespace : ns, h.slice(i + 1)] as [string, string];
  }));
  const noEgress = (sidecar.json.spec?.egress ?? []).length === 0;
  return {
    sidecar,
    outboundMode,
    describe: `Sidecar ${sidecar.namespace}/${sidecar.name}${noEgress ? ' (no egress: imports everything)' : ` imports ${hosts.map(([n, h]) => `${n}/${h}`).join(', ')}`}; outbound ${outboundMode} from ${modeFrom}`,
    imports: (h) => noEgress || hosts.some(([ns, host]) => ns !== '~' && (ns === '*' || ns === h.namespace) && hostMatches(host, h.host)),
  };
}
