import { RequestSource } from './request-source';

/** A validly signed JWT the request carries. */
export interface RequestToken {
  /** The token's `iss` claim, e.g. `https://auth.example.com`. */
  readonly issuer: string;
  /** The token's `sub` claim. */
  readonly subject: string;
  /** Other claims, for `when` conditions on `request.auth.claims[...]` (strings or lists of strings). */
  readonly claims?: { [claim: string]: string[] };
}

/** The transport a simulated request uses, when it cannot be read from the destination port. */
export enum RequestProtocol {
  /** HTTP/1.1 or HTTP/2 in plaintext (the proxy sees method, path and headers). */
  HTTP = 'http',
  /** TLS from the application (the proxy sees only the SNI). */
  TLS = 'tls',
  /** Opaque TCP. */
  TCP = 'tcp',
}

/** A request to simulate: who sends it, to where, and what it carries. */
export interface SimulatedRequest {
  /** Who sends it. */
  readonly from: RequestSource;
  /**
   * The host the client dials: a Service (`payments`, `payments.shop`, its FQDN), a ServiceEntry
   * host, or any external host. A short name resolves in the source's namespace.
   */
  readonly to: string;
  /**
   * The port the client dials.
   * @default the host's only port; 80 for HTTP, 443 for TLS when the host has several or none
   */
  readonly port?: number;
  /**
   * The transport.
   * @default read from the destination port (name prefix, `appProtocol`, ServiceEntry protocol); TLS when `sni` is set; else HTTP
   */
  readonly protocol?: RequestProtocol;
  /** @default 'GET' */
  readonly method?: string;
  /** Path with optional query, e.g. `/api/pay?x=1`. @default '/' */
  readonly path?: string;
  /** Request headers (names are case-insensitive). @default none */
  readonly headers?: { [name: string]: string };
  /** Cookies, sent as one `cookie` header. @default none */
  readonly cookies?: { [name: string]: string };
  /** The SNI of a TLS request. @default the host */
  readonly sni?: string;
  /** A validly signed token, or none. @default no token */
  readonly jwt?: RequestToken;
}
