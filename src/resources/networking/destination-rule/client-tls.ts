import { invalid } from '../../../private/validate';

/** How a client sidecar or gateway secures connections to the upstream (`tls.mode`). */
export enum ClientTlsMode {
  /** Plaintext: no TLS towards the upstream. */
  DISABLE = 'DISABLE',
  /** TLS origination: the proxy verifies the server (one-way TLS). */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS with certificates you provide. */
  MUTUAL = 'MUTUAL',
  /** Mutual TLS with the certificates Istio issues to the workload: the in-mesh form. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/** Options of `ClientTls.istioMutual()`. */
export interface IstioMutualTlsOptions {
  /**
   * SNI to present to the server during the TLS handshake.
   * @default - the SNI Istio derives for the destination cluster
   */
  readonly sni?: string;
  /**
   * Alternate names the server certificate must carry (overrides the service accounts Istio
   * would otherwise verify).
   * @default - the identities Istio knows for the service
   */
  readonly subjectAltNames?: string[];
}

/** Options shared by `ClientTls.simple()` and `ClientTls.mutual()`. */
export interface ClientTlsOriginationOptions {
  /**
   * SNI to present to the server during the TLS handshake. Set it for external hosts behind a
   * shared front end (CDNs, SaaS APIs), which route by SNI.
   * @default - none (Istio may set it from the host with auto-SNI)
   */
  readonly sni?: string;
  /**
   * Names the server certificate must carry. Required with `sni`: an explicit SNI turns off
   * Istio's automatic check of the certificate against the request's host, and without names the
   * proxy would accept any certificate a trusted CA issued, for any name
   * (pilot/pkg/networking/core/cluster_tls.go `setAutoSniAndAutoSanValidation` at 1.30.3).
   * @default - without `sni`: the certificate is checked against the request's host (auto-SAN)
   */
  readonly subjectAltNames?: string[];
  /**
   * Accept a server certificate for any name, as long as a trusted CA issued it: `sni` without
   * `subjectAltNames`. Anyone with a publicly trusted certificate for any domain, on the path to
   * the host, can then impersonate it. Only for a host whose name is checked elsewhere (for
   * example by the `subjectAltNames` of its ServiceEntry, which Istio uses when the rule has none).
   * @default false - `sni` needs `subjectAltNames`
   */
  readonly insecureSkipHostnameVerification?: boolean;
  /**
   * Path (in the proxy) of the CA certificates to verify the server certificate with. Cannot be
   * combined with `credentialName`, whose secret carries the CA.
   * @default - the proxy's system trust store (istioctl's IST0128 warns that no CA is configured)
   */
  readonly caCertificates?: string;
  /**
   * Path (in the proxy) of a certificate revocation list. Cannot be combined with `credentialName`.
   * @default - no revocation list
   */
  readonly caCrl?: string;
  /**
   * Skip verifying the server certificate's CA signature and SAN. This turns TLS into
   * encryption without authentication (anyone on the path can impersonate the server), so it
   * is off unless you ask, and it cannot be combined with a CA or subject alternative names.
   * @default false - the server certificate is verified
   */
  readonly insecureSkipVerify?: boolean;
}

/** Options of `ClientTls.simple()`. */
export interface SimpleTlsOptions extends ClientTlsOriginationOptions {
  /**
   * Name of a secret (in the namespace of the proxy that uses it) holding the CA certificate
   * to verify the server with (`cacert`/`ca.crt` key), or a `configmap://<namespace>/<name>`
   * reference to a ConfigMap in the DestinationRule's namespace.
   * @default - no secret: the CA comes from `caCertificates` or the system trust store
   */
  readonly credentialName?: string;
}

/** Options of `ClientTls.mutual()`: a secret (`credentialName`) or files (`clientCertificate` + `privateKey`). */
export interface MutualTlsOptions extends ClientTlsOriginationOptions {
  /**
   * Name of a secret (in the namespace of the proxy that uses it) holding the client
   * certificate, key and CA. Excludes `clientCertificate`, `privateKey`, `caCertificates`, `caCrl`.
   * @default - the certificate and key come from `clientCertificate` and `privateKey`
   */
  readonly credentialName?: string;
  /**
   * Path (in the proxy) of the client certificate. Required with `privateKey` when there is no `credentialName`.
   * @default - none (`credentialName` must be set)
   */
  readonly clientCertificate?: string;
  /**
   * Path (in the proxy) of the client private key. Required with `clientCertificate` when there is no `credentialName`.
   * @default - none (`credentialName` must be set)
   */
  readonly privateKey?: string;
}

const CONFIGMAP_PREFIX = 'configmap://';

/**
 * TLS a client proxy uses towards an upstream (a DestinationRule's `tls`): Istio's
 * `ClientTLSSettings`, one factory per mode.
 *
 * In the mesh, leave `tls` out: auto mTLS already sends ISTIO_MUTUAL to every workload with a
 * sidecar, and plaintext to the rest. Set `ClientTls.istioMutual()` only to force it (for
 * example towards a host auto mTLS cannot see), `simple()`/`mutual()` to originate TLS to
 * external services, and `disable()` only for servers that do not take TLS.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings
 */
export class ClientTls {
  /**
   * Plaintext towards the upstream. Against a workload whose PeerAuthentication is STRICT the
   * connections fail: use it only for servers outside the mesh that do not take TLS.
   */
  public static disable(): ClientTls {
    return new ClientTls(ClientTlsMode.DISABLE, { mode: ClientTlsMode.DISABLE });
  }

  /**
   * Mutual TLS with Istio's own workload certificates. It carries no certificate, key, CA or
   * credential by construction: Istio provides them.
   */
  public static istioMutual(options: IstioMutualTlsOptions = {}): ClientTls {
    const where = 'ClientTls.istioMutual';
    return new ClientTls(ClientTlsMode.ISTIO_MUTUAL, {
      mode: ClientTlsMode.ISTIO_MUTUAL,
      sni: text(where, 'sni', options.sni),
      subjectAltNames: names(where, options.subjectAltNames),
    });
  }

  /**
   * TLS origination: the proxy opens TLS to the upstream and verifies its certificate (against
   * `credentialName`'s CA, `caCertificates`, or the system trust store).
   */
  public static simple(options: SimpleTlsOptions = {}): ClientTls {
    const where = 'ClientTls.simple';
    const wire = origination(where, ClientTlsMode.SIMPLE, options);
    if (options.insecureSkipVerify && wire.credentialName !== undefined) {
      invalid(where, 'credentialName', wire.credentialName, 'a CA secret verifies the server, which insecureSkipVerify turns off: set one or the other');
    }
    return new ClientTls(ClientTlsMode.SIMPLE, wire);
  }

  /** Mutual TLS with a client certificate you provide: from a secret (`credentialName`) or from files. */
  public static mutual(options: MutualTlsOptions): ClientTls {
    const where = 'ClientTls.mutual';
    const wire = origination(where, ClientTlsMode.MUTUAL, options ?? {});
    wire.clientCertificate = text(where, 'clientCertificate', options.clientCertificate);
    wire.privateKey = text(where, 'privateKey', options.privateKey);
    if (wire.credentialName !== undefined) {
      if (wire.clientCertificate !== undefined || wire.privateKey !== undefined) {
        invalid(where, 'credentialName', wire.credentialName, 'the secret carries the client certificate and key: leave out clientCertificate and privateKey');
      }
    } else {
      if (wire.clientCertificate === undefined) invalid(where, 'clientCertificate', undefined, 'mutual TLS needs a client certificate: set clientCertificate and privateKey, or credentialName');
      if (wire.privateKey === undefined) invalid(where, 'privateKey', undefined, 'mutual TLS needs a private key: set clientCertificate and privateKey, or credentialName');
    }
    return new ClientTls(ClientTlsMode.MUTUAL, wire);
  }

  private constructor(
    /** The TLS mode. */
    public readonly mode: ClientTlsMode,
    private readonly wire: { [key: string]: any },
  ) {}

  /** The `credentialName`, when one is set. */
  public get credentialName(): string | undefined {
    return this.wire.credentialName;
  }

  /** @internal */
  public _render(): { [key: string]: any } {
    const out: { [key: string]: any } = {};
    for (const [k, v] of Object.entries(this.wire)) {
      if (v !== undefined) out[k] = Array.isArray(v) ? [...v] : v;
    }
    return out;
  }
}

function origination(where: string, mode: ClientTlsMode, options: SimpleTlsOptions & MutualTlsOptions): { [key: string]: any } {
  const credentialName = text(where, 'credentialName', options.credentialName);
  const caCertificates = text(where, 'caCertificates', options.caCertificates);
  const caCrl = text(where, 'caCrl', options.caCrl);
  const subjectAltNames = names(where, options.subjectAltNames);
  if (credentialName !== undefined) {
    if (credentialName.startsWith(CONFIGMAP_PREFIX)) {
      const [ns, name, ...rest] = credentialName.slice(CONFIGMAP_PREFIX.length).split('/');
      if (!ns || !name || rest.length > 0) invalid(where, 'credentialName', credentialName, 'a ConfigMap reference is "configmap://<namespace>/<name>"');
    }
    if (caCertificates !== undefined || caCrl !== undefined) {
      invalid(where, 'credentialName', credentialName, 'the secret carries the CA (and CRL): leave out caCertificates and caCrl');
    }
  }
  if (options.insecureSkipVerify) {
    if (caCertificates !== undefined) invalid(where, 'caCertificates', caCertificates, 'a CA verifies the server, which insecureSkipVerify turns off: set one or the other');
    if (subjectAltNames !== undefined) invalid(where, 'subjectAltNames', subjectAltNames, 'names are verified, which insecureSkipVerify turns off: set one or the other');
  }
  const sni = text(where, 'sni', options.sni);
  if (options.insecureSkipHostnameVerification) {
    if (options.insecureSkipVerify) {
      invalid(where, 'insecureSkipHostnameVerification', true, 'insecureSkipVerify already skips every check of the server: set one or the other');
    }
    if (subjectAltNames !== undefined) {
      invalid(where, 'insecureSkipHostnameVerification', true, 'subjectAltNames verify the hostname, which insecureSkipHostnameVerification gives up: set one or the other');
    }
    if (sni === undefined) {
      invalid(where, 'insecureSkipHostnameVerification', true, 'an explicit sni (without sni Istio always checks the certificate against the request\'s host)');
    }
  } else if (sni !== undefined && subjectAltNames === undefined && !options.insecureSkipVerify) {
    // An explicit SNI turns off auto-SAN validation: only the chain would be checked (cluster_tls.go at 1.30.3).
    invalid(where, 'sni', sni, `sni with subjectAltNames (e.g. subjectAltNames: ["${sni}"]), or no sni (Istio then sends the request's host as SNI and checks `
      + 'the certificate against it); an explicit sni without names leaves the certificate\'s hostname unchecked '
      + '(insecureSkipHostnameVerification: true accepts that)');
  }
  return {
    mode,
    credentialName,
    caCertificates,
    caCrl,
    sni,
    subjectAltNames,
    insecureSkipVerify: options.insecureSkipVerify ? true : undefined,
  };
}

function text(where: string, field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim().length === 0) invalid(where, field, value, 'a non-empty string (leave the option out instead)');
  return value;
}

function names(where: string, values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  if (values.length === 0) invalid(where, 'subjectAltNames', values, 'at least one name (leave the option out instead)');
  values.forEach((v) => text(where, 'subject alternative name', v));
  return [...values];
}
