import { finding } from './finding';
import { Analyzed, fqdn, hostsMatch, AnalysisInput, CLUSTER_DOMAIN } from './model';
import { AnalysisCode } from '../analysis-code';
import { AnalysisFinding } from '../analysis-finding';

interface RouteDestination {
  readonly host: string;
  readonly subset?: string;
  readonly port?: number;
  readonly field: string;
  readonly mirror: boolean;
}

/** Every destination of a VirtualService: routes of http/tcp/tls rules, mirrors. */
function destinations(vs: any): RouteDestination[] {
  const out: RouteDestination[] = [];
  for (const section of ['http', 'tcp', 'tls']) {
    (vs.spec?.[section] ?? []).forEach((rule: any, i: number) => {
      (rule.route ?? []).forEach((r: any, j: number) => {
        if (r.destination?.host) out.push({ ...dest(r.destination), field: `${section}[${i}].route[${j}]`, mirror: false });
      });
      if (rule.mirror?.host) out.push({ ...dest(rule.mirror), field: `${section}[${i}].mirror`, mirror: true });
      (rule.mirrors ?? []).forEach((m: any, j: number) => {
        if (m.destination?.host) out.push({ ...dest(m.destination), field: `${section}[${i}].mirrors[${j}]`, mirror: true });
      });
    });
  }
  return out;
}

function dest(d: any): { host: string; subset?: string; port?: number } {
  return { host: d.host, subset: d.subset, port: d.port?.number };
}

/** IST0101: a destination subset no DestinationRule for that host defines. */
export function undefinedSubsets(model: AnalysisInput): AnalysisFinding[] {
  const defined = new Set<string>();
  for (const dr of model.of('networking.istio.io', 'DestinationRule')) {
    const host = fqdn(model.ns(dr), dr.json.spec?.host ?? '');
    for (const s of dr.json.spec?.subsets ?? []) defined.add(`${host}#${s.name}`);
  }
  const out: AnalysisFinding[] = [];
  for (const vs of model.of('networking.istio.io', 'VirtualService')) {
    for (const d of destinations(vs.json)) {
      if (!d.subset) continue;
      const host = fqdn(model.ns(vs), d.host);
      if (defined.has(`${host}#${d.subset}`)) continue;
      out.push(finding(vs, AnalysisCode.IST0101,
        `Referenced ${d.mirror ? 'mirror' : 'host'}+subset in destinationrule not found: "${d.host}+${d.subset}" (${d.field})`,
        `define subset "${d.subset}" in a DestinationRule for ${host}, or route to an existing subset; requests to it fail with 503 (NR)`));
    }
  }
  return out;
}

/** IST0101 (gateway not found) and IST0132 (no VirtualService host served by the gateway). */
export function gatewayReferences(model: AnalysisInput): AnalysisFinding[] {
  const gateways = new Map<string, Analyzed>();
  for (const g of model.of('networking.istio.io', 'Gateway')) gateways.set(`${model.ns(g)}/${g.json.metadata?.name}`, g);
  const k8sGateways = new Set(model.of('gateway.networking.k8s.io', 'Gateway').map((g) => `${model.ns(g)}/${g.json.metadata?.name}`));
  const out: AnalysisFinding[] = [];
  for (const vs of model.of('networking.istio.io', 'VirtualService')) {
    const ns = model.ns(vs);
    const hosts: string[] = vs.json.spec?.hosts ?? [];
    for (const ref of vs.json.spec?.gateways ?? []) {
      if (ref === 'mesh') continue;
      const key = ref.includes('/') ? ref : `${ns}/${ref}`;
      const gw = gateways.get(key);
      if (!gw) {
        if (k8sGateways.has(key)) continue;
        out.push(finding(vs, AnalysisCode.IST0101, `Referenced gateway not found: "${ref}"`,
          `define the Gateway ${key} (e.g. mesh.ingressGateway()), or bind the VirtualService to one that exists; its routes are not applied`));
        continue;
      }
      const gwNs = model.ns(gw);
      const served: string[] = [];
      for (const server of gw.json.spec?.servers ?? []) {
        for (const h of server.hosts ?? []) {
          const slash = h.indexOf('/');
          if (slash < 0) {served.push(h);} else {
            const hostNs = h.slice(0, slash) === '.' ? gwNs : h.slice(0, slash);
            if (hostNs === '*' || hostNs === ns) served.push(h.slice(slash + 1));
          }
        }
      }
      if (!hosts.some((h) => served.some((s) => hostsMatch(s, h)))) {
        out.push(finding(vs, AnalysisCode.IST0132,
          `one or more host [${hosts.join(', ')}] defined in VirtualService ${ns}/${vs.json.metadata?.name} not found in Gateway ${key}.`,
          `add the host to a server of ${key} (its hosts: ${[...new Set(served)].join(', ') || 'none for this namespace'}), or fix the VirtualService hosts`));
      }
    }
  }
  return out;
}

/** IST0109: two mesh-bound VirtualServices for one host in one export scope. */
export function conflictingMeshHosts(model: AnalysisInput): AnalysisFinding[] {
  const byKey = new Map<string, Analyzed[]>();
  for (const vs of model.of('networking.istio.io', 'VirtualService')) {
    const gateways: string[] = vs.json.spec?.gateways ?? [];
    if (gateways.length > 0 && !gateways.includes('mesh')) continue;
    const ns = model.ns(vs);
    const exportTo: string[] = vs.json.spec?.exportTo ?? [];
    const scope = exportTo.length === 0 || exportTo.includes('*') ? '*' : [...exportTo].map((e) => (e === '.' ? ns : e)).sort().join(',');
    for (const h of vs.json.spec?.hosts ?? []) {
      const key = `${scope}/${fqdn(ns, h)}`;
      const list = byKey.get(key) ?? [];
      if (!list.includes(vs)) list.push(vs);
      byKey.set(key, list);
    }
  }
  const out: AnalysisFinding[] = [];
  for (const [key, list] of byKey) {
    if (list.length < 2) continue;
    const names = list.map((v) => `${model.ns(v)}/${v.json.metadata?.name}`).join(', ');
    for (const vs of list) {
      out.push(finding(vs, AnalysisCode.IST0109,
        `The VirtualServices ${names} associated with mesh gateway define the same host ${key.slice(key.indexOf('/') + 1)} which can lead to undefined behavior.`,
        'merge the routes into one VirtualService per host (sidecars do not merge VirtualServices), or give them disjoint exportTo'));
    }
  }
  return out;
}

/** IST0112: a destination without a port, to a service with several. */
export function destinationPorts(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (const vs of model.of('networking.istio.io', 'VirtualService')) {
    const ns = model.ns(vs);
    for (const d of destinations(vs.json)) {
      const svc = model.lookup(ns, fqdn(ns, d.host));
      if (!svc) continue;
      if (d.port === undefined && svc.ports.length > 1) {
        out.push(finding(vs, AnalysisCode.IST0112,
          `This VirtualService has destination "${d.host}" (${d.field}) without a port, and the service has several ports (${svc.ports.map((p) => p.port).join(', ')})`,
          'set the destination port'));
      } else if (d.port !== undefined && svc.ports.length > 0 && !svc.ports.some((p) => p.port === d.port)
        // Entries of the same host exported elsewhere (a port only a gateway sees) count too.
        && !(model.hosts.get(fqdn(ns, d.host)) ?? []).some((h) => h.ports.some((p) => p.port === d.port))) {
        out.push(finding(vs, AnalysisCode.IST0101, `Referenced host:port not found: "${d.host}:${d.port}" (${d.field})`,
          `use one of the ports the service declares (${svc.ports.map((p) => p.port).join(', ')})`));
      }
    }
  }
  return out;
}

/** IST0130 / IST0131: rules after a catch-all, and matches repeated from earlier rules. */
export function unreachableRules(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (const vs of model.of('networking.istio.io', 'VirtualService')) {
    for (const section of ['http', 'tcp', 'tls']) {
      const rules: any[] = vs.json.spec?.[section] ?? [];
      let catchAll = -1;
      const seen = new Map<string, number>();
      rules.forEach((rule, i) => {
        const matches: any[] = rule.match ?? [];
        if (catchAll >= 0) {
          out.push(finding(vs, AnalysisCode.IST0130,
            `VirtualService rule #${i}${rule.name ? ` ${rule.name}` : ''} not used (${section}: ${matches.length === 0 ? 'only the last rule can have no matches' : `route without matches defined before, at #${catchAll}`}).`,
            'move the rule without matches last: rules are tried in order and it takes every request'));
        }
        if (matches.length === 0) {
          if (catchAll < 0) catchAll = i;
          return;
        }
        let duplicates = 0;
        matches.forEach((m, j) => {
          const { name: _name, ...rest } = m;
          const key = JSON.stringify(sortKeys(rest));
          const earlier = seen.get(key);
          if (earlier !== undefined) {
            duplicates++;
            out.push(finding(vs, AnalysisCode.IST0131, `VirtualService rule #${i} match #${j} is not used (duplicate/overlapping match in rule #${earlier}).`,
              'remove the match, or make it more specific than the earlier one'));
          } else {seen.set(key, i);}
        });
        if (duplicates === matches.length && catchAll < 0) {
          out.push(finding(vs, AnalysisCode.IST0130, `VirtualService rule #${i} not used (all matches used by prior rules).`, 'remove the rule or change its matches'));
        }
      });
    }
  }
  return out;
}

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/** Weighted destinations whose weights do not total 100: valid (relative), rarely meant. */
export function routeWeights(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (const vs of model.of('networking.istio.io', 'VirtualService')) {
    for (const section of ['http', 'tcp', 'tls']) {
      (vs.json.spec?.[section] ?? []).forEach((rule: any, i: number) => {
        const route: any[] = rule.route ?? [];
        if (route.length < 2) return;
        const total = route.reduce((sum, r) => sum + (r.weight ?? 0), 0);
        if (total !== 100) {
          out.push(finding(vs, AnalysisCode.CDK8S_ISTIO_WEIGHTS,
            `${section}[${i}] route weights total ${total}, not 100 (Istio reads them as relative shares: ${route.map((r) => r.weight ?? 0).join('/')})`,
            'give the weights as percentages that total 100, so the split reads as meant'));
        }
      });
    }
  }
  return out;
}

/** Under REGISTRY_ONLY, a route to an external host that no ServiceEntry registers goes to the BlackHole cluster. */
export function unregisteredExternalHosts(model: AnalysisInput): AnalysisFinding[] {
  if (model.meshConfig.outboundTrafficPolicy?.mode !== 'REGISTRY_ONLY') return [];
  const out: AnalysisFinding[] = [];
  for (const vs of model.of('networking.istio.io', 'VirtualService')) {
    const ns = model.ns(vs);
    // Like Istio's IST0101 (analyzers/util/service_lookup.go GetDestinationHost at 1.30.3): with an
    // exportTo, the host must be visible in one of the namespaces the VirtualService is exported to.
    const exportTo: string[] = vs.json.spec?.exportTo ?? [];
    const scopes = exportTo.length === 0 ? [ns] : [...new Set(exportTo.filter((e) => e !== '*').map((e) => (e === '.' ? ns : e)))];
    for (const d of destinations(vs.json)) {
      const host = fqdn(ns, d.host);
      if (host.endsWith(`.${CLUSTER_DOMAIN}`) || model.lookup(ns, host) || scopes.some((n) => model.lookup(n, host))) continue;
      out.push(finding(vs, AnalysisCode.CDK8S_ISTIO_UNREGISTERED_HOST,
        `destination "${d.host}" (${d.field}) is outside the cluster and no ServiceEntry visible to namespace ${ns} registers it, while the mesh is REGISTRY_ONLY: requests go to the BlackHole cluster (502)`,
        'declare the host with a ServiceEntry exported to this namespace (EgressPolicy.allow does it)'));
    }
  }
  return out;
}

/** IST0149: routing on JWT claims at a gateway whose pods no RequestAuthentication covers. */
export function claimRoutingWithoutAuthentication(model: AnalysisInput): AnalysisFinding[] {
  const gateways = new Map<string, Analyzed>();
  for (const g of model.of('networking.istio.io', 'Gateway')) gateways.set(`${model.ns(g)}/${g.json.metadata?.name}`, g);
  const authns = model.of('security.istio.io', 'RequestAuthentication');
  const out: AnalysisFinding[] = [];
  const claimKey = (k: string) => /^@request\.auth\.claims(\.|\[)/i.test(k);
  for (const vs of model.of('networking.istio.io', 'VirtualService')) {
    const usesClaims = (vs.json.spec?.http ?? []).some((r: any) => (r.match ?? []).some((m: any) =>
      Object.keys({ ...(m.headers ?? {}), ...(m.withoutHeaders ?? {}) }).some(claimKey)));
    if (!usesClaims) continue;
    for (const ref of vs.json.spec?.gateways ?? []) {
      if (ref === 'mesh') continue;
      const gw = gateways.get(ref.includes('/') ? ref : `${model.ns(vs)}/${ref}`);
      if (!gw) continue;
      const gwNs = model.ns(gw);
      const selector = gw.json.spec?.selector ?? {};
      const covered = authns.some((ra) => {
        const raNs = model.ns(ra);
        if (raNs !== gwNs && raNs !== model.rootNamespace) return false;
        const raSelector = ra.json.spec?.selector?.matchLabels;
        return !raSelector || Object.entries(raSelector).every(([k, v]) => selector[k] === v);
      });
      if (!covered) {
        out.push(finding(vs, AnalysisCode.IST0149,
          `This route uses JWT claims (@request.auth.claims) on gateway ${ref}, but no RequestAuthentication applies to the gateway's pods: the claims are never set.`,
          `add a RequestAuthentication in ${gwNs} (or ${model.rootNamespace}) selecting the gateway's pods`));
      }
    }
  }
  return out;
}
