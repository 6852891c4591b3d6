import { Duration } from 'cdk8s';

/** Tracing settings of the proxies (`defaultConfig.tracing`). */
export interface ProxyTracing {
  /**
   * The percentage of requests traced, 0 to 100 (fractions allowed).
   * @default - Istio's: 1 (100 with the demo profile)
   */
  readonly sampling?: number;
  /**
   * `host:port` of a Zipkin-compatible collector (e.g. `zipkin.istio-system:9411`). Prefer an
   * `ExtensionProvider` and a Telemetry resource for new setups.
   * @default - none
   */
  readonly zipkinAddress?: string;
  /**
   * The longest tag value recorded.
   * @default 256
   */
  readonly maxPathTagLength?: number;
}

/** Mesh-wide defaults of every proxy (`meshConfig.defaultConfig`, Istio's ProxyConfig). */
export interface ProxyConfig {
  /**
   * Envoy worker threads; 0 uses every core.
   * @default - Istio's: 2
   */
  readonly concurrency?: number;
  /**
   * How long a stopping proxy drains connections.
   * @default Duration.seconds(5)
   */
  readonly terminationDrainDuration?: Duration;
  /**
   * How long a proxy drains on restart (hot restart) or shutdown.
   * @default Duration.seconds(45)
   */
  readonly drainDuration?: Duration;
  /**
   * Start application containers only once the proxy is ready, so they never start without a
   * network. Recommended for workloads that call out at startup.
   * @default false
   */
  readonly holdApplicationUntilProxyStarts?: boolean;
  /**
   * Tracing settings.
   * @default - Istio's
   */
  readonly tracing?: ProxyTracing;
  /**
   * Environment variables for the proxy and its agent (`proxyMetadata`), e.g.
   * `{ ISTIO_META_DNS_CAPTURE: 'true' }`.
   * @default - none
   */
  readonly proxyMetadata?: { [key: string]: string };
}
