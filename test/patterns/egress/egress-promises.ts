/**
 * What an EgressPolicy promises, checked with the behaviour model: each promise returns the
 * requests that break it (empty = kept).
 */
import { MeshModel, RequestOutcome, RequestProtocol, RequestSource, SimulatedRequest, Verdict } from '../../../src';

export interface DeclaredHost {
  readonly host: string;
  readonly port: number;
  readonly protocol: 'https' | 'http' | 'tcp';
  /** The mesh originates TLS (http hosts). */
  readonly originateTls?: boolean;
  /** Callers: `<ns>/<serviceaccount>`, or `<ns>` for every pod of a namespace. */
  readonly callers: string[];
}

export interface EgressDeclarations {
  readonly hosts: DeclaredHost[];
  /** The egress gateway traffic must pass, `<ns>/<name>`, or none for direct egress. */
  readonly gateway?: string;
  /** The egress waypoint traffic must pass (ambient), `<ns>/<name>`. */
  readonly waypoint?: string;
  /** Identities to try that no declaration names (and whose namespace may still be a caller's). */
  readonly identities: string[];
  /** A namespace where a pod without a sidecar is tried (the bypass of review H2). */
  readonly bypassNamespace: string;
}

function source(caller: string): RequestSource {
  return caller.includes('/') ? RequestSource.parse(caller) : RequestSource.namespace(caller);
}

function request(h: DeclaredHost, from: RequestSource): SimulatedRequest {
  const protocol = h.protocol === 'https' ? RequestProtocol.TLS : h.protocol === 'tcp' ? RequestProtocol.TCP : RequestProtocol.HTTP;
  return { from, to: h.host, port: h.port, protocol, sni: h.protocol === 'https' ? h.host : undefined, path: '/v1/charges' };
}

function describe(req: SimulatedRequest, v: Verdict): string {
  return `${req.to}:${req.port} from ${req.from.toString()}: ${v.outcome} (${v.reason})`;
}

export class EgressPromises {
  constructor(private readonly model: MeshModel, private readonly d: EgressDeclarations) {}

  /** Each declared caller reaches each of its hosts, through the egress gateway when there is one. */
  public callersReachTheirHosts(): string[] {
    const broken: string[] = [];
    for (const h of this.d.hosts) {
      for (const c of h.callers) {
        const req = request(h, source(c));
        const v = this.model.request(req);
        if (!v.delivered || !v.destinations.every((x) => x.external)) broken.push(describe(req, v));
        else if (this.d.gateway && !v.trace.some((hop) => hop.at.startsWith(`gateway ${this.d.gateway}`))) broken.push(`not through ${this.d.gateway}: ${describe(req, v)}`);
        else if (this.d.waypoint && !v.trace.some((hop) => hop.at === `waypoint ${this.d.waypoint}`)) broken.push(`not through ${this.d.waypoint}: ${describe(req, v)}`);
      }
    }
    return broken;
  }

  /** Where the mesh originates TLS, the server certificate is checked against the host name. */
  public upstreamCertificatesVerified(): string[] {
    const broken: string[] = [];
    for (const h of this.d.hosts.filter((x) => x.originateTls)) {
      const req = request(h, source(h.callers[0]));
      const v = this.model.request(req);
      for (const dest of v.destinations.filter((x) => x.external)) {
        if (!dest.upstreamTls?.hostnameVerified) broken.push(`${h.host}: ${dest.upstreamTls?.reason ?? 'no TLS originated'}`);
      }
    }
    return broken;
  }

  /**
   * No identity a host's declaration leaves out reaches it, and nobody reaches an undeclared host
   * (in an ambient mesh: nobody in a namespace with callers, the ones its egress NetworkPolicy holds).
   */
  public othersRefused(): string[] {
    const broken: string[] = [];
    const undeclared: DeclaredHost = { host: 'exfiltrate.example.org', port: 443, protocol: 'https', callers: [] };
    const held = new Set(this.d.hosts.flatMap((x) => x.callers.map((c) => c.split('/')[0])));
    for (const h of [...this.d.hosts, undeclared]) {
      const everyone = [...this.d.identities, ...this.d.hosts.flatMap((x) => x.callers)];
      for (const id of [...new Set(everyone)]) {
        if (h === undeclared && this.d.waypoint && !held.has(id.split('/')[0])) continue;
        const named = h.callers.some((c) => c === id || (!c.includes('/') && id.startsWith(`${c}/`)));
        if (named) continue;
        const req = request(h, source(id));
        const v = this.model.request(req);
        if (v.delivered) broken.push(describe(req, v));
      }
    }
    return broken;
  }

  /**
   * A pod that escapes its sidecar (injection off) reaches no external host it could not reach
   * with one: through a gateway none (it has no identity to show there); direct, only the hosts
   * its whole namespace may reach.
   */
  public noBypass(): string[] {
    const broken: string[] = [];
    const undeclared: DeclaredHost = { host: 'exfiltrate.example.org', port: 443, protocol: 'https', callers: [] };
    for (const h of [...this.d.hosts, undeclared]) {
      if (!this.d.gateway && !this.d.waypoint && h.callers.includes(this.d.bypassNamespace)) continue;
      const req = request(h, RequestSource.workload(this.d.bypassNamespace, 'no-sidecar'));
      const v = this.model.request(req);
      // Dropped by the NetworkPolicy, not merely "not known to be delivered".
      if (v.outcome !== RequestOutcome.NETWORK_POLICY_DROPPED) broken.push(describe(req, v));
    }
    return broken;
  }
}

/** A Deployment `no-sidecar` in `namespace` that opts out of the mesh: of injection, and of ambient capture. */
export function podWithoutSidecar(namespace: string): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'no-sidecar', namespace },
    spec: {
      template: {
        metadata: { labels: { 'app': 'no-sidecar', 'istio.io/dataplane-mode': 'none' }, annotations: { 'sidecar.istio.io/inject': 'false' } },
        spec: { serviceAccountName: 'no-sidecar' },
      },
    },
  };
}
