/**
 * Gateway API routes read as the VirtualServices Istio turns them into
 * (pilot/pkg/config/kube/gateway/conversion.go at 1.30.3): an HTTPRoute whose parent is a
 * Service (GAMMA) routes that Service's host at sidecars and waypoints, its `hostnames` ignored;
 * one whose parent is a Gateway routes at that Gateway. `PathPrefix` matches whole segments
 * (`/p` matches `/p` and `/p/x`, not `/px`); a backendRef without `weight` weighs 1; rules are
 * ordered by Gateway API precedence (exact path, longer prefix, method, more headers, more
 * query parameters), then age.
 */
import type { Inventory, Obj } from './inventory';
import { CLUSTER_DOMAIN } from './inventory';

/** The pseudo-VirtualServices of every HTTPRoute: `gateways` is `mesh` (GAMMA) or `<ns>/<gateway>`. */
export function httpRoutesAsVirtualServices(inv: Inventory): Obj[] {
  const out: Obj[] = [];
  for (const r of inv.of('HTTPRoute')) {
    for (const parent of r.json.spec?.parentRefs ?? []) {
      const ns = parent.namespace ?? r.namespace;
      const isService = parent.kind === 'Service' || parent.kind === 'ServiceEntry';
      const hosts = isService ? [`${parent.name}.${ns}.${CLUSTER_DOMAIN}`] : (r.json.spec?.hostnames ?? ['*']);
      const rules = sortRules((r.json.spec?.rules ?? []).flatMap((rule: any, i: number) => (rule.matches?.length ? rule.matches : [{ path: { type: 'PathPrefix', value: '/' } }])
        .map((m: any) => ({ m, rule, i }))));
      out.push({
        order: r.order,
        namespace: r.namespace,
        name: `${r.name} (HTTPRoute)`,
        json: {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: r.name, namespace: r.namespace },
          spec: {
            hosts,
            gateways: isService ? ['mesh'] : [`${ns}/${parent.name}`],
            exportTo: isService && r.namespace !== ns ? ['.'] : ['*'],
            http: rules.map(({ m, rule, i }) => convertRule(r, m, rule, i, parent.port)),
          },
        },
      });
    }
  }
  return out;
}

function sortRules<T extends { m: any; i: number; rule: any }>(rules: T[]): T[] {
  const rank = (m: any) => {
    const p = m.path ?? { type: 'PathPrefix', value: '/' };
    return [p.type === 'Exact' ? 0 : 1, -(p.value ?? '').length, m.method ? 0 : 1, -(m.headers ?? []).length, -(m.queryParams ?? []).length];
  };
  return [...rules].sort((a, b) => {
    const [x, y] = [rank(a.m), rank(b.m)];
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k] - y[k];
    return a.i - b.i;
  });
}

function convertRule(route: Obj, m: any, rule: any, index: number, parentPort: number | undefined): any {
  const match: any = {};
  const p = m.path;
  if (p?.type === 'Exact') match.uri = { exact: p.value };
  else if (p?.type === 'RegularExpression') match.uri = { regex: p.value };
  else if (p && p.value !== '/') match.segmentPrefix = p.value;
  if (m.method) match.method = { exact: m.method };
  if (m.headers) match.headers = Object.fromEntries(m.headers.map((h: any) => [h.name.toLowerCase(), h.type === 'RegularExpression' ? { regex: h.value } : { exact: h.value }]));
  if (m.queryParams) match.queryParams = Object.fromEntries(m.queryParams.map((q: any) => [q.name, q.type === 'RegularExpression' ? { regex: q.value } : { exact: q.value }]));
  if (parentPort) match.port = parentPort;
  const filters: any[] = rule.filters ?? [];
  const backends: any[] = (rule.backendRefs ?? []).filter((b: any) => (b.kind ?? 'Service') === 'Service');
  const out: any = { name: `${route.name} rule ${index}`, match: Object.keys(match).length ? [match] : undefined };
  const redirect = filters.find((f) => f.type === 'RequestRedirect')?.requestRedirect;
  if (redirect) {
    out.redirect = { redirectCode: redirect.statusCode ?? 302, scheme: redirect.scheme, authority: redirect.hostname };
    return out;
  }
  // No backendRefs at all answers 404; backends whose weights add up to 0 answer 500
  // (pilot/pkg/config/kube/gateway/conversion.go convertHTTPRoute, weightSum; weight defaults to 1).
  const all: any[] = rule.backendRefs ?? [];
  if (all.length === 0) {
    out.directResponse = { status: 404 };
    return out;
  }
  if (all.reduce((sum, b) => sum + (b.weight ?? 1), 0) === 0 || backends.length === 0) {
    out.directResponse = { status: 500 };
    return out;
  }
  out.route = backends.map((b) => ({
    destination: { host: `${b.name}.${b.namespace ?? route.namespace}.${CLUSTER_DOMAIN}`, port: b.port ? { number: b.port } : undefined },
    weight: b.weight ?? 1,
  }));
  const mirrors = filters.filter((f) => f.type === 'RequestMirror').map((f) => f.requestMirror);
  if (mirrors.length > 0) {
    out.mirrors = mirrors.map((mi) => ({
      destination: { host: `${mi.backendRef.name}.${mi.backendRef.namespace ?? route.namespace}.${CLUSTER_DOMAIN}` },
      percentage: { value: mi.percent ?? (mi.fraction ? (100 * mi.fraction.numerator) / (mi.fraction.denominator ?? 100) : 100) },
    }));
  }
  const rewrite = filters.find((f) => f.type === 'URLRewrite')?.urlRewrite;
  if (rewrite) out.rewrite = rewrite;
  if (rule.timeouts?.request) out.timeout = rule.timeouts.request;
  return out;
}
