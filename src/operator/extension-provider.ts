import { Duration } from 'cdk8s';
import { renderDuration } from '../private/duration';
import { hostProblem } from '../private/hosts';
import { isDnsLabel } from '../private/k8s-names';
import { checkRange, invalid } from '../private/validate';

/** Where an extension provider sends to: a service in the cluster and its port. */
export interface ProviderEndpoint {
  /**
   * The service, as an FQDN (`jaeger-collector.istio-system.svc.cluster.local`) or
   * `namespace/host`.
   */
  readonly service: string;
  /** The port. */
  readonly port: number;
}

/** Options of an OpenTelemetry tracing provider. */
export interface OpenTelemetryTracingOptions extends ProviderEndpoint {
  /**
   * The longest tag value recorded.
   * @default 256
   */
  readonly maxTagLength?: number;
}

/** Options of an external authorization provider over HTTP. */
export interface ExtAuthzHttpOptions extends ProviderEndpoint {
  /**
   * The time the proxy waits for the authorizer.
   * @default Duration.millis(600)
   */
  readonly timeout?: Duration;
  /**
   * Request headers sent to the authorizer.
   * @default - Authorization, Cookie, and the ones Envoy always sends
   */
  readonly includeRequestHeadersInCheck?: string[];
  /**
   * Authorizer response headers forwarded to the backend when allowed.
   * @default - none
   */
  readonly headersToUpstreamOnAllow?: string[];
  /**
   * Whether requests are allowed when the authorizer cannot be reached. Off by default: failing
   * closed is the secure choice.
   * @default false
   */
  readonly failOpen?: boolean;
}

/** Options of an external authorization provider over gRPC. */
export interface ExtAuthzGrpcOptions extends ProviderEndpoint {
  /**
   * The time the proxy waits for the authorizer.
   * @default Duration.millis(600)
   */
  readonly timeout?: Duration;
  /**
   * Whether requests are allowed when the authorizer cannot be reached.
   * @default false
   */
  readonly failOpen?: boolean;
}

/**
 * A named integration the mesh can send telemetry to or call for authorization
 * (`meshConfig.extensionProviders[]`), referred to by name from Telemetry resources and
 * CUSTOM AuthorizationPolicies.
 */
export class ExtensionProvider {
  /** Istio's standard metrics for Prometheus to scrape. */
  public static prometheus(name: string = 'prometheus'): ExtensionProvider {
    return new ExtensionProvider(checkName('ExtensionProvider.prometheus', name), 'prometheus', {});
  }

  /** Traces to a Zipkin-compatible collector (Zipkin, Jaeger's Zipkin receiver). */
  public static zipkin(name: string, endpoint: ProviderEndpoint): ExtensionProvider {
    const where = 'ExtensionProvider.zipkin';
    return new ExtensionProvider(checkName(where, name), 'zipkin', renderEndpoint(where, endpoint));
  }

  /** Traces over OTLP/gRPC to an OpenTelemetry collector (or Jaeger's OTLP receiver, port 4317). */
  public static openTelemetry(name: string, options: OpenTelemetryTracingOptions): ExtensionProvider {
    const where = 'ExtensionProvider.openTelemetry';
    if (options.maxTagLength !== undefined) checkRange(where, 'maxTagLength', options.maxTagLength, 1, 2147483647, true);
    return new ExtensionProvider(checkName(where, name), 'opentelemetry', { ...renderEndpoint(where, options), maxTagLength: options.maxTagLength });
  }

  /** Envoy access logs to a file (`/dev/stdout` by default), text or JSON. */
  public static envoyFileAccessLog(name: string, path: string = '/dev/stdout', format?: string): ExtensionProvider {
    const where = 'ExtensionProvider.envoyFileAccessLog';
    if (typeof path !== 'string' || !path.startsWith('/')) invalid(where, 'path', path, 'an absolute file path such as /dev/stdout');
    return new ExtensionProvider(checkName(where, name), 'envoyFileAccessLog', { path, logFormat: format === undefined ? undefined : { text: format } });
  }

  /** External authorization over HTTP (CUSTOM AuthorizationPolicies name it). */
  public static envoyExtAuthzHttp(name: string, options: ExtAuthzHttpOptions): ExtensionProvider {
    const where = 'ExtensionProvider.envoyExtAuthzHttp';
    return new ExtensionProvider(checkName(where, name), 'envoyExtAuthzHttp', {
      ...renderEndpoint(where, options),
      timeout: options.timeout ? renderDuration(where, 'timeout', options.timeout) : undefined,
      includeRequestHeadersInCheck: options.includeRequestHeadersInCheck,
      headersToUpstreamOnAllow: options.headersToUpstreamOnAllow,
      failOpen: options.failOpen,
    });
  }

  /** External authorization over gRPC (Envoy's ext_authz protocol). */
  public static envoyExtAuthzGrpc(name: string, options: ExtAuthzGrpcOptions): ExtensionProvider {
    const where = 'ExtensionProvider.envoyExtAuthzGrpc';
    return new ExtensionProvider(checkName(where, name), 'envoyExtAuthzGrpc', {
      ...renderEndpoint(where, options),
      timeout: options.timeout ? renderDuration(where, 'timeout', options.timeout) : undefined,
      failOpen: options.failOpen,
    });
  }

  private constructor(
    /** The provider's name, as Telemetry and AuthorizationPolicy refer to it. */
    public readonly name: string,
    /** The provider type (`prometheus`, `zipkin`, `opentelemetry`, ...). */
    public readonly type: string,
    private readonly settings: { [key: string]: unknown },
  ) {}

  /** @internal */
  public _render(): any {
    return { name: this.name, [this.type]: { ...this.settings } };
  }
}

function checkName(where: string, name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 63 || !/^[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/.test(name)) {
    invalid(where, 'name', name, "a provider name: letters, digits, '-', '_' or '.'");
  }
  return name;
}

function renderEndpoint(where: string, endpoint: ProviderEndpoint): { service: string; port: number } {
  const service = endpoint.service;
  const slash = typeof service === 'string' ? service.indexOf('/') : -1;
  const host = slash >= 0 ? service.slice(slash + 1) : service;
  const problem = hostProblem(host, { allowWildcard: false });
  if (problem || (slash >= 0 && !isDnsLabel(service.slice(0, slash)))) {
    invalid(where, 'service', service, `a service FQDN or namespace/host${problem ? `: ${problem}` : ''}`);
  }
  checkRange(where, 'port', endpoint.port, 1, 65535, true);
  return { service, port: endpoint.port };
}
