import { ExtensionProvider } from '../../operator/extension-provider';
import { hostProblem } from '../../private/hosts';
import { checkRange, invalid } from '../../private/validate';

/**
 * Where a mesh sends its traces: a Zipkin-compatible or OpenTelemetry collector in the cluster.
 * Becomes a `meshConfig.extensionProviders` entry and the provider of the mesh-wide Telemetry.
 */
export class TracingBackend {
  /** OTLP/gRPC to an OpenTelemetry collector (or Jaeger v2, which takes OTLP on 4317). */
  public static openTelemetry(service: string, port: number = 4317): TracingBackend {
    return new TracingBackend('otel-tracing', checkService('TracingBackend.openTelemetry', service), checkRange('TracingBackend.openTelemetry', 'port', port, 1, 65535, true), 'otel');
  }

  /** Zipkin protocol (Zipkin, or Jaeger's Zipkin receiver on 9411). */
  public static zipkin(service: string, port: number = 9411): TracingBackend {
    return new TracingBackend('zipkin', checkService('TracingBackend.zipkin', service), checkRange('TracingBackend.zipkin', 'port', port, 1, 65535, true), 'zipkin');
  }

  private constructor(
    /** The extension provider name the mesh registers it under. */
    public readonly providerName: string,
    /** The collector's service FQDN. */
    public readonly service: string,
    /** The collector's port. */
    public readonly port: number,
    private readonly protocol: string,
  ) {}

  /** @internal */
  public _provider(): ExtensionProvider {
    return this.protocol === 'otel'
      ? ExtensionProvider.openTelemetry(this.providerName, { service: this.service, port: this.port })
      : ExtensionProvider.zipkin(this.providerName, { service: this.service, port: this.port });
  }
}

function checkService(where: string, service: string): string {
  const problem = hostProblem(service, { allowWildcard: false, allowShortName: false });
  if (problem) invalid(where, 'service', service, `the collector's service FQDN (e.g. jaeger-collector.observability.svc.cluster.local): ${problem}`);
  return service;
}
