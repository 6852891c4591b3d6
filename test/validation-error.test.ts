import { Chart, Testing } from 'cdk8s';
import { GatewayReference, Mesh, ValidationError } from '../src';

describe('ValidationError', () => {
  test('construction errors are ValidationErrors, exported for catching by type', () => {
    let caught: unknown;
    try {
      GatewayReference.of('Istio-System', 'ingress');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toBeInstanceOf(Error);
    const error = caught as ValidationError;
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('GatewayReference.of: namespace "Istio-System" is invalid: an RFC 1123 label: lowercase letters, digits and \'-\', at most 63 characters');
    expect(error.where).toBe('GatewayReference.of');
    expect(error.field).toBe('namespace');
    expect(error.expected).toMatch(/^an RFC 1123 label/);
  });

  test('a construct error is located at the construct path', () => {
    const chart = new Chart(Testing.app(), 'prod');
    expect(() => new Mesh(chart, 'mesh', { namespace: 'Istio' })).toThrow(ValidationError);
    expect(() => new Mesh(chart, 'mesh2', { namespace: 'Istio' })).toThrow(/^prod\/mesh2: namespace "Istio" is invalid: a namespace name$/);
  });

  test('isValidationError recognizes the errors of any copy of the library, and nothing else', () => {
    expect(ValidationError.isValidationError(new ValidationError('Where.of', 'field', 42, 'a smaller number'))).toBe(true);
    expect(ValidationError.isValidationError(new Error('x'))).toBe(false);
    expect(ValidationError.isValidationError(undefined)).toBe(false);
    expect(ValidationError.isValidationError('ValidationError')).toBe(false);
  });

  test('the value is shown as given, long values abbreviated', () => {
    expect(new ValidationError('W', 'f', undefined, 'x').message).toBe('W: f (missing) is invalid: x');
    expect(new ValidationError('W', 'f', { a: 'b'.repeat(200) }, 'x').message).toMatch(/^W: f \{"a":"b{91}\.\.\. is invalid: x$/);
  });
});
