import { isIP } from 'node:net';
import { ServerTls } from './server-tls';
import { hostProblem } from '../../../private/hosts';
import { checkDnsLabel, isDnsLabel } from '../../../private/k8s-names';
import { checkRange, invalid } from '../../../private/validate';
import { PortProtocol } from '../port-protocol';

/** Options of a Gateway server. */
export interface GatewayServerOptions {
  /** The port the gateway listens on (1 to 65535). */
  readonly port: number;
  /** The protocol on the port. */
  readonly protocol: PortProtocol;
  /**
   * The hosts served, as Istio writes them: `host` or `namespace/host`, where the namespace part
   * (`*`, `.` or a namespace) says whose VirtualServices may bind (e.g. `bookinfo/*.example.com`).
   * `*` serves every host.
   */
  readonly hosts: string[];
  /**
   * A name for the port, unique in the Gateway.
   * @default - the protocol and port, lowercased: `http-80`, `https-443`
   */
  readonly name?: string;
  /**
   * TLS settings: required for HTTPS and TLS, `ServerTls.httpsRedirect()` only on HTTP.
   * @default - none (plain text)
   */
  readonly tls?: ServerTls;
  /**
   * An IP address (of the gateway pod) or `unix://` socket to bind to.
   * @default - every address
   */
  readonly bind?: string;
}

/** Options of an HTTP server (`GatewayServer.http`). */
export interface HttpServerOptions {
  /** The hosts served (see `GatewayServerOptions.hosts`). */
  readonly hosts: string[];
  /**
   * The port.
   * @default 80
   */
  readonly port?: number;
  /**
   * Whether the server answers with a redirect to https instead of routing.
   * @default false
   */
  readonly httpsRedirect?: boolean;
  /**
   * The port name.
   * @default "http-<port>"
   */
  readonly name?: string;
}

/** Options of a server whose gateway handles TLS (`GatewayServer.https`, `GatewayServer.tls`). */
export interface TlsServerOptions {
  /** The hosts served (see `GatewayServerOptions.hosts`). */
  readonly hosts: string[];
  /** The TLS mode and certificate. */
  readonly tls: ServerTls;
  /**
   * The port.
   * @default 443
   */
  readonly port?: number;
  /**
   * The port name.
   * @default "<protocol>-<port>"
   */
  readonly name?: string;
}

/**
 * One server of an Istio Gateway: a port, its protocol, the hosts it serves and its TLS. Checked
 * as Istio's webhook does (`validateServer`): HTTPS and TLS need TLS settings, plain HTTP takes
 * only `httpsRedirect`, other protocols none.
 */
export class GatewayServer {
  /** Plain HTTP (port 80 by default), optionally redirecting everything to https. */
  public static http(options: HttpServerOptions): GatewayServer {
    return GatewayServer.of({
      port: options.port ?? 80,
      protocol: PortProtocol.HTTP,
      hosts: options.hosts,
      name: options.name,
      tls: options.httpsRedirect ? ServerTls.httpsRedirect() : undefined,
    });
  }

  /** HTTPS terminated at the gateway (port 443 by default): `ServerTls.simple/mutual/optionalMutual`. */
  public static https(options: TlsServerOptions): GatewayServer {
    return GatewayServer.of({ port: options.port ?? 443, protocol: PortProtocol.HTTPS, hosts: options.hosts, name: options.name, tls: options.tls });
  }

  /**
   * TLS (port 443 by default): passed through by SNI (`ServerTls.passthrough/autoPassthrough`)
   * or terminated and forwarded as TCP (`ServerTls.istioMutual`, `simple`...).
   */
  public static tls(options: TlsServerOptions): GatewayServer {
    return GatewayServer.of({ port: options.port ?? 443, protocol: PortProtocol.TLS, hosts: options.hosts, name: options.name, tls: options.tls });
  }

  /** Any server. */
  public static of(options: GatewayServerOptions): GatewayServer {
    const where = 'GatewayServer.of';
    const bind = options.bind;
    const unix = bind?.startsWith('unix://') ?? false;
    if (unix) {
      if (options.port !== 0) invalid(where, 'port', options.port, 'port 0 with a unix:// bind');
      if (bind!.length <= 'unix://'.length) invalid(where, 'bind', bind, 'unix://<absolute path>');
    } else {
      checkRange(where, 'port', options.port, 1, 65535, true);
      if (bind !== undefined && isIP(bind) === 0) invalid(where, 'bind', bind, 'an IP address, or unix://<path>');
    }
    if (!Object.values(PortProtocol).includes(options.protocol)) {
      invalid(where, 'protocol', options.protocol, `one of ${Object.values(PortProtocol).join(', ')}`);
    }
    if (!Array.isArray(options.hosts) || options.hosts.length === 0) invalid(where, 'hosts', options.hosts, "at least one host ('*' for any)");
    const seen = new Set<string>();
    for (const host of options.hosts) {
      const problem = serverHostProblem(host);
      if (problem) invalid(where, 'hosts', host, problem);
      if (seen.has(host)) invalid(where, 'hosts', host, 'each host once');
      seen.add(host);
    }
    const name = options.name ?? `${options.protocol.toLowerCase()}-${options.port}`;
    checkDnsLabel(where, 'name', name, "a port name: lowercase letters, digits and '-' (an RFC 1123 label)");
    const tls = options.tls;
    const isTls = options.protocol === PortProtocol.HTTPS || options.protocol === PortProtocol.TLS;
    const isHttp = [PortProtocol.HTTP, PortProtocol.HTTP2, PortProtocol.GRPC, PortProtocol.GRPC_WEB].includes(options.protocol);
    if (isTls && (!tls || tls.mode === 'REDIRECT')) {
      invalid(where, 'tls', tls?.mode, `${options.protocol} needs TLS settings: ServerTls.simple/mutual/optionalMutual/istioMutual${options.protocol === PortProtocol.TLS ? '/passthrough/autoPassthrough' : ''}`);
    }
    if (!isTls && tls) {
      if (!isHttp || tls.mode !== 'REDIRECT') {
        invalid(where, 'tls', tls.mode, `no TLS settings on a ${options.protocol} port${isHttp ? ' (only ServerTls.httpsRedirect())' : ''}: use HTTPS or TLS to terminate or pass through TLS`);
      }
    }
    if (options.protocol === PortProtocol.HTTPS && tls && (tls.mode === 'PASSTHROUGH' || tls.mode === 'AUTO_PASSTHROUGH')) {
      invalid(where, 'tls', tls.mode, 'passthrough on a TLS server (protocol TLS): an HTTPS server terminates TLS');
    }
    return new GatewayServer(options.port, options.protocol, [...options.hosts], name, tls, bind);
  }

  private constructor(
    /** The port number. */
    public readonly port: number,
    /** The protocol. */
    public readonly protocol: PortProtocol,
    /** The hosts, as given. */
    public readonly hosts: string[],
    /** The port name. */
    public readonly name: string,
    /** The TLS settings, if any. */
    public readonly serverTls?: ServerTls,
    /** The bind address, if any. */
    public readonly bind?: string,
  ) {}

  /** @internal */
  public _render(): any {
    return {
      port: { number: this.port, name: this.name, protocol: this.protocol },
      hosts: [...this.hosts],
      tls: this.serverTls?._render(),
      bind: this.bind,
    };
  }
}

/** Why a server host (`[namespace/]host`) is invalid (webhook `ValidateNamespaceSlashWildcardHostname`). */
function serverHostProblem(entry: string): string | undefined {
  if (typeof entry !== 'string' || entry.length === 0) return 'a host must not be empty';
  const slash = entry.indexOf('/');
  if (slash >= 0) {
    const ns = entry.slice(0, slash);
    if (ns !== '*' && ns !== '.' && !isDnsLabel(ns)) return `the namespace part "${ns}" must be '*', '.' or a namespace name`;
    return hostProblem(entry.slice(slash + 1));
  }
  return hostProblem(entry);
}
