import { namespaceMtlsMode } from './destination-rule-checks';
import { finding } from './finding';
import { Analyzed, AnalysisInput } from './model';
import { AnalysisCode } from '../analysis-code';
import { AnalysisFinding, AnalysisLevel } from '../analysis-finding';

const policies = (model: AnalysisInput) => model.of('security.istio.io', 'AuthorizationPolicy');

function sources(ap: Analyzed): any[] {
  return (ap.json.spec?.rules ?? []).flatMap((r: any) => (r.from ?? []).map((f: any) => f.source ?? {}));
}

/** An ALLOW policy with an empty rule: `{}` matches every request, so the policy allows everything. */
export function allowEverything(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (const ap of policies(model)) {
    const action = ap.json.spec?.action ?? 'ALLOW';
    if (action !== 'ALLOW') continue;
    (ap.json.spec?.rules ?? []).forEach((r: any, i: number) => {
      if (r && Object.keys(r).length === 0) {
        out.push(finding(ap, AnalysisCode.CDK8S_ISTIO_ALLOW_ALL,
          `rules[${i}] is empty, and an empty rule matches every request: this policy allows all traffic to the workloads it selects`,
          'name the callers (from.source) or operations (to) the rule allows; suppress with a reason if allowing everything is meant'));
      }
    });
  }
  return out;
}

/** Request principals or `request.auth.*` conditions where no RequestAuthentication validates tokens. */
export function requestPrincipalsWithoutAuthentication(model: AnalysisInput): AnalysisFinding[] {
  const authns = model.of('security.istio.io', 'RequestAuthentication');
  const out: AnalysisFinding[] = [];
  for (const ap of policies(model)) {
    const ns = model.ns(ap);
    const usesTokens = sources(ap).some((s) => s.requestPrincipals || s.notRequestPrincipals)
      || (ap.json.spec?.rules ?? []).some((r: any) => (r.when ?? []).some((c: any) => String(c.key).startsWith('request.auth.')));
    if (!usesTokens) continue;
    // A mesh-wide policy (root namespace) is served by the RequestAuthentications of any namespace.
    const covered = authns.some((ra) => ns === model.rootNamespace || model.ns(ra) === ns || model.ns(ra) === model.rootNamespace);
    if (!covered) {
      out.push(finding(ap, AnalysisCode.CDK8S_ISTIO_NO_REQUEST_AUTHENTICATION,
        `the policy matches on request principals or request.auth claims, but no RequestAuthentication in ${ns} or ${model.rootNamespace} validates tokens: `
        + 'no request has a request principal, so ALLOW rules never match and notRequestPrincipals DENY rules deny everything',
        'add a RequestAuthentication (JwtRule) for the same workloads'));
    }
  }
  return out;
}

/** Principals or namespaces in a namespace that is not STRICT: plaintext callers carry no identity. */
export function identitiesWithoutMtls(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (const ap of policies(model)) {
    const ns = model.ns(ap);
    if (ns === model.rootNamespace) continue;
    const usesPeers = sources(ap).some((s) => s.principals || s.notPrincipals || s.namespaces || s.notNamespaces);
    if (!usesPeers) continue;
    const mode = namespaceMtlsMode(model, ns);
    if (mode !== 'STRICT') {
      out.push(finding(ap, AnalysisCode.CDK8S_ISTIO_IDENTITY_WITHOUT_MTLS,
        `the policy matches on principals or namespaces, but namespace ${ns} is ${mode}: plaintext callers have no identity, so ALLOW misses them and DENY lets them through`,
        `make ${ns} STRICT (a namespace PeerAuthentication, or the mesh's), as ZeroTrustNamespace does`));
    }
  }
  return out;
}

/** Principals that cannot match: another trust domain, or a service account the app does not define in a namespace where it defines them. */
export function unknownPrincipals(model: AnalysisInput): AnalysisFinding[] {
  const definedNamespaces = new Set([...model.serviceAccounts].map((s) => s.split('/')[0]));
  const out: AnalysisFinding[] = [];
  for (const ap of policies(model)) {
    for (const s of sources(ap)) {
      for (const p of [...(s.principals ?? []), ...(s.notPrincipals ?? [])] as string[]) {
        const m = /^([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(p);
        if (!m) continue;
        const [, td, ns, sa] = m;
        if (model.hasMeshConfig && !model.trustDomains.has(td) && td !== '*') {
          out.push(finding(ap, AnalysisCode.CDK8S_ISTIO_PRINCIPAL_TRUST_DOMAIN,
            `principal "${p}" is in trust domain ${td}, but the mesh's is ${model.trustDomain}: it matches no workload`,
            `write principals with the mesh's trust domain (Principal.fromServiceAccount with the Mesh), or add ${td} to trustDomainAliases`));
        } else if (!sa.includes('*') && definedNamespaces.has(ns) && !model.serviceAccounts.has(`${ns}/${sa}`)) {
          out.push(finding(ap, AnalysisCode.CDK8S_ISTIO_PRINCIPAL_UNKNOWN,
            `principal "${p}" names service account ${sa}, which namespace ${ns} does not define here`,
            'derive principals from the ServiceAccount objects (ZeroTrustCaller.serviceAccount), or fix the name'));
        }
      }
    }
  }
  return out;
}

/** IST0127: a policy whose selector matches no workload of its namespace (when the app defines workloads there). */
export function policiesMatchingNothing(model: AnalysisInput): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  const kinds = [['security.istio.io', 'AuthorizationPolicy'], ['security.istio.io', 'RequestAuthentication'], ['security.istio.io', 'PeerAuthentication']];
  for (const [group, kind] of kinds) {
    for (const p of model.of(group, kind)) {
      const ns = model.ns(p);
      const selector = p.json.spec?.selector?.matchLabels;
      if (!selector || ns === model.rootNamespace) continue;
      if (model.workloadsIn(ns).length === 0) continue;
      if (model.workloadsSelected(ns, selector).length === 0) {
        out.push(finding(p, AnalysisCode.IST0127, `No matching workloads for this resource with the following labels: ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',')}`,
          'select the workload by the labels of its pod template (WorkloadSelector.fromWorkload)'));
      }
    }
  }
  return out;
}

/**
 * IST0101 (namespace): source namespaces that name no namespace the app defines. Only when the app
 * defines namespaces at all, and not for the system namespaces; a warning, as namespaces can be
 * made elsewhere.
 */
export function unknownSourceNamespaces(model: AnalysisInput): AnalysisFinding[] {
  if (model.namespaceLabels.size === 0) return [];
  const known = new Set([...model.namespaceLabels.keys(), 'default', 'kube-system', 'istio-system', model.rootNamespace]);
  for (const o of model.objects) if (o.json.metadata?.namespace) known.add(o.json.metadata.namespace);
  const matches = (pattern: string) => pattern === '*' || [...known].some((ns) => (pattern.startsWith('*') ? ns.endsWith(pattern.slice(1))
    : pattern.endsWith('*') ? ns.startsWith(pattern.slice(0, -1)) : ns.toLowerCase() === pattern.toLowerCase()));
  const out: AnalysisFinding[] = [];
  for (const ap of policies(model)) {
    for (const s of sources(ap)) {
      for (const ns of [...(s.namespaces ?? []), ...(s.notNamespaces ?? [])] as string[]) {
        if (!matches(ns)) {
          // A warning, unlike IST0101's missing subsets and gateways: the namespace may be made elsewhere.
          out.push(finding(ap, AnalysisCode.IST0101, `Referenced namespace not found: "${ns}"`,
            'name a namespace that exists (ZeroTrustCaller.fromNamespace takes the Namespace object), or fix the spelling', AnalysisLevel.WARNING));
        }
      }
    }
  }
  return out;
}
