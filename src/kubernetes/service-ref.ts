import { IConstruct } from 'constructs';
import { IObjectMetadataRef } from './object-metadata-ref';
import { forwardingRef } from '../private/construct-refs';
import { checkDnsLabel } from '../private/k8s-names';
import { invalid } from '../private/validate';

/** A port of a Service. */
export interface ServicePortRef {
  /** The port number clients address. */
  readonly port: number;
  /**
   * The port's name (Istio reads the protocol from a `http-`, `grpc-`, `tcp-`... prefix).
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The container port it forwards to.
   * @default - the same as `port`
   */
  readonly targetPort?: number;
}

/**
 * A Kubernetes Service: its name, namespace and ports. A cdk8s-plus Service of any major
 * satisfies it, and so does `ServiceRef.of()`.
 */
export interface IServiceRef {
  /** The Service's name. */
  readonly name: string;
  /** Its metadata (the namespace is read from it, else from its chart). */
  readonly metadata: IObjectMetadataRef;
  /** Its ports. */
  readonly ports: ServicePortRef[];
}

/** Options of `ServiceRef.of()`. */
export interface ServiceRefOptions {
  /**
   * The Service's ports, when the constructs using it should check a port against them or pick
   * its only port.
   * @default - not known: the routes must name their port where one is needed
   */
  readonly ports?: ServicePortRef[];
  /**
   * Labels the Service carries where it is defined, for constructs that need a label on it (an
   * ambient ZeroTrustNamespace checks `istio.io/use-waypoint` on a Service with L7 rules).
   * @default - none known
   */
  readonly labels?: { [key: string]: string };
}

/** A Service by name and namespace, defined outside this app; or a Service construct, as a reference. */
export class ServiceRef implements IServiceRef {
  /**
   * A cdk8s-plus Service (any major) as an `IServiceRef`, for Java, C# and Go, where the object
   * is not one by its type. Every member is read from the object when it is read, so it is the
   * same as giving the object itself (which TypeScript and Python do).
   */
  public static fromConstruct(service: IConstruct): IServiceRef {
    return forwardingRef<IServiceRef>('ServiceRef.fromConstruct', service, ['name', 'metadata', 'ports'], [], 'a cdk8s-plus Service');
  }

  /** The Service `name` in `namespace`. */
  public static of(namespace: string, name: string, options: ServiceRefOptions = {}): ServiceRef {
    const where = 'ServiceRef.of';
    checkDnsLabel(where, 'namespace', namespace, 'a namespace name (RFC 1123 label)');
    // Service names are RFC 1035 labels: they start with a letter (apimachinery IsDNS1035Label).
    if (typeof name !== 'string' || name.length > 63 || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      invalid(where, 'name', name, 'a Service name (RFC 1035 label: lowercase letters, digits and \'-\', starting with a letter)');
    }
    const ports = [...(options.ports ?? [])];
    for (const p of ports) {
      if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) invalid(where, 'port', p?.port, 'a port number from 1 to 65535');
    }
    const labels = options.labels ? { ...options.labels } : undefined;
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (typeof k !== 'string' || k.length === 0 || typeof v !== 'string') invalid(where, 'labels', { [k]: v }, 'label keys and values as strings');
    }
    return new ServiceRef(name, { namespace, toJson: () => ({ name, namespace, labels: labels ? { ...labels } : undefined }) }, ports);
  }

  private constructor(
    /** The Service's name. */
    public readonly name: string,
    /** Its metadata. */
    public readonly metadata: IObjectMetadataRef,
    /** Its ports, when given. */
    public readonly ports: ServicePortRef[],
  ) {}
}
