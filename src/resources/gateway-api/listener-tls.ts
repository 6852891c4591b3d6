import { ISecretRef } from '../../kubernetes/secret-ref';
import { checkKind, namespaceOf } from '../../private/kubernetes-refs';
import { invalid } from '../../private/validate';
import { checkNamespaceName, checkObjectRefName } from '../private/gateway-api-rules';

/** What a Gateway listener does with TLS (`tls.mode`). */
export enum ListenerTlsMode {
  /** The gateway terminates TLS with its own certificate and sees the plaintext request. */
  TERMINATE = 'Terminate',
  /** The gateway routes the still-encrypted stream by SNI; the backend terminates TLS. */
  PASSTHROUGH = 'Passthrough',
}

/**
 * A TLS certificate of a Gateway listener: a `kubernetes.io/tls` Secret (`certificateRefs[]`).
 * Istio reads Secrets only. A Secret in another namespace than the Gateway's needs a
 * ReferenceGrant in the Secret's namespace, or Istio refuses it.
 */
export class CertificateRef {
  /** The Secret `name`, in the Gateway's namespace unless `namespace` is given. */
  public static secret(name: string, namespace?: string): CertificateRef {
    checkObjectRefName('CertificateRef.secret', 'name', name);
    if (namespace !== undefined) checkNamespaceName('CertificateRef.secret', 'namespace', namespace);
    return new CertificateRef(name, namespace);
  }

  /** A cdk8s-plus Secret (created or imported): its name, and its namespace (else its chart's). */
  public static fromSecret(secret: ISecretRef): CertificateRef {
    checkKind(secret, 'Secret', 'CertificateRef.fromSecret');
    const namespace = tryNamespace(secret);
    return new CertificateRef(checkObjectRefName('CertificateRef.fromSecret', 'name', secret.name), namespace);
  }

  private constructor(
    /** The Secret's name. */
    public readonly name: string,
    /** The Secret's namespace, when it was given or known. */
    public readonly namespace?: string,
  ) {}

  /** @internal */
  public _render(gatewayNamespace?: string): { kind: string; name: string; namespace?: string } {
    const namespace = this.namespace !== undefined && this.namespace !== gatewayNamespace ? this.namespace : undefined;
    return { kind: 'Secret', name: this.name, namespace };
  }
}

function tryNamespace(secret: ISecretRef): string | undefined {
  try {
    return namespaceOf(secret as unknown as unknown, 'Secret');
  } catch {
    return undefined; // the Gateway's namespace then: the reference carries none
  }
}

/** Options of `ListenerTls.terminate()`. */
export interface TerminateTlsOptions {
  /**
   * Implementation-specific TLS options (`tls.options`), at most 16. Istio reads
   * `gateway.istio.io/tls-terminate-mode` (`MUTUAL` or `OPTIONAL_MUTUAL`, which also need a
   * client CA in the Gateway's `spec.tls.frontend`, not modelled here) and
   * `gateway.istio.io/tls-cipher-suites` (comma-separated). For Istio's own certificates use
   * `ListenerTls.istioMutual()` or `ListenerTls.istioSimple()`.
   * @default - none
   */
  readonly options?: { [key: string]: string };
}

/** Istio's listener TLS option for the termination mode. */
const TERMINATE_MODE_KEY = 'gateway.istio.io/tls-terminate-mode';

/**
 * TLS settings of a Gateway listener (`tls`): terminate with your certificates, terminate with
 * Istio's mesh certificates, or pass the encrypted stream through.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#listenertlsconfig
 */
export class ListenerTls {
  /**
   * Terminate TLS with one or two certificates (Istio takes at most two: an RSA and an ECDSA one).
   * For HTTPS and TLS listeners.
   */
  public static terminate(certificates: CertificateRef[], options: TerminateTlsOptions = {}): ListenerTls {
    const where = 'ListenerTls.terminate';
    if (!Array.isArray(certificates) || certificates.length === 0) {
      invalid(where, 'certificates', certificates, 'at least one certificate Secret (TLS termination needs a server certificate)');
    }
    if (certificates.length > 2) invalid(where, 'certificates', certificates.map((c) => c.name), 'at most 2 certificates (Istio serves one RSA and one ECDSA certificate)');
    return new ListenerTls(ListenerTlsMode.TERMINATE, [...certificates], checkOptions(where, options.options ?? {}));
  }

  /**
   * Terminate TLS with Istio's mesh (workload) certificates and require them from the client: the
   * form of an east-west gateway's HBONE listener (`gateway.istio.io/tls-terminate-mode: ISTIO_MUTUAL`).
   */
  public static istioMutual(): ListenerTls {
    return new ListenerTls(ListenerTlsMode.TERMINATE, [], { [TERMINATE_MODE_KEY]: 'ISTIO_MUTUAL' });
  }

  /**
   * Terminate TLS with Istio's built-in workload certificate, without requiring a client
   * certificate (`gateway.istio.io/tls-terminate-mode: ISTIO_SIMPLE`).
   */
  public static istioSimple(): ListenerTls {
    return new ListenerTls(ListenerTlsMode.TERMINATE, [], { [TERMINATE_MODE_KEY]: 'ISTIO_SIMPLE' });
  }

  /** Route the encrypted stream by SNI without terminating it (TLS listeners, with TLSRoutes). */
  public static passthrough(): ListenerTls {
    return new ListenerTls(ListenerTlsMode.PASSTHROUGH, [], {});
  }

  private constructor(
    /** Terminate or pass through. */
    public readonly mode: ListenerTlsMode,
    private readonly certificates: CertificateRef[],
    private readonly options: { [key: string]: string },
  ) {}

  /** The certificate Secrets (empty unless terminating with your own certificates). */
  public get certificateRefs(): CertificateRef[] {
    return [...this.certificates];
  }

  /** @internal */
  public _render(gatewayNamespace?: string): any {
    return {
      mode: this.mode,
      certificateRefs: this.certificates.length > 0 ? this.certificates.map((c) => c._render(gatewayNamespace)) : undefined,
      options: Object.keys(this.options).length > 0 ? { ...this.options } : undefined,
    };
  }
}

function checkOptions(where: string, options: { [key: string]: string }): { [key: string]: string } {
  const entries = Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length > 16) invalid(where, 'options', Object.keys(options), 'at most 16 options');
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > 253) invalid(where, 'option key', key, 'expected 1 to 253 characters');
    if (typeof value !== 'string' || value.length > 4096) invalid(where, `option "${key}" value`, value, 'at most 4096 characters');
  }
  const mode = options[TERMINATE_MODE_KEY];
  if (mode === 'ISTIO_SIMPLE' || mode === 'ISTIO_MUTUAL') {
    invalid(where, `option "${TERMINATE_MODE_KEY}"`, mode, `Istio ignores the certificates in this mode: use ListenerTls.${mode === 'ISTIO_SIMPLE' ? 'istioSimple' : 'istioMutual'}()`);
  }
  if (mode !== undefined && mode !== 'MUTUAL' && mode !== 'OPTIONAL_MUTUAL') {
    invalid(where, `option "${TERMINATE_MODE_KEY}"`, mode, 'MUTUAL or OPTIONAL_MUTUAL (Istio ignores other values)');
  }
  return Object.fromEntries(entries);
}
