import { finding } from './finding';
import { Analyzed, AnalysisInput, selects } from './model';
import { AnalysisCode } from '../analysis-code';
import { AnalysisFinding } from '../analysis-finding';

function selectorKey(g: Analyzed): string {
  const sel = g.json.spec?.selector ?? {};
  return Object.keys(sel).sort().map((k) => `${k}=${sel[k]}`).join(',');
}

/** IST0145: Gateways with the same selector and port, and a host (and bind) in common. */
export function conflictingGateways(model: AnalysisInput): AnalysisFinding[] {
  const bySelector = new Map<string, Analyzed[]>();
  for (const g of model.of('networking.istio.io', 'Gateway')) bySelector.set(selectorKey(g), [...(bySelector.get(selectorKey(g)) ?? []), g]);
  const out: AnalysisFinding[] = [];
  for (const gateways of bySelector.values()) out.push(...conflictsAmong(model, gateways));
  return out;
}

/** IST0145 among Gateways of one selector. */
function conflictsAmong(model: AnalysisInput, gateways: Analyzed[]): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (let i = 0; i < gateways.length; i++) {
    for (let j = 0; j < gateways.length; j++) {
      if (i === j) continue;
      for (const a of gateways[i].json.spec?.servers ?? []) {
        for (const b of gateways[j].json.spec?.servers ?? []) {
          if (a.port?.number !== b.port?.number || (a.bind ?? '') !== (b.bind ?? '')) continue;
          const common = (a.hosts ?? []).filter((h: string) => (b.hosts ?? []).includes(h));
          if (common.length === 0) continue;
          const other = `${model.ns(gateways[j])}/${gateways[j].json.metadata?.name}`;
          out.push(finding(gateways[i], AnalysisCode.IST0145,
            `Conflict with gateways ${other} (workload selector ${selectorKey(gateways[i]) || '<all>'}, port ${a.port.number}, hosts ${common.join(', ')}).`,
            'serve each host and port from one Gateway per gateway workload: Envoy keeps one of the conflicting servers'));
        }
      }
    }
  }
  return out;
}

/** IST0138: one certificate on servers of two Gateways whose workloads overlap. */
export function duplicateCertificates(model: AnalysisInput): AnalysisFinding[] {
  const gateways = model.of('networking.istio.io', 'Gateway');
  const out: AnalysisFinding[] = [];
  const certOf = (server: any): string | undefined => {
    const tls = server.tls;
    if (!tls) return undefined;
    if (tls.credentialName) return `credential:${tls.credentialName}`;
    return tls.serverCertificate && tls.privateKey ? `files:${tls.serverCertificate}|${tls.privateKey}` : undefined;
  };
  for (let i = 0; i < gateways.length; i++) {
    const g = gateways[i];
    for (let j = 0; j < gateways.length; j++) {
      if (i === j) continue;
      const h = gateways[j];
      // h's workloads are a subset of g's when h's selector has all of g's labels.
      if (!selects(g.json.spec?.selector, h.json.spec?.selector ?? {})) continue;
      const mine = new Set((g.json.spec?.servers ?? []).map(certOf).filter((c: string | undefined) => c));
      const shared = (h.json.spec?.servers ?? []).map(certOf).filter((c: string | undefined) => c && mine.has(c));
      if (shared.length > 0) {
        out.push(finding(g, AnalysisCode.IST0138,
          `Duplicate certificate in multiple gateways may cause 404s if HTTP2 connection reuse happens (with ${model.ns(h)}/${h.json.metadata?.name}: ${shared[0].replace(/^\w+:/, '')}).`,
          'give each Gateway its own certificate, or serve the hosts from one Gateway'));
      }
    }
  }
  return out;
}
