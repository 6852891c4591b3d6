import { celPropertyName } from '../../src/private/cel/cel-names';
import { isKubernetesIp, parseRequestUri } from '../../src/private/cel/kubernetes-library';
import { compileRule, runRule } from '../../src/private/cel/rule-compiler';

function evaluate(rule: string, self: unknown): boolean | string {
  const compiled = compileRule(rule);
  if (compiled.kind !== 'ok') throw new Error(`not evaluable: ${rule}`);
  const outcome = runRule(compiled, self);
  return outcome.passed ? true : outcome.error ?? false;
}

describe('Kubernetes CEL library', () => {
  test.each([
    ['https://example.com/jwks', true],
    ['/only/a/path', true],
    ['oci://registry/image:tag', true],
    ['example.com/no-scheme', false],
    ['has space://x', false],
    ['http://bad%zzescape', false],
    ['', false],
  ])('isURL(%j) is %s', (text, expected) => {
    expect(parseRequestUri(text) !== undefined).toBe(expected);
  });

  test('url().getScheme() as the Istio WasmPlugin rule uses it', () => {
    const rule = 'isURL(self) ? (url(self).getScheme() in ["", "http", "https", "oci", "file"]) : (isURL("http://" + self) && url("http://" + self).getScheme() in ["", "http", "https", "oci", "file"])';
    expect(evaluate(rule, 'oci://ghcr.io/x/y:1')).toBe(true);
    expect(evaluate(rule, 'ghcr.io/x/y:1')).toBe(true);
    expect(evaluate(rule, 'ftp://x/y')).toBe(false);
  });

  test.each([
    ['10.0.0.1', true],
    ['2001:db8::1', true],
    ['010.0.0.1', false],
    ['fe80::1%eth0', false],
    ['example.com', false],
  ])('isIP(%j) is %s', (text, expected) => {
    expect(isKubernetesIp(text)).toBe(expected);
    expect(evaluate('isIP(self)', text)).toBe(expected);
  });

  test('RE2 inline flags in matches()', () => {
    expect(evaluate('self.matches(r"""^(?i)\\.?[a-z_][a-z_0-9]*$""")', 'Foo_Bar')).toBe(true);
    expect(evaluate('self.matches(r"""^(?i)\\.?[a-z_][a-z_0-9]*$""")', 'foo-bar')).toBe(false);
  });

  test('an evaluation error is a failure with its reason', () => {
    expect(evaluate('self.all(key, 0 < int(key) && int(key) <= 65535)', new Map([['http', 1n]]))).toMatch(/BigInt|convert/i);
  });

  test.each([
    ['namespace', '__namespace__'],
    ['x-y', 'x__dash__y'],
    ['a.b', 'a__dot__b'],
    ['a__b', 'a__underscores__b'],
    ['plain', 'plain'],
    ['9lives', undefined],
  ])('property %j is %j in CEL', (name, expected) => {
    expect(celPropertyName(name)).toBe(expected);
  });
});
