import { ipBlockProblem } from '../../private/field-checks';
import { hostProblem } from '../../private/hosts';
import { checkRange, invalid } from '../../private/validate';

/** Options of `ExternalService.https`. */
export interface HttpsExternalServiceOptions {
  /**
   * The port the application connects to.
   * @default 443
   */
  readonly port?: number;
  /**
   * Accept a `*.` host, knowing what it matches: the name the application itself sends (SNI),
   * while the sidecar forwards the connection to whatever address the application dialled
   * (resolution NONE). Any address passes under a name that claims the domain (review H5).
   * @default false - wildcard hosts are refused
   */
  readonly insecureMatchOnClientName?: boolean;
}

/** Options of `ExternalService.http`. */
export interface HttpExternalServiceOptions {
  /**
   * The port the application sends plain HTTP to.
   * @default 80
   */
  readonly port?: number;
  /**
   * Have the mesh originate TLS: the application speaks HTTP, the sidecar (or the egress
   * gateway) opens TLS to the external host, with its name as SNI. Requests then carry their
   * HTTP attributes into the mesh (logs, metrics, policy) and still leave encrypted.
   * @default false
   */
  readonly originateTls?: boolean;
  /**
   * The external host's TLS port, when `originateTls` is set.
   * @default 443
   */
  readonly tlsPort?: number;
  /**
   * Accept a `*.` host, knowing what it matches: the name the application itself sends (SNI, or the Host header for plain HTTP),
   * while the sidecar forwards the connection to whatever address the application dialled
   * (resolution NONE). Any address passes under a name that claims the domain (review H5).
   * @default false - wildcard hosts are refused
   */
  readonly insecureMatchOnClientName?: boolean;
}

/** Options of `ExternalService.tcp`. */
export interface TcpExternalServiceOptions {
  /**
   * The IP addresses or CIDR blocks the host has. Istio tells TCP destinations apart by address
   * and port only (no SNI, no Host header), so a TCP destination needs them.
   */
  readonly addresses: string[];
}

/** What kind of traffic an external service takes. */
enum ExternalProtocol {
  HTTPS = 'https',
  HTTP = 'http',
  TCP = 'tcp',
}

/**
 * A host outside the mesh that workloads may reach: the application's protocol and port, and
 * whether the mesh originates TLS for it. Hosts are fully qualified DNS names; a leading `*.`
 * covers the subdomains (HTTPS, or HTTP without TLS origination; not through an egress gateway)
 * with `insecureMatchOnClientName`, as the match is then on the name the client sends.
 */
export class ExternalService {
  /** An HTTPS (or any TLS) API the application calls with TLS itself, routed by SNI, such as `api.stripe.com`. */
  public static https(host: string, options: HttpsExternalServiceOptions = {}): ExternalService {
    const where = 'ExternalService.https';
    checkHost(where, host, true, options.insecureMatchOnClientName);
    const port = checkRange(where, 'port', options.port ?? 443, 1, 65535, true);
    return new ExternalService(host, ExternalProtocol.HTTPS, port, false, undefined, []);
  }

  /** A host the application speaks plain HTTP to, optionally with TLS originated by the mesh. */
  public static http(host: string, options: HttpExternalServiceOptions = {}): ExternalService {
    const where = 'ExternalService.http';
    const originate = options.originateTls ?? false;
    checkHost(where, host, !originate, options.insecureMatchOnClientName);
    const port = checkRange(where, 'port', options.port ?? 80, 1, 65535, true);
    if (port === 443) {
      invalid(where, 'port', port, 'a plain-HTTP port: 443 carries TLS, which ExternalService.https declares; to have the mesh originate TLS, send HTTP to port 80 with originateTls');
    }
    if (!originate && options.tlsPort !== undefined) invalid(where, 'tlsPort', options.tlsPort, 'originateTls: true (the TLS port is where the mesh originates TLS to)');
    const tlsPort = originate ? checkRange(where, 'tlsPort', options.tlsPort ?? 443, 1, 65535, true) : undefined;
    if (tlsPort === port) invalid(where, 'tlsPort', tlsPort, `a port other than the plain-HTTP port ${port}`);
    return new ExternalService(host, ExternalProtocol.HTTP, port, originate, tlsPort, []);
  }

  /** A TCP service (a database) by host name, port and addresses. */
  public static tcp(host: string, port: number, options: TcpExternalServiceOptions): ExternalService {
    const where = 'ExternalService.tcp';
    checkHost(where, host, false);
    checkRange(where, 'port', port, 1, 65535, true);
    const addresses = options?.addresses ?? [];
    if (addresses.length === 0) {
      invalid(where, 'addresses', addresses, 'the IP addresses or CIDR blocks of the host: Istio tells TCP destinations apart by address and port only');
    }
    for (const a of addresses) {
      const problem = ipBlockProblem(a);
      if (problem) invalid(where, 'address', a, problem);
    }
    return new ExternalService(host, ExternalProtocol.TCP, port, false, undefined, [...addresses]);
  }

  private constructor(
    /** The host name. */
    public readonly host: string,
    /** `https`, `http` or `tcp`. */
    public readonly protocol: string,
    /** The port the application connects to. */
    public readonly port: number,
    /** Whether the mesh originates TLS. */
    public readonly originateTls: boolean,
    /** The external TLS port when the mesh originates TLS. */
    public readonly tlsPort: number | undefined,
    /** The addresses of a TCP service. */
    public readonly addresses: string[],
  ) {}

  /** Whether the host is a `*.` wildcard. */
  public get isWildcard(): boolean {
    return this.host.startsWith('*');
  }

  /** Whether another declaration of the same host asks for the same thing. @internal */
  public _sameAs(other: ExternalService): boolean {
    return this.protocol === other.protocol && this.port === other.port && this.originateTls === other.originateTls
      && this.tlsPort === other.tlsPort && this.addresses.join(',') === other.addresses.join(',');
  }

  /** The declaration as text, for messages. @internal */
  public _describe(): string {
    const origination = this.originateTls ? ` (TLS originated to ${this.tlsPort})` : '';
    return `${this.protocol.toUpperCase()} on port ${this.port}${origination}`;
  }
}

function checkHost(where: string, host: string, allowWildcard: boolean, matchOnClientName?: boolean): void {
  if (typeof host === 'string' && /^[0-9.]+$|:/.test(host)) invalid(where, 'host', host, 'a DNS name (give IP addresses to ExternalService.tcp as addresses)');
  if (host === '*') invalid(where, 'host', host, 'one domain; `*` would open egress to every host');
  const problem = hostProblem(host, { allowWildcard, allowShortName: false });
  if (problem) {
    const hint = host?.startsWith?.('*') && !allowWildcard ? 'a concrete host: TLS origination and TCP need one name to resolve' : problem;
    invalid(where, 'host', host, hint);
  }
  const wildcard = host.startsWith('*');
  if (wildcard && matchOnClientName !== true) {
    invalid(where, 'host', host, 'a concrete host, or insecureMatchOnClientName: true: a `*.` host matches the name the application sends (SNI or Host), '
      + 'and the sidecar forwards to whatever address the application dialled, so any address passes under a name that claims the domain');
  }
  if (!wildcard && matchOnClientName !== undefined) {
    invalid(where, 'insecureMatchOnClientName', matchOnClientName, 'no value for a concrete host: it is resolved by DNS, the flag is for `*.` hosts');
  }
}
