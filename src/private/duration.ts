import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from './validate';

/**
 * Renders a cdk8s Duration the way Istio's CRDs take it: whole seconds as `"30s"`, anything else
 * as whole milliseconds (`"1500ms"`). Istio (and Envoy) work in milliseconds: a duration must be
 * at least 1ms (or exactly 0 where `allowZero`) and a whole number of milliseconds.
 */
export function renderDuration(where: IConstruct | string, field: string, duration: Duration, options: { allowZero?: boolean } = {}): string {
  const ms = duration.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || ms < 0) invalid(where, field, `${ms}ms`, 'a duration must not be negative');
  if (ms === 0 && options.allowZero) return '0s';
  if (ms < 1) invalid(where, field, `${ms}ms`, 'a duration must be at least 1ms');
  if (!Number.isInteger(ms)) invalid(where, field, `${ms}ms`, 'a duration must be a whole number of milliseconds');
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
