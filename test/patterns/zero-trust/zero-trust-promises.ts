/**
 * What a ZeroTrustNamespace promises, checked with the behaviour model: each promise is a
 * function from the model and the declarations to the requests that break it (empty = kept).
 */
import { MeshModel, RequestOutcome, RequestSource, SimulatedRequest, Verdict } from '../../../src';

/**
 * Who a declaration lets in: a ServiceAccount, every pod of a namespace, anyone with a token of
 * an issuer (end users), or a ServiceAccount only with such a token (`withToken`).
 */
export type DeclaredCaller =
  | { readonly serviceAccount: string; readonly namespace: string; readonly issuer?: undefined }
  | { readonly namespace: string; readonly serviceAccount?: undefined; readonly issuer?: undefined }
  | { readonly issuer: string; readonly namespace?: undefined; readonly serviceAccount?: undefined }
  | { readonly serviceAccount: string; readonly namespace: string; readonly issuer: string };

/** End users: anyone with a token of the issuer. */
function anyoneWithToken(c: DeclaredCaller): boolean {
  return c.issuer !== undefined && c.namespace === undefined;
}

export interface DeclaredAllow {
  readonly workload: string;
  readonly callers: DeclaredCaller[];
  readonly methods?: string[];
  readonly paths?: string[];
}

export interface ZeroTrustDeclarations {
  /** The ZeroTrustNamespace's namespace. */
  readonly namespace: string;
  /** Its workloads, each behind a Service of the same name (port 80). */
  readonly workloads: string[];
  readonly allows: DeclaredAllow[];
  /** `requireJwt` calls. */
  readonly jwt: Array<{ readonly workload: string; readonly issuer: string; readonly exemptPaths: string[] }>;
  /** Identities to try besides the declared ones: `<ns>/<serviceaccount>`. */
  readonly identities: string[];
  /** The identity end users' requests arrive with (the ingress gateway's): `<ns>/<serviceaccount>`. */
  readonly endUsersVia: string;
}

const SUBJECT = 'alice';
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** A path a declared path pattern admits: `/a/*` → `/a/x`, `/a*` → `/ab`, exact as is. */
export function samplePath(pattern: string): string {
  if (pattern.endsWith('/*')) return `${pattern.slice(0, -1)}x`;
  if (pattern.endsWith('*')) return `${pattern.slice(0, -1)}x`;
  return pattern;
}

function callerSource(c: DeclaredCaller, endUsersVia: string): RequestSource {
  if (anyoneWithToken(c)) return RequestSource.parse(endUsersVia);
  return c.serviceAccount ? RequestSource.serviceAccount(c.namespace!, c.serviceAccount) : RequestSource.namespace(c.namespace!);
}

function describe(req: SimulatedRequest, v: Verdict): string {
  return `${req.method ?? 'GET'} ${req.to}${req.path ?? '/'} from ${req.from.toString()}${req.jwt ? ' with a token' : ''}: ${v.outcome} (${v.reason})`;
}

export class ZeroTrustPromises {
  constructor(private readonly model: MeshModel, private readonly d: ZeroTrustDeclarations) {}

  private host(workload: string): string {
    return `${workload}.${this.d.namespace}`;
  }

  private issuerOf(workload: string): string | undefined {
    return this.d.jwt.find((j) => j.workload === workload)?.issuer;
  }

  private send(req: SimulatedRequest): Verdict {
    return this.model.request(req);
  }

  /** Every declared caller reaches its workload with each declared method on each declared path. */
  public declaredAllowsDelivered(): string[] {
    const broken: string[] = [];
    for (const a of this.d.allows) {
      for (const c of a.callers) {
        const issuer = c.issuer ?? this.issuerOf(a.workload);
        for (const method of a.methods ?? ['GET']) {
          for (const path of (a.paths ?? ['/']).map(samplePath)) {
            const jwt = issuer ? { issuer, subject: SUBJECT } : undefined;
            const req: SimulatedRequest = { from: callerSource(c, this.d.endUsersVia), to: this.host(a.workload), method, path, jwt };
            const v = this.send(req);
            if (!v.delivered) broken.push(describe(req, v));
          }
        }
      }
    }
    return broken;
  }

  /** A declared caller is refused every method and path no allow of the workload grants it. */
  public undeclaredOperationsDenied(): string[] {
    const broken: string[] = [];
    const same = (x: DeclaredCaller, y: DeclaredCaller) => JSON.stringify(x) === JSON.stringify(y);
    const pathMatches = (pattern: string, path: string) => (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path);
    for (const w of this.d.workloads) {
      const rules = this.d.allows.filter((a) => a.workload === w);
      const exempt = this.d.jwt.find((j) => j.workload === w)?.exemptPaths ?? [];
      // What the request carries decides: the identity it arrives with, and its token.
      const granted = (c: DeclaredCaller, token: string | undefined, method: string, path: string) => {
        const [ns, sa] = anyoneWithToken(c) ? this.d.endUsersVia.split('/') : [c.namespace!, c.serviceAccount ?? 'default'];
        const names = (y: DeclaredCaller) => (anyoneWithToken(y) ? y.issuer === token
          : y.namespace === ns && (y.serviceAccount ?? sa) === sa && (y.issuer === undefined || y.issuer === token));
        const operation = (r: DeclaredAllow) => (!r.methods || r.methods.includes(method)) && (!r.paths || r.paths.some((p) => pathMatches(p, path)));
        return rules.some((r) => r.callers.some(names) && operation(r));
      };
      const paths = ['/not-declared/x', ...rules.flatMap((r) => (r.paths ?? []).map(samplePath))];
      const callers = rules.flatMap((r) => r.callers);
      for (const c of callers.filter((x, i) => callers.findIndex((y) => same(y, x)) === i)) {
        const issuer = c.issuer ?? this.issuerOf(w);
        for (const method of METHODS) {
          for (const path of paths) {
            if (granted(c, issuer, method, path) || exempt.some((e) => pathMatches(e, path))) continue;
            const jwt = issuer ? { issuer, subject: SUBJECT } : undefined;
            const req: SimulatedRequest = { from: callerSource(c, this.d.endUsersVia), to: this.host(w), method, path, jwt };
            const v = this.send(req);
            if (v.delivered) broken.push(describe(req, v));
          }
        }
      }
    }
    return broken;
  }

  /**
   * Every identity no allow names is refused by every workload, with or without a token of an
   * issuer the workload accepts (unless some allow admits anyone with that token); an identity
   * named only with a token is refused without one.
   */
  public otherIdentitiesDenied(): string[] {
    const broken: string[] = [];
    for (const w of this.d.workloads) {
      const callers = this.d.allows.filter((a) => a.workload === w).flatMap((a) => a.callers);
      const issuers = [...new Set(callers.flatMap((c) => (c.issuer ? [c.issuer] : [])))];
      for (const id of this.d.identities) {
        const [ns, sa] = id.split('/');
        const naming = callers.filter((c) => !anyoneWithToken(c) && c.namespace === ns && (c.serviceAccount ?? sa) === sa);
        // Unnamed: refused without a token, and with one no allow admits from anyone. Named only with a token: refused without one.
        const closed = issuers.filter((i) => !callers.some((c) => anyoneWithToken(c) && c.issuer === i));
        const tokenOnly = naming.length > 0 && naming.every((c) => c.issuer !== undefined);
        const tries: Array<string | undefined> = naming.length === 0 ? [undefined, ...closed] : tokenOnly ? [undefined] : [];
        for (const issuer of tries) {
          const jwt = issuer ? { issuer, subject: SUBJECT } : undefined;
          const req: SimulatedRequest = { from: RequestSource.serviceAccount(ns, sa), to: this.host(w), jwt };
          const v = this.send(req);
          if (v.delivered) broken.push(describe(req, v));
        }
      }
    }
    return broken;
  }

  /** Plaintext from outside the mesh reaches no workload. */
  public outsideRefused(): string[] {
    const broken: string[] = [];
    for (const w of this.d.workloads) {
      const req: SimulatedRequest = { from: RequestSource.outside(), to: this.host(w) };
      const v = this.send(req);
      if (v.delivered) broken.push(describe(req, v));
    }
    return broken;
  }

  /** A workload that requires a token refuses a declared caller without one, except on its exempt paths. */
  public tokensRequired(): string[] {
    const broken: string[] = [];
    for (const j of this.d.jwt) {
      for (const a of this.d.allows.filter((x) => x.workload === j.workload)) {
        for (const c of a.callers.filter((x) => x.issuer === undefined)) {
          const method = (a.methods ?? ['GET'])[0];
          const path = samplePath((a.paths ?? ['/api'])[0]);
          const refused: SimulatedRequest = { from: callerSource(c, this.d.endUsersVia), to: this.host(j.workload), method, path };
          const v = this.send(refused);
          if (v.delivered && !j.exemptPaths.map(samplePath).includes(path)) broken.push(describe(refused, v));
          for (const exempt of j.exemptPaths) {
            const health: SimulatedRequest = { from: callerSource(c, this.d.endUsersVia), to: this.host(j.workload), method: 'GET', path: samplePath(exempt) };
            const h = this.send(health);
            if (!h.delivered) broken.push(`exempt path refused: ${describe(health, h)}`);
          }
        }
      }
    }
    return broken;
  }

  /**
   * Nothing leaves the cluster from the namespace except through the mesh: neither its workloads
   * nor `escaped` (a pod of the namespace without a sidecar, review H2) reach an external host.
   */
  public nothingLeaves(escaped: RequestSource): string[] {
    const broken: string[] = [];
    const sources = [escaped, ...this.d.workloads.map((w) => RequestSource.workload(this.d.namespace, w))];
    for (const from of sources) {
      for (const req of [{ from, to: 'exfiltrate.example.org', port: 443, sni: 'exfiltrate.example.org' }, { from, to: 'exfiltrate.example.org', port: 80 }]) {
        const v = this.send(req);
        // Refused for certain: the pod without a proxy by the NetworkPolicy, the others by it or their proxy.
        const refused = from === escaped ? v.outcome === RequestOutcome.NETWORK_POLICY_DROPPED
          : !v.delivered && v.outcome !== RequestOutcome.UNDECIDABLE;
        if (!refused) broken.push(describe(req, v));
      }
    }
    return broken;
  }

  /** The mesh's Prometheus (a workload without a sidecar) scrapes every workload's proxy on 15020 and 15090. */
  public proxiesScraped(scraper: RequestSource): string[] {
    const broken: string[] = [];
    for (const w of this.d.workloads) {
      for (const port of [15020, 15090]) {
        const req: SimulatedRequest = { from: scraper, to: this.host(w), port, path: port === 15020 ? '/stats/prometheus' : '/stats' };
        const v = this.send(req);
        if (!v.delivered) broken.push(`port ${port}: ${describe(req, v)}`);
      }
    }
    return broken;
  }
}

/** The cluster's Prometheus: a pod of `monitoring` without a sidecar, scraping plaintext (Istio's Prometheus integration). */
export const prometheus = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring', labels: { 'istio-injection': 'enabled' } } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'prometheus', namespace: 'monitoring' },
    spec: { template: { metadata: { labels: { app: 'prometheus' }, annotations: { 'sidecar.istio.io/inject': 'false' } }, spec: { serviceAccountName: 'prometheus' } } },
  },
];
export const scraper = RequestSource.workload('monitoring', 'prometheus');
