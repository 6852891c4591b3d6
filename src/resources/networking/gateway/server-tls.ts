import { invalid } from '../../../private/validate';

/** A TLS protocol version bound of a Gateway server. */
export enum TlsProtocolVersion {
  /** Envoy's default (TLS 1.2 minimum, TLS 1.3 maximum). */
  TLS_AUTO = 'TLS_AUTO',
  /** TLS 1.0 (needs explicit cipher suites as a minimum). */
  TLSV1_0 = 'TLSV1_0',
  /** TLS 1.1 (needs explicit cipher suites as a minimum). */
  TLSV1_1 = 'TLSV1_1',
  /** TLS 1.2 */
  TLSV1_2 = 'TLSV1_2',
  /** TLS 1.3 */
  TLSV1_3 = 'TLSV1_3',
}

const VERSION_ORDER = [TlsProtocolVersion.TLSV1_0, TlsProtocolVersion.TLSV1_1, TlsProtocolVersion.TLSV1_2, TlsProtocolVersion.TLSV1_3];

/** Options every terminating TLS mode takes. */
export interface ServerTlsOptions {
  /**
   * Lowest TLS version accepted.
   * @default TlsProtocolVersion.TLS_AUTO (TLS 1.2)
   */
  readonly minProtocolVersion?: TlsProtocolVersion;
  /**
   * Highest TLS version accepted.
   * @default TlsProtocolVersion.TLS_AUTO (TLS 1.3)
   */
  readonly maxProtocolVersion?: TlsProtocolVersion;
  /**
   * Cipher suites (OpenSSL names), in preference order.
   * @default - Envoy's defaults
   */
  readonly cipherSuites?: string[];
}

/** Options of a gateway-terminated TLS server whose certificate is a Kubernetes Secret. */
export interface TerminatedTlsOptions extends ServerTlsOptions {
  /**
   * The Secret (in the gateway's namespace) holding the server certificate and key (`tls.crt`,
   * `tls.key`), and for mutual TLS the client CA (`ca.crt`, or a `<name>-cacert` Secret).
   */
  readonly credentialName: string;
  /**
   * Client certificate subject alternative names accepted (mutual modes).
   * @default - any certificate the CA signed
   */
  readonly subjectAltNames?: string[];
}

/**
 * The TLS settings of an Istio Gateway server: which TLS mode the gateway runs on a port, and
 * where its certificate comes from. Certificates are Kubernetes Secrets (`credentialName`),
 * which the gateway reads through SDS: no file mounts.
 */
export class ServerTls {
  /**
   * An HTTP server that answers every request with a 301 to https (`httpsRedirect: true`).
   * Use it on the port-80 server beside an HTTPS one.
   */
  public static httpsRedirect(): ServerTls {
    return new ServerTls({ httpsRedirect: true }, 'REDIRECT');
  }

  /** The gateway terminates TLS with the certificate in `credentialName` (one-way TLS). */
  public static simple(options: TerminatedTlsOptions): ServerTls {
    return ServerTls.terminated('SIMPLE', 'ServerTls.simple', options);
  }

  /** The gateway terminates TLS and requires a client certificate signed by the credential's CA. */
  public static mutual(options: TerminatedTlsOptions): ServerTls {
    return ServerTls.terminated('MUTUAL', 'ServerTls.mutual', options);
  }

  /** Like `mutual`, but a client without a certificate is let through (verified when it has one). */
  public static optionalMutual(options: TerminatedTlsOptions): ServerTls {
    return ServerTls.terminated('OPTIONAL_MUTUAL', 'ServerTls.optionalMutual', options);
  }

  /**
   * The gateway terminates Istio mutual TLS with its own workload certificate: for traffic from
   * inside the mesh (an egress gateway's port, for example). No certificate to give.
   */
  public static istioMutual(options: ServerTlsOptions = {}): ServerTls {
    return new ServerTls({ mode: 'ISTIO_MUTUAL', ...ServerTls.common('ServerTls.istioMutual', options) }, 'ISTIO_MUTUAL');
  }

  /** The gateway does not terminate TLS: it routes by SNI to the destination (VirtualService `tls` routes). */
  public static passthrough(): ServerTls {
    return new ServerTls({ mode: 'PASSTHROUGH' }, 'PASSTHROUGH');
  }

  /**
   * SNI passthrough routed by the SNI Istio encodes (`outbound_.<port>_.<subset>_.<host>`), with
   * no VirtualService: the east-west gateway of a multi-network mesh (port 15443, hosts `*.local`).
   */
  public static autoPassthrough(): ServerTls {
    return new ServerTls({ mode: 'AUTO_PASSTHROUGH' }, 'AUTO_PASSTHROUGH');
  }

  private static terminated(mode: string, where: string, options: TerminatedTlsOptions): ServerTls {
    const credential = options.credentialName;
    if (typeof credential !== 'string' || credential.length === 0 || credential.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(credential)) {
      invalid(where, 'credentialName', credential, 'the name of a Secret in the gateway\'s namespace (RFC 1123 subdomain)');
    }
    if (options.subjectAltNames !== undefined && mode === 'SIMPLE') {
      invalid(where, 'subjectAltNames', options.subjectAltNames, 'client subject alternative names only with mutual TLS (no client certificate is asked for in SIMPLE mode)');
    }
    for (const san of options.subjectAltNames ?? []) {
      if (typeof san !== 'string' || san.length === 0) invalid(where, 'subjectAltNames', san, 'non-empty names');
    }
    return new ServerTls({
      mode,
      credentialName: credential,
      subjectAltNames: options.subjectAltNames ? [...options.subjectAltNames] : undefined,
      ...ServerTls.common(where, options),
    }, mode);
  }

  private static common(where: string, options: ServerTlsOptions): { [key: string]: unknown } {
    const min = options.minProtocolVersion;
    const max = options.maxProtocolVersion;
    const bounded = min && max && min !== TlsProtocolVersion.TLS_AUTO && max !== TlsProtocolVersion.TLS_AUTO;
    if (bounded && VERSION_ORDER.indexOf(min) > VERSION_ORDER.indexOf(max)) {
      invalid(where, 'minProtocolVersion', min, `at most maxProtocolVersion (${max})`);
    }
    if ((min === TlsProtocolVersion.TLSV1_0 || min === TlsProtocolVersion.TLSV1_1) && (options.cipherSuites ?? []).length === 0) {
      invalid(where, 'cipherSuites', options.cipherSuites, `cipher suites compatible with ${min}: Envoy's defaults no longer include any`);
    }
    const seen = new Set<string>();
    for (const suite of options.cipherSuites ?? []) {
      if (typeof suite !== 'string' || !/^[A-Z0-9_-]+$/.test(suite)) invalid(where, 'cipherSuites', suite, 'OpenSSL cipher suite names (e.g. ECDHE-RSA-AES256-GCM-SHA384)');
      if (seen.has(suite)) invalid(where, 'cipherSuites', suite, 'each cipher suite once');
      seen.add(suite);
    }
    return {
      minProtocolVersion: min,
      maxProtocolVersion: max,
      cipherSuites: options.cipherSuites ? [...options.cipherSuites] : undefined,
    };
  }

  private constructor(
    private readonly spec: { [key: string]: unknown },
    /** The TLS mode (`SIMPLE`, `MUTUAL`, ...), or `REDIRECT` for `httpsRedirect()`. */
    public readonly mode: string,
  ) {}

  /** Whether the gateway terminates TLS in this mode (a certificate is involved). */
  public get terminates(): boolean {
    return ['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL', 'ISTIO_MUTUAL'].includes(this.mode);
  }

  /** @internal */
  public _render(): any {
    return { ...this.spec };
  }
}
