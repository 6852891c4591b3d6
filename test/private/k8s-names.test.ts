import { checkDnsLabel, checkDnsSubdomain, isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue } from '../../src/private/k8s-names';
import { ValidationError } from '../../src/validation-error';

describe('Kubernetes name rules', () => {
  test('RFC 1123 labels: lowercase letters, digits and inner dashes, at most 63 characters', () => {
    for (const ok of ['a', 'istio-system', 'v1', '0', 'a'.repeat(63)]) expect(isDnsLabel(ok)).toBe(true);
    for (const bad of ['', '-a', 'a-', 'A', 'a.b', 'a_b', 'a'.repeat(64), undefined, 42]) expect(isDnsLabel(bad)).toBe(false);
  });

  test('RFC 1123 subdomains: dotted labels, at most 253 characters', () => {
    for (const ok of ['a', 'a.b', 'reviews-v2.shop', `${'a'.repeat(63)}.${'b'.repeat(63)}`]) expect(isDnsSubdomain(ok)).toBe(true);
    for (const bad of ['', '.a', 'a.', 'a..b', 'A.b', 'a'.repeat(254), null]) expect(isDnsSubdomain(bad)).toBe(false);
  });

  test('label keys: [prefix/]name, the prefix a subdomain, the name a qualified name', () => {
    for (const ok of ['app', 'app.kubernetes.io/name', 'Version_2', 'a'.repeat(63), `${'a'.repeat(253)}/n`]) expect(isLabelKey(ok)).toBe(true);
    for (const bad of ['', '/app', 'a/b/c', 'Example.com/app', '-app', 'app-', 'a'.repeat(64), 'a b', 7]) expect(isLabelKey(bad)).toBe(false);
  });

  test('label values: empty, or a qualified name part of at most 63 characters', () => {
    for (const ok of ['', 'v1', 'Release_2.1', 'a'.repeat(63)]) expect(isLabelValue(ok)).toBe(true);
    for (const bad of ['-v1', 'v1.', 'a/b', 'a'.repeat(64), undefined]) expect(isLabelValue(bad)).toBe(false);
  });

  test('the checks return the value, or throw the one error shape naming where, the field and the value', () => {
    expect(checkDnsLabel('Where.of', 'namespace', 'shop', 'a namespace name')).toBe('shop');
    expect(checkDnsSubdomain('Where.of', 'name', 'reviews.v2', 'an object name')).toBe('reviews.v2');
    expect(() => checkDnsLabel('Where.of', 'namespace', 'Shop', 'a namespace name')).toThrow(ValidationError);
    expect(() => checkDnsLabel('Where.of', 'namespace', 'Shop', 'a namespace name')).toThrow('Where.of: namespace "Shop" is invalid: a namespace name');
    expect(() => checkDnsSubdomain('Where.of', 'name', 'a..b', 'an object name')).toThrow('Where.of: name "a..b" is invalid: an object name');
  });
});
