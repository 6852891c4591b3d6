const VALIDATION_ERROR = Symbol.for('cdk8s-istio.ValidationError');

/**
 * The base of the errors this library throws. jsii cannot describe a class that extends the
 * built-in `Error`, so the chain passes through this unexported class and ValidationError is
 * left out of the jsii assembly (`@internal`): TypeScript and JavaScript code catches it by type,
 * other languages see the error's message.
 */
abstract class LibraryError extends Error {
  protected constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * The error the constructs and value classes of this library throw when they are given input
 * they cannot render into a valid configuration, at construction:
 * `<construct path or factory>: <field> <value> is invalid: <what would be valid>`.
 *
 * Catch it by type (`e instanceof ValidationError`), or with `ValidationError.isValidationError(e)`
 * when more than one copy of the library may be loaded. Problems found at synth (the conformance
 * gate, the analyzer) fail `cdk8s synth` through cdk8s' own validation instead.
 *
 * @internal (to jsii only: exported to TypeScript and JavaScript)
 */
export class ValidationError extends LibraryError {
  /** Whether `x` is a ValidationError of any copy of this library. */
  public static isValidationError(x: unknown): x is ValidationError {
    return x !== null && typeof x === 'object' && VALIDATION_ERROR in x;
  }

  /** The construct path, or the factory (`WorkloadSelector.fromLabels`), that refused the input. */
  public readonly where: string;
  /** The field or argument that is invalid. */
  public readonly field: string;
  /** What would be valid. */
  public readonly expected: string;

  /**
   * @param where the construct path or factory name
   * @param field the field or argument
   * @param got the value given (shown in the message, abbreviated when long)
   * @param expected what would be valid
   */
  constructor(where: string, field: string, got: unknown, expected: string) {
    super(`${where}: ${field} ${describe(got)} is invalid: ${expected}`);
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
    this.name = 'ValidationError';
    this.where = where;
    this.field = field;
    this.expected = expected;
  }
}

/** A value as error messages show it. */
function describe(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
