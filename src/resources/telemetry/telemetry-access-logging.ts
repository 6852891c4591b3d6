import { WorkloadMode } from './telemetry-metrics';

/**
 * Access-log settings of a Telemetry (`accessLogging[]`): which providers log, which requests
 * (a CEL filter), on which side, or no logging at all.
 *
 * ```ts
 * { providers: ['envoy'], filter: 'response.code >= 400' }
 * ```
 * @see https://istio.io/latest/docs/reference/config/telemetry/#AccessLogging
 */
export interface TelemetryAccessLogging {
  /**
   * The access-log providers (MeshConfig `extensionProviders` names, e.g. `envoy` or `otel`).
   * @default - the mesh's default access-log providers
   */
  readonly providers?: string[];
  /**
   * Turn access logs off (true) for the providers, or back on under a parent that turned them off (false).
   * @default - inherited from the parent configuration (on, once a provider is configured)
   */
  readonly disabled?: boolean;
  /**
   * A CEL expression selecting the requests and connections to log, e.g. `response.code >= 400`
   * or `connection.mtls && request.url_path.contains('v1beta3')`.
   * @default - every request and connection
   */
  readonly filter?: string;
  /**
   * The side whose traffic is logged.
   * @default WorkloadMode.CLIENT_AND_SERVER
   */
  readonly mode?: WorkloadMode;
}
