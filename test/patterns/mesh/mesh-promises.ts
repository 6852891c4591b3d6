/**
 * What a Mesh promises, read from the manifests and checked with the behaviour model: each
 * public host of its ingress Gateways is served over HTTPS and redirected from HTTP, and
 * mesh-wide STRICT refuses plaintext at every workload with a proxy.
 */
import { MeshModel, RequestOutcome, RequestProtocol, RequestSource } from '../../../src';

/** The ingress gateways' public hosts, `[<gateway ns>/<deployment>, host]`, from the Gateways the Mesh writes. */
export function publicHosts(docs: any[]): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  const operators = docs.filter((d) => d.kind === 'IstioOperator');
  for (const gw of docs.filter((d) => d.kind === 'Gateway' && String(d.apiVersion).startsWith('networking.istio.io/'))) {
    const selector = gw.spec?.selector ?? {};
    for (const op of operators) {
      const ns = op.spec?.values?.global?.istioNamespace ?? op.metadata?.namespace ?? 'istio-system';
      for (const g of op.spec?.components?.ingressGateways ?? [{ name: 'istio-ingressgateway' }]) {
        const labels = g.label ?? { istio: 'ingressgateway' };
        if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) continue;
        for (const s of gw.spec?.servers ?? []) {
          if (s.port?.protocol !== 'HTTPS') continue;
          for (const h of s.hosts ?? []) out.push([g.namespace ?? ns, g.name ?? 'istio-ingressgateway', h.includes('/') ? h.split('/')[1] : h]);
        }
      }
    }
  }
  return out;
}

export class MeshPromises {
  constructor(private readonly model: MeshModel, private readonly docs: any[]) {}

  /** Port 443 accepts TLS for each public host, and port 80 answers it with a redirect (301). */
  public httpsServedAndHttpRedirected(): string[] {
    const broken: string[] = [];
    for (const [ns, gateway, host] of publicHosts(this.docs)) {
      const from = RequestSource.ingressGateway(ns, gateway);
      const plain = this.model.request({ from, to: host, port: 80, protocol: RequestProtocol.HTTP });
      if (plain.outcome !== RequestOutcome.ANSWERED_BY_PROXY || plain.status !== 301) broken.push(`http://${host}: ${plain.outcome} ${plain.status} (${plain.reason})`);
      const tls = this.model.request({ from, to: host, port: 443, protocol: RequestProtocol.TLS, sni: host });
      if (tls.outcome === RequestOutcome.CONNECTION_RESET || tls.outcome === RequestOutcome.UNDECIDABLE) broken.push(`https://${host}: ${tls.outcome} (${tls.reason})`);
    }
    return broken;
  }

  /** Plaintext from outside the mesh is refused by every Service whose pods have a proxy. */
  public strictEverywhere(): string[] {
    const broken: string[] = [];
    for (const svc of this.docs.filter((d) => d.kind === 'Service' && d.spec?.selector)) {
      const host = `${svc.metadata.name}.${svc.metadata.namespace ?? 'default'}`;
      for (const p of svc.spec.ports ?? []) {
        const v = this.model.request({ from: RequestSource.outside(), to: host, port: p.port });
        const noProxy = v.trace.some((h) => h.at.startsWith('pod ')) || v.outcome === RequestOutcome.UNDECIDABLE || v.destinations.length === 0;
        if (v.delivered && !noProxy && !/uncaptured/.test(v.reason)) broken.push(`${host}:${p.port}: ${v.reason}`);
      }
    }
    return broken;
  }
}
