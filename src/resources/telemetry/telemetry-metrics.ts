import { Duration } from 'cdk8s';
import { checkCel } from '../../private/field-checks';
import { invalid } from '../../private/validate';

/**
 * Which side of the traffic a Telemetry setting applies to, seen from the proxied workload.
 */
export enum WorkloadMode {
  /** Both: the workload as client (outbound) and as server (inbound). */
  CLIENT_AND_SERVER = 'CLIENT_AND_SERVER',
  /** The workload as the source of the traffic (outbound). */
  CLIENT = 'CLIENT',
  /** The workload as the destination of the traffic (inbound). */
  SERVER = 'SERVER',
}

/** Istio's standard metrics (`MetricSelector.IstioMetric`). */
export enum IstioMetric {
  /** Every standard metric. */
  ALL_METRICS = 'ALL_METRICS',
  /** Requests (`istio_requests_total`). */
  REQUEST_COUNT = 'REQUEST_COUNT',
  /** Request durations (`istio_request_duration_milliseconds`). */
  REQUEST_DURATION = 'REQUEST_DURATION',
  /** Request body sizes (`istio_request_bytes`). */
  REQUEST_SIZE = 'REQUEST_SIZE',
  /** Response body sizes (`istio_response_bytes`). */
  RESPONSE_SIZE = 'RESPONSE_SIZE',
  /** TCP connections opened (`istio_tcp_connections_opened_total`). */
  TCP_OPENED_CONNECTIONS = 'TCP_OPENED_CONNECTIONS',
  /** TCP connections closed (`istio_tcp_connections_closed_total`). */
  TCP_CLOSED_CONNECTIONS = 'TCP_CLOSED_CONNECTIONS',
  /** Bytes sent over TCP (`istio_tcp_sent_bytes_total`). */
  TCP_SENT_BYTES = 'TCP_SENT_BYTES',
  /** Bytes received over TCP (`istio_tcp_received_bytes_total`). */
  TCP_RECEIVED_BYTES = 'TCP_RECEIVED_BYTES',
  /** gRPC messages sent by clients (`istio_request_messages_total`). */
  GRPC_REQUEST_MESSAGES = 'GRPC_REQUEST_MESSAGES',
  /** gRPC messages sent by servers (`istio_response_messages_total`). */
  GRPC_RESPONSE_MESSAGES = 'GRPC_RESPONSE_MESSAGES',
}

/** What a tag override does. */
export enum TagOverrideOperation {
  /** Add the tag, or replace its value. */
  UPSERT = 'UPSERT',
  /** Leave the tag out of the metric. */
  REMOVE = 'REMOVE',
}

/** Metric tag (Prometheus label) names: letters, digits and '_', not starting with a digit. */
const TAG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A change to one tag (dimension, Prometheus label) of the selected metrics. An upsert needs a
 * value expression and a removal has none, by construction.
 * @see https://istio.io/latest/docs/reference/config/telemetry/#MetricsOverrides-TagOverride
 */
export class TagOverride {
  /**
   * Sets tag `tag` to the value of a CEL expression over Envoy and Istio attributes, e.g.
   * `request.host` or `string(destination.port)` (a literal string is quoted: `"'eu-west'"`).
   */
  public static upsert(tag: string, valueExpression: string): TagOverride {
    checkTag('TagOverride.upsert', tag);
    checkCel('TagOverride.upsert', `tag "${tag}" value`, valueExpression);
    return new TagOverride(tag, TagOverrideOperation.UPSERT, valueExpression);
  }

  /** Removes tag `tag` from the selected metrics (fewer series; not every provider supports it). */
  public static remove(tag: string): TagOverride {
    checkTag('TagOverride.remove', tag);
    return new TagOverride(tag, TagOverrideOperation.REMOVE, undefined);
  }

  private constructor(
    /** The tag name. */
    public readonly tag: string,
    /** What is done to the tag. */
    public readonly operation: TagOverrideOperation,
    /** The value expression (upserts only). */
    public readonly value?: string,
  ) {}

  /** @internal */
  public _render(): { operation: string; value?: string } {
    return { operation: this.operation, value: this.value };
  }
}

function checkTag(where: string, tag: string): void {
  if (typeof tag !== 'string' || !TAG_NAME.test(tag)) invalid(where, 'tag', tag, "a tag name: letters, digits and '_', not starting with a digit");
}

/**
 * A change to the generation of some metrics (`overrides[]`): which metrics (all by default), on
 * which side, and what to do: turn them off, or change their tags. Overrides apply in order, on
 * top of those of the mesh and namespace: list general ones first.
 */
export interface MetricsOverride {
  /**
   * The standard metric to change. Exclusive with `customMetric`.
   * @default - every standard metric (unless `customMetric` is given)
   */
  readonly metric?: IstioMetric;
  /**
   * A custom metric to change, by name. Exclusive with `metric`.
   * @default - none
   */
  readonly customMetric?: string;
  /**
   * The side the override applies to.
   * @default WorkloadMode.CLIENT_AND_SERVER
   */
  readonly mode?: WorkloadMode;
  /**
   * Turn the selected metrics off (true), or back on under a parent that turned them off (false).
   * @default - inherited from the parent configuration (on, by default)
   */
  readonly disabled?: boolean;
  /**
   * Tag changes, each tag once.
   * @default - none
   */
  readonly tagOverrides?: TagOverride[];
}

/**
 * Metrics settings of a Telemetry (`metrics[]`): for some providers (all by default), the
 * overrides and the reporting interval.
 * @see https://istio.io/latest/docs/reference/config/telemetry/#Metrics
 */
export interface TelemetryMetrics {
  /**
   * The metrics providers (MeshConfig `extensionProviders` names, e.g. `prometheus`) the settings apply to.
   * @default - the mesh's default metrics providers
   */
  readonly providers?: string[];
  /**
   * Overrides, applied in order.
   * @default - none
   */
  readonly overrides?: MetricsOverride[];
  /**
   * The time between metric reports (TCP metrics, today).
   * @default Duration.seconds(5)
   */
  readonly reportingInterval?: Duration;
}
