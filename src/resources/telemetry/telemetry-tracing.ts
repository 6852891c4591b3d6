import { WorkloadMode } from './telemetry-metrics';
import { checkToken } from '../../private/field-checks';
import { invalid } from '../../private/validate';
import { Percent } from '../percent';
import { checkHeaderName } from '../private/gateway-api-rules';

/** Span tag names: any non-empty text without control characters. */
function checkTagName(where: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0 || /[\u0000-\u001f\u007f]/.test(name)) invalid(where, 'name', name, 'a non-empty tag name');
}

/**
 * A tag added to every span (`customTags`): a fixed value, an environment variable of the
 * proxy, a request header, or an access-log formatter. Custom tags replace the parent
 * configuration's tags as a whole.
 * @see https://istio.io/latest/docs/reference/config/telemetry/#Tracing-CustomTag
 */
export class TracingCustomTag {
  /** Tag `name` with the same value on every span. */
  public static literal(name: string, value: string): TracingCustomTag {
    checkTagName('TracingCustomTag.literal', name);
    if (typeof value !== 'string' || value.length === 0) invalid('TracingCustomTag.literal', 'value', value, 'a non-empty value');
    return new TracingCustomTag(name, { literal: { value } });
  }

  /** Tag `name` with the value of the proxy's environment variable `variable` (or `defaultValue` when unset). */
  public static environment(name: string, variable: string, defaultValue?: string): TracingCustomTag {
    checkTagName('TracingCustomTag.environment', name);
    checkToken('TracingCustomTag.environment', 'variable', variable, 'an environment variable name');
    return new TracingCustomTag(name, { environment: { name: variable, defaultValue: emptyToUndefined(defaultValue) } });
  }

  /** Tag `name` with the value of request header `header` (or `defaultValue` when absent). */
  public static header(name: string, header: string, defaultValue?: string): TracingCustomTag {
    checkTagName('TracingCustomTag.header', name);
    checkHeaderName('TracingCustomTag.header', 'header', header);
    return new TracingCustomTag(name, { header: { name: header, defaultValue: emptyToUndefined(defaultValue) } });
  }

  /** Tag `name` with an access-log formatter value, e.g. `%REQUESTED_SERVER_NAME%` (unknown specifiers give ''). */
  public static formatter(name: string, format: string): TracingCustomTag {
    checkTagName('TracingCustomTag.formatter', name);
    if (typeof format !== 'string' || !format.includes('%')) invalid('TracingCustomTag.formatter', 'format', format, 'an access-log format with a %COMMAND% specifier');
    return new TracingCustomTag(name, { formatter: { value: format } });
  }

  private constructor(
    /** The tag name. */
    public readonly name: string,
    private readonly spec: any,
  ) {}

  /** @internal */
  public _render(): any {
    return JSON.parse(JSON.stringify(this.spec));
  }
}

function emptyToUndefined(value?: string): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Tracing settings of a Telemetry (`tracing`): the provider, the sampling rate, span reporting
 * and context propagation, custom tags. Settings left out are inherited from the parent (mesh,
 * then namespace) configuration.
 *
 * ```ts
 * { randomSamplingPercentage: Percent.of(10) }
 * ```
 * @see https://istio.io/latest/docs/reference/config/telemetry/#Tracing
 */
export interface TelemetryTracing {
  /**
   * The tracing provider (a MeshConfig `extensionProviders` name). Istio supports one provider
   * per tracing setting.
   * @default - the mesh's default tracing provider
   */
  readonly provider?: string;
  /**
   * The share of requests traced when no upstream sampling decision was made (0-100, in steps
   * of 0.01).
   * @default - inherited from the parent Telemetry, else the mesh's sampling setting (1% unless changed)
   */
  readonly randomSamplingPercentage?: Percent;
  /**
   * Stop reporting spans (context propagation and sampling go on).
   * @default - inherited (spans are reported)
   */
  readonly disableSpanReporting?: boolean;
  /**
   * Stop propagating trace headers (`traceparent`, `x-b3-*`) on forwarded requests, e.g. at an
   * egress gateway, so trace context does not leak outside.
   * @default - inherited (context is propagated)
   */
  readonly disableContextPropagation?: boolean;
  /**
   * Include Istio's own tags in spans.
   * @default - inherited (included)
   */
  readonly enableIstioTags?: boolean;
  /**
   * Tags added to every span; they replace the parent's custom tags as a whole. Each name once.
   * @default - inherited
   */
  readonly customTags?: TracingCustomTag[];
  /**
   * The side whose traffic is traced.
   * @default WorkloadMode.CLIENT_AND_SERVER
   */
  readonly mode?: WorkloadMode;
}
