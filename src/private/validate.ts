import { IConstruct } from 'constructs';
import { ValidationError } from '../validation-error';

/**
 * Throws the one error every construction-time check throws, a ValidationError located at a
 * construct (its path) or a factory name: `<where>: <field> <value> is invalid: <expected>`.
 */
export function invalid(where: IConstruct | string, field: string, got: unknown, expected: string): never {
  throw new ValidationError(typeof where === 'string' ? where : where.node.path, field, got, expected);
}

/** Throws unless `value` is a finite number within [min, max]. */
export function checkRange(where: IConstruct | string, field: string, value: number, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    invalid(where, field, value, `expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

/** Throws unless `url` is an http(s) URL with a host. */
export function checkHttpUrl(where: IConstruct | string, field: string, url: string): string {
  if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(url)) invalid(where, field, url, 'an http(s) URL');
  return url;
}
