import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { PolicyTargetRef } from '../../../src/resources/policy-target-ref';
import { JwtRule } from '../../../src/resources/security/jwt-rule';
import { RequestAuthentication } from '../../../src/resources/security/request-authentication';
import { WorkloadSelector } from '../../../src/resources/workload-selector';
import { findObject, synth, testChart } from '../../support/synth';

const PUBLIC_RSA = {
  kty: 'RSA',
  kid: 'k1',
  use: 'sig',
  alg: 'RS256',
  n: 'xjlCRBqkzZjG8J2oZ6FaEz0tAZ8GjQn3Z5z5QzRkS0nVt3w9oJ1o2ErF0E0s5M1yqXjvW6b8y0Jm8Z1PZQ6u3bQ',
  e: 'AQAB',
};

describe('RequestAuthentication', () => {
  test('JWT validation on the api-gateway: issuer, jwksUri, audiences, original token forwarded', () => {
    const { chart } = testChart('payments');
    const ra = new RequestAuthentication(chart, 'jwt-validation', {
      selector: WorkloadSelector.fromLabels({ app: 'api-gateway' }),
      jwtRules: [JwtRule.jwksUri('https://auth.example.com', 'https://auth.example.com/.well-known/jwks.json', {
        audiences: ['api.example.com'],
        forwardOriginalToken: true,
      })],
    });
    const manifest = findObject(synth(chart), 'RequestAuthentication');
    expect(manifest.apiVersion).toBe('security.istio.io/v1');
    expect(manifest.metadata).toEqual({ name: 'jwt-validation', namespace: 'payments' });
    expect(manifest.spec).toEqual({
      selector: { matchLabels: { app: 'api-gateway' } },
      jwtRules: [{
        issuer: 'https://auth.example.com',
        jwksUri: 'https://auth.example.com/.well-known/jwks.json',
        audiences: ['api.example.com'],
        forwardOriginalToken: true,
      }],
    });
    expect(ra.jwtRules.map((r) => r.issuer)).toEqual(['https://auth.example.com']);
  });

  test('every token location and output option; inline keys; OpenID discovery; on a gateway', () => {
    const { chart } = testChart('edge');
    new RequestAuthentication(chart, 'ingress-jwt', { targetRefs: [PolicyTargetRef.gateway('ingress')] })
      .addJwtRule(JwtRule.inlineJwks('issuer-a', JSON.stringify({ keys: [PUBLIC_RSA] }), {
        fromHeaders: [{ name: 'x-jwt-assertion', prefix: 'Bearer ' }, { name: 'x-goog-iap-jwt-assertion' }],
        fromParams: ['my_token'],
        fromCookies: ['auth-token'],
        outputPayloadToHeader: 'x-jwt-payload',
        outputClaimToHeaders: [{ header: 'x-jwt-group', claim: 'nested.key.group' }, { header: 'x-sub', claim: 'sub' }],
        spaceDelimitedClaims: ['roles'],
        timeout: Duration.seconds(10),
      }))
      .addJwtRule(JwtRule.openIdDiscovery('https://accounts.google.com', { timeout: Duration.millis(1500) }));
    const spec = findObject(synth(chart), 'RequestAuthentication').spec;
    expect(spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ingress' }]);
    expect(spec.jwtRules[0]).toEqual({
      issuer: 'issuer-a',
      jwks: JSON.stringify({ keys: [PUBLIC_RSA] }),
      fromHeaders: [{ name: 'x-jwt-assertion', prefix: 'Bearer ' }, { name: 'x-goog-iap-jwt-assertion' }],
      fromParams: ['my_token'],
      fromCookies: ['auth-token'],
      outputPayloadToHeader: 'x-jwt-payload',
      outputClaimToHeaders: [{ header: 'x-jwt-group', claim: 'nested.key.group' }, { header: 'x-sub', claim: 'sub' }],
      spaceDelimitedClaims: ['roles'],
      timeout: '10s',
    });
    expect(spec.jwtRules[1]).toEqual({ issuer: 'https://accounts.google.com', timeout: '1500ms' });
  });

  test('a single JSON Web Key is accepted as inline keys', () => {
    expect(() => JwtRule.inlineJwks('i', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }))).not.toThrow();
  });

  test('escape hatch: a JSON patch reaches the manifest', () => {
    const { chart } = testChart();
    const ra = new RequestAuthentication(chart, 'ra', { jwtRules: [JwtRule.openIdDiscovery('https://idp')] });
    ApiObject.of(ra).addJsonPatch(JsonPatch.add('/spec/targetRef', { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' }));
    expect(findObject(synth(chart), 'RequestAuthentication').spec.targetRef.name).toBe('gw');
  });

  test('fails when it has no JWT rule', () => {
    const { chart } = testChart();
    new RequestAuthentication(chart, 'empty');
    expect(() => synth(chart)).toThrow(/test\/empty: a RequestAuthentication without JWT rules accepts no token and does nothing/);
  });

  test('fails when selector and targetRefs are both given', () => {
    const { chart } = testChart();
    expect(() => new RequestAuthentication(chart, 'ra', {
      selector: WorkloadSelector.fromLabels({ app: 'a' }),
      targetRefs: [PolicyTargetRef.service('a')],
    })).toThrow(/test\/ra: targetRefs 1 is invalid: give either `selector` or `targetRefs`/);
  });

  test('fails when something else than a JwtRule is added', () => {
    const { chart } = testChart();
    expect(() => new RequestAuthentication(chart, 'ra').addJwtRule({ issuer: 'x' } as any)).toThrow(/test\/ra: jwtRule .* is invalid: a JwtRule/);
  });
});

describe('JwtRule', () => {
  test.each([
    [() => JwtRule.openIdDiscovery(''), /JwtRule.openIdDiscovery: issuer "" is invalid: an issuer must not be empty/],
    [() => JwtRule.jwksUri('i', 'ftp://keys.example.com/jwks'), /JwtRule.jwksUri: jwksUri "ftp:\/\/keys.example.com\/jwks" is invalid: an http:\/\/ or https:\/\/ URL/],
    [() => JwtRule.jwksUri('i', 'not a url'), /jwksUri "not a url" is invalid/],
    [() => JwtRule.jwksUri('i', `https://a.example/${'x'.repeat(2048)}`), /at most 2048 characters/],
    [() => JwtRule.inlineJwks('i', '{not json'), /JwtRule.inlineJwks: jwks .* is invalid: a JSON Web Key Set document \(JSON\)/],
    [() => JwtRule.inlineJwks('i', '[]'), /a JSON object/],
    [() => JwtRule.inlineJwks('i', '{"keys": []}'), /jwks keys \[\] is invalid: a non-empty array/],
    [() => JwtRule.inlineJwks('i', '{"keys": [{"kid": "a"}]}'), /jwks key 0 .* is invalid: a JSON Web Key with a `kty` member/],
    [() => JwtRule.inlineJwks('i', '{"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}'), /a symmetric \(oct\) key is a shared secret/],
    [() => JwtRule.inlineJwks('i', JSON.stringify({ keys: [{ ...PUBLIC_RSA, d: 'secret' }] })), /jwks key 0 "k1" is invalid: a public key: it carries private members \(d\)/],
    [() => JwtRule.inlineJwks('i', '{"kty": "XYZ"}'), /kty "XYZ" is invalid: RSA, EC or OKP/],
    [() => JwtRule.openIdDiscovery('i', { audiences: [] }), /audiences \[\] is invalid: an empty list/],
    [() => JwtRule.openIdDiscovery('i', { audiences: [''] }), /audience "" is invalid: an audience must not be empty/],
    [() => JwtRule.openIdDiscovery('i', { fromHeaders: [{ name: 'bad header' }] }), /fromHeaders name "bad header" is invalid/],
    [() => JwtRule.openIdDiscovery('i', { fromParams: [''] }), /fromParams "" is invalid/],
    [() => JwtRule.openIdDiscovery('i', { fromCookies: ['a b'] }), /fromCookies "a b" is invalid/],
    [() => JwtRule.openIdDiscovery('i', { outputPayloadToHeader: 'x y' }), /outputPayloadToHeader "x y" is invalid/],
    [() => JwtRule.openIdDiscovery('i', { outputClaimToHeaders: [{ header: 'x.y', claim: 'a' }] }), /outputClaimToHeaders header "x.y" is invalid/],
    [() => JwtRule.openIdDiscovery('i', { outputClaimToHeaders: [{ header: 'x', claim: '' }] }), /outputClaimToHeaders claim "" is invalid/],
    [() => JwtRule.openIdDiscovery('i', { outputClaimToHeaders: [{ header: 'x', claim: 'a' }, { header: 'X', claim: 'b' }] }), /header "X" is invalid: each header once/],
    [() => JwtRule.openIdDiscovery('i', { spaceDelimitedClaims: Array.from({ length: 65 }, (_, n) => `c${n}`) }), /at most 64 values/],
    [() => JwtRule.openIdDiscovery('i', { timeout: Duration.millis(0) }), /timeout "0ms" is invalid: a duration must be at least 1ms/],
  ])('fails when a JWT rule is invalid (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});
