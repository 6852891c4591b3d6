import { IConstruct } from 'constructs';

/**
 * The one shape every construction-time error takes:
 * `<construct path or factory>: <field> <value> is invalid: <what would be valid>`.
 */
export class ValidationError extends Error {
  constructor(where: string, field: string, got: unknown, expected: string) {
    super(`${where}: ${field} ${describe(got)} is invalid: ${expected}`);
    this.name = 'ValidationError';
  }
}

/** Throws a ValidationError located at a construct (its path) or a factory name. */
export function invalid(where: IConstruct | string, field: string, got: unknown, expected: string): never {
  throw new ValidationError(typeof where === 'string' ? where : where.node.path, field, got, expected);
}

/** A value as error messages show it. */
export function describe(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** Throws unless `value` is a finite number within [min, max]. */
export function checkRange(where: IConstruct | string, field: string, value: number, min: number, max: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    invalid(where, field, value, `expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}
