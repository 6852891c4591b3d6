import { BackendFilter } from './backend-filter';
import { IServiceRef } from '../../kubernetes/service-ref';
import { hostProblem } from '../../private/hosts';
import { checkKind, namespaceOf } from '../../private/kubernetes-refs';
import { checkRange, invalid } from '../../private/validate';
import { checkNamespaceName, checkObjectRefName, checkPort, checkServiceName } from '../private/gateway-api-rules';

/** Options every backend takes. */
export interface BackendRefOptions {
  /**
   * The backend's share of the rule's traffic, relative to the other backends' weights
   * (0 to 1000000; 0 sends it nothing). With weights 90 and 10, 90% and 10%.
   * @default 1 - backends without weights share traffic equally
   */
  readonly weight?: number;
  /**
   * Filters applied only to requests sent to this backend (Istio implements the request and
   * response header modifiers here, the only ones `BackendFilter` makes).
   * @default - none
   */
  readonly filters?: BackendFilter[];
}

/** Options of `BackendRef.fromService()`. */
export interface ServiceBackendRefOptions extends BackendRefOptions {
  /**
   * The Service port to send to; must be one the Service declares.
   * @default - the Service's only port (required when it has several)
   */
  readonly port?: number;
}

/** Options of `BackendRef.service()`. */
export interface NamedServiceBackendRefOptions extends BackendRefOptions {
  /**
   * The Service's namespace; another namespace than the route's needs a ReferenceGrant there.
   * @default - the route's namespace
   */
  readonly namespace?: string;
}

/** A backend of another kind, for `BackendRef.custom()`. */
export interface CustomBackendRefProps extends BackendRefOptions {
  /** The API group of the kind (`''` for the core group). */
  readonly group: string;
  /** The kind (e.g. `ServiceImport`). */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /**
   * The object's namespace.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * The port, when the kind has ports (required for a core-group Service).
   * @default - none
   */
  readonly port?: number;
}

const GROUP = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/**
 * Where an HTTPRoute rule sends requests (`backendRefs[]`), with an optional weight: a
 * Kubernetes Service (from cdk8s-plus, or by name and port), an Istio host (ServiceEntry), or
 * another kind.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref
 */
export class BackendRef {
  /** A cdk8s-plus Service: its name and namespace, and the port given (or its only port). */
  public static fromService(service: IServiceRef, options: ServiceBackendRefOptions = {}): BackendRef {
    checkKind(service, 'Service', 'BackendRef.fromService');
    const where = 'BackendRef.fromService';
    const ports = service.ports.map((p) => p.port);
    let port = options.port;
    if (port === undefined) {
      if (ports.length !== 1) {
        invalid(where, `Service "${service.name}" port`, undefined,
          ports.length === 0 ? 'the Service declares no port: give `port`' : `the Service has several ports (${ports.join(', ')}): choose one with \`port\``);
      }
      port = ports[0];
    } else if (ports.length > 0 && !ports.includes(port)) {
      invalid(where, `Service "${service.name}" port`, port, `one of the ports the Service declares (${ports.join(', ')})`);
    }
    return new BackendRef('', 'Service', checkServiceName(where, 'Service name', service.name), tryNamespace(service),
      checkPort(where, 'port', port), options, false);
  }

  /** A Service by name and port. */
  public static service(name: string, port: number, options: NamedServiceBackendRefOptions = {}): BackendRef {
    const where = 'BackendRef.service';
    checkServiceName(where, 'name', name);
    if (options.namespace !== undefined) checkNamespaceName(where, 'namespace', options.namespace);
    return new BackendRef('', 'Service', name, options.namespace, checkPort(where, 'port', port), options, true);
  }

  /**
   * A host Istio knows from its registry, typically a ServiceEntry host such as
   * `api.example.com` (Istio's `networking.istio.io/Hostname` kind; it takes no namespace).
   */
  public static hostname(host: string, port: number, options: BackendRefOptions = {}): BackendRef {
    const where = 'BackendRef.hostname';
    const problem = hostProblem(host, { allowWildcard: false });
    if (problem) invalid(where, 'host', host, problem);
    if (host.length > 253) invalid(where, 'host', host, 'at most 253 characters');
    return new BackendRef('networking.istio.io', 'Hostname', host, undefined, checkPort(where, 'port', port), options, true);
  }

  /** A backend of any kind, by group, kind and name. */
  public static custom(props: CustomBackendRefProps): BackendRef {
    const where = 'BackendRef.custom';
    if (typeof props.group !== 'string' || props.group.length > 253 || !GROUP.test(props.group)) invalid(where, 'group', props.group, "an API group ('' for core)");
    if (typeof props.kind !== 'string' || props.kind.length > 63 || !KIND.test(props.kind)) invalid(where, 'kind', props.kind, 'a kind name, like ServiceImport');
    checkObjectRefName(where, 'name', props.name);
    if (props.namespace !== undefined) checkNamespaceName(where, 'namespace', props.namespace);
    if (props.port !== undefined) checkPort(where, 'port', props.port);
    if (props.group === '' && props.kind === 'Service') {
      if (props.port === undefined) invalid(where, 'port', undefined, 'a reference to a Service needs a port');
      checkServiceName(where, 'name', props.name);
    }
    if (props.group === 'networking.istio.io' && props.kind === 'Hostname' && props.namespace !== undefined) {
      invalid(where, 'namespace', props.namespace, 'Istio takes no namespace with the Hostname kind');
    }
    return new BackendRef(props.group, props.kind, props.name, props.namespace, props.port, props, true);
  }

  /** The API group (`''` for Services). */
  public readonly group: string;
  /** The kind. */
  public readonly kind: string;
  /** The object's name. */
  public readonly name: string;
  /** The namespace, when given or known. */
  public readonly namespace?: string;
  /** The port, when the kind has one. */
  public readonly port?: number;
  /** The backend's share, when given. */
  public readonly weight?: number;
  private readonly filters: BackendFilter[];
  private readonly explicitNamespace: boolean;

  private constructor(group: string, kind: string, name: string, namespace: string | undefined, port: number | undefined,
    options: BackendRefOptions, explicitNamespace: boolean) {
    this.group = group;
    this.kind = kind;
    this.name = name;
    this.namespace = namespace;
    this.port = port;
    this.explicitNamespace = explicitNamespace;
    const where = `BackendRef ${name}`;
    if (options.weight !== undefined) this.weight = checkRange(where, 'weight', options.weight, 0, 1_000_000, true);
    this.filters = [...(options.filters ?? [])];
    if (this.filters.length > 16) invalid(where, 'filters', this.filters.map((f) => f.type), 'at most 16 filters');
    const types = new Set<string>();
    for (const f of this.filters) {
      if (types.has(f.type)) invalid(where, 'filter', f.type, 'each filter type once');
      types.add(f.type);
    }
  }

  /** @internal */
  public get _hasFilters(): boolean {
    return this.filters.length > 0;
  }

  /** @internal */
  public _render(routeNamespace?: string): any {
    const namespace = this.namespace !== undefined && (this.explicitNamespace || this.namespace !== routeNamespace) ? this.namespace : undefined;
    return {
      group: this.group === '' && this.kind === 'Service' ? undefined : this.group,
      kind: this.group === '' && this.kind === 'Service' ? undefined : this.kind,
      name: this.name,
      namespace,
      port: this.port,
      weight: this.weight,
      filters: this.filters.length > 0 ? this.filters.map((f) => f._render()) : undefined,
    };
  }
}

function tryNamespace(resource: unknown): string | undefined {
  try {
    return namespaceOf(resource, 'Service');
  } catch {
    return undefined; // the route's namespace then: the reference carries none
  }
}
