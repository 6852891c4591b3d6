import { isDnsLabel, isDnsSubdomain } from '../../../private/k8s-names';
import { invalid } from '../../../private/validate';
import { ServiceHost } from '../service-host';

/** A VirtualService a rule can delegate to: what the delegation reads of it. */
export interface IVirtualServiceRef {
  /** The VirtualService's `metadata.name`. */
  readonly name: string;
  /** Its namespace, when known. */
  readonly namespace?: string;
  /** Its hosts (a delegate has none). */
  readonly hosts: ServiceHost[];
}

/**
 * The VirtualService an HTTP rule delegates to (`delegate`): a VirtualService without hosts
 * whose HTTP rules take over the traffic the delegating rule matched. Lets a platform team own
 * the host and hand paths to application teams.
 */
export class VirtualServiceDelegate {
  /** A VirtualService made in this app (it must have no hosts). */
  public static fromVirtualService(virtualService: IVirtualServiceRef): VirtualServiceDelegate {
    return new VirtualServiceDelegate(virtualService.name, virtualService.namespace, virtualService);
  }

  /** A VirtualService by name, and namespace (default: the delegating VirtualService's). */
  public static of(name: string, namespace?: string): VirtualServiceDelegate {
    if (!isDnsSubdomain(name)) {
      invalid('VirtualServiceDelegate.of', 'name', name, 'an object name (RFC 1123 subdomain)');
    }
    if (namespace !== undefined && !isDnsLabel(namespace)) {
      invalid('VirtualServiceDelegate.of', 'namespace', namespace, 'a namespace name (RFC 1123 label)');
    }
    return new VirtualServiceDelegate(name, namespace);
  }

  private constructor(
    /** Name of the delegate. */
    public readonly name: string,
    /** Namespace of the delegate, when given. */
    public readonly namespace?: string,
    /** @internal */
    public readonly _target?: IVirtualServiceRef,
  ) {}

  /** @internal */
  public _render(): { name: string; namespace?: string } {
    return { name: this.name, namespace: this.namespace };
  }
}
