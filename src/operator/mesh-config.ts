import { ExtensionProvider } from './extension-provider';
import { ProxyConfig } from './proxy-config';
import { OutboundTrafficMode } from '../resources/networking/sidecar/outbound-traffic-mode';

/** The format of Envoy's access log file. */
export enum AccessLogEncoding {
  /** One line of text per request. */
  TEXT = 'TEXT',
  /** One JSON object per request (for log pipelines). */
  JSON = 'JSON',
}

/** Which extension providers apply mesh-wide when a Telemetry resource does not say. */
export interface DefaultProviders {
  /**
   * Tracing providers.
   * @default - none
   */
  readonly tracing?: string[];
  /**
   * Metrics providers.
   * @default - prometheus
   */
  readonly metrics?: string[];
  /**
   * Access log providers.
   * @default - none
   */
  readonly accessLogging?: string[];
}

/**
 * Mesh-wide settings (`spec.meshConfig`, Istio's MeshConfig). The fields modelled here are the
 * ones platform teams set; `IstioOperator.setField('meshConfig.<field>', value)` reaches the
 * others (checked against Istio's own MeshConfig schema).
 */
export interface MeshConfig {
  /**
   * Where Envoy writes access logs (`/dev/stdout`); empty turns them off.
   * @default - off (the demo profile turns them on)
   */
  readonly accessLogFile?: string;
  /**
   * Access log encoding.
   * @default AccessLogEncoding.TEXT
   */
  readonly accessLogEncoding?: AccessLogEncoding;
  /**
   * Access log format (Envoy command operators).
   * @default - Istio's default format
   */
  readonly accessLogFormat?: string;
  /**
   * Defaults for every proxy.
   * @default - Istio's
   */
  readonly defaultConfig?: ProxyConfig;
  /**
   * What sidecars do with traffic to hosts not in the registry.
   * @default OutboundTrafficMode.ALLOW_ANY - Istio's install default; `Mesh` sets REGISTRY_ONLY when egress is governed
   */
  readonly outboundTrafficPolicy?: OutboundTrafficMode;
  /**
   * Telemetry and authorization integrations, referred to by name.
   * @default - none
   */
  readonly extensionProviders?: ExtensionProvider[];
  /**
   * Providers used when no Telemetry resource names one.
   * @default - Istio's (prometheus metrics)
   */
  readonly defaultProviders?: DefaultProviders;
  /**
   * Whether the legacy tracing configuration (`defaultConfig.tracing`) is on.
   * @default - Istio's
   */
  readonly enableTracing?: boolean;
  /**
   * The trust domain of the mesh's identities (`spiffe://<trustDomain>/ns/...`).
   * @default "cluster.local"
   */
  readonly trustDomain?: string;
  /**
   * Other trust domains accepted as this one (migrations, multi-cluster).
   * @default - none
   */
  readonly trustDomainAliases?: string[];
  /**
   * The namespace whose resources apply mesh-wide.
   * @default "istio-system"
   */
  readonly rootNamespace?: string;
  /**
   * Whether Istio merges application and proxy metrics on one scrape endpoint.
   * @default true
   */
  readonly enablePrometheusMerge?: boolean;
}
