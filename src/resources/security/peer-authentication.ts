import { Construct } from 'constructs';
import { IstioApiVersion } from '../../api-versions';
import { checkRange, invalid } from '../../private/validate';
import { IstioResource, IstioResourceProps } from '../istio-resource';
import { WorkloadSelector } from '../workload-selector';

/** How a workload accepts connections from other workloads (`mtls.mode`). */
export enum MtlsMode {
  /** Mutual TLS required: plaintext is refused. The secure default. */
  STRICT = 'STRICT',
  /** Mutual TLS and plaintext both accepted: a migration state, not a destination. */
  PERMISSIVE = 'PERMISSIVE',
  /** Plaintext only: mutual TLS is off. */
  DISABLE = 'DISABLE',
  /** Inherit from the parent scope (namespace, then mesh). */
  UNSET = 'UNSET',
}

/** Properties of a PeerAuthentication. */
export interface PeerAuthenticationProps extends IstioResourceProps {
  /**
   * The mutual TLS mode for the selected workloads.
   * @default MtlsMode.STRICT - mutual TLS required
   */
  readonly mtls?: MtlsMode;
  /**
   * The workloads the policy applies to.
   * @default - every workload of the namespace (the whole mesh when in the root namespace)
   */
  readonly selector?: WorkloadSelector;
}

/**
 * `security.istio.io/v1` PeerAuthentication: whether workloads require mutual TLS.
 * STRICT unless you say otherwise; per-port exceptions read as exceptions:
 * `pa.addPortException(5432, MtlsMode.PERMISSIVE)`.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export class PeerAuthentication extends IstioResource {
  /** The mode for the selected workloads. */
  public readonly mtls: MtlsMode;
  private readonly selector?: WorkloadSelector;
  private readonly portModes = new Map<number, MtlsMode>();

  constructor(scope: Construct, id: string, props: PeerAuthenticationProps = {}) {
    super(scope, id, { apiVersion: IstioApiVersion.SECURITY, kind: 'PeerAuthentication' }, props);
    this.mtls = props.mtls ?? MtlsMode.STRICT;
    this.selector = props.selector;
  }

  /**
   * A different mode on one port of the selected workloads (Istio's `portLevelMtls`), for example
   * a legacy client that cannot do mutual TLS. Needs a selector: Istio ignores port-level
   * settings on namespace- or mesh-wide policies. The port is the workload's (container) port.
   */
  public addPortException(port: number, mode: MtlsMode): void {
    checkRange(this, 'port exception port', port, 1, 65535, true);
    if (!this.selector) {
      invalid(this, 'port exception', port, 'a port-level mode needs a workload selector (Istio ignores it on namespace- and mesh-wide policies); set `selector`');
    }
    if (this.portModes.has(port)) invalid(this, 'port exception', port, 'each port once');
    this.portModes.set(port, mode);
  }

  /** The modes set per port, by port. */
  public get portExceptions(): { [port: string]: MtlsMode } {
    return Object.fromEntries([...this.portModes].sort(([a], [b]) => a - b).map(([p, m]) => [String(p), m]));
  }

  protected renderSpec(): any {
    const ports = [...this.portModes].sort(([a], [b]) => a - b);
    return {
      selector: this.selector?._render(),
      mtls: { mode: this.mtls },
      portLevelMtls: ports.length > 0 ? Object.fromEntries(ports.map(([p, m]) => [String(p), { mode: m }])) : undefined,
    };
  }
}
