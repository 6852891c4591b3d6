import * as kplus from 'cdk8s-plus-28';
import { JwtRule } from '../../../src/resources/security/jwt-rule';
import { Principal } from '../../../src/resources/security/principal';
import { RequestPrincipal } from '../../../src/resources/security/request-principal';
import { testChart } from '../../support/synth';

describe('Principal', () => {
  test('from a cdk8s-plus ServiceAccount: its chart namespace, cluster.local by default', () => {
    const { chart } = testChart('payments');
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'order-service' } });
    expect(Principal.serviceAccount(sa).value).toBe('cluster.local/ns/payments/sa/order-service');
    expect(Principal.serviceAccount(sa, { trustDomain: 'corp.example' }).value).toBe('corp.example/ns/payments/sa/order-service');
  });

  test('from an imported ServiceAccount with its own namespace', () => {
    const { chart } = testChart('payments');
    const sa = kplus.ServiceAccount.fromServiceAccountName(chart, 'sa', 'api-gateway', { namespaceName: 'edge' });
    expect(Principal.serviceAccount(sa).toString()).toBe('cluster.local/ns/edge/sa/api-gateway');
  });

  test('from parts and from a SPIFFE ID', () => {
    expect(Principal.of('default', 'sleep').value).toBe('cluster.local/ns/default/sa/sleep');
    expect(Principal.of('default', 'sleep', 'td_1.example').value).toBe('td_1.example/ns/default/sa/sleep');
    expect(Principal.fromSpiffeId('spiffe://cluster.local/ns/default/sa/sleep').value).toBe('cluster.local/ns/default/sa/sleep');
    expect(Principal.fromSpiffeId('spiffe://example.org/vm/billing').value).toBe('example.org/vm/billing');
  });

  test('any authenticated peer is said out loud', () => {
    const any = Principal.anyAuthenticated();
    expect(any.value).toBe('*');
    expect(any.isAnyAuthenticated).toBe(true);
    expect(Principal.of('a', 'b').isAnyAuthenticated).toBe(false);
  });

  test.each([
    [() => Principal.of('*', 'sleep'), /Principal.of: namespace "\*" is invalid: a namespace name/],
    [() => Principal.of('default', '*'), /Principal.of: serviceAccountName "\*" is invalid/],
    [() => Principal.of('Default', 'sleep'), /namespace "Default" is invalid/],
    [() => Principal.of('default', 'sleep', 'cluster.local/ns'), /Principal.of: trustDomain "cluster.local\/ns" is invalid: a trust domain .*no '\/'/],
    [() => Principal.of('default', 'sleep', '*'), /trustDomain "\*" is invalid/],
    [() => Principal.of('default', 'sleep', 'Cluster.Local'), /trustDomain "Cluster.Local" is invalid/],
    [() => Principal.of('default', 'sleep', ''), /a trust domain must not be empty/],
    [() => Principal.fromSpiffeId('cluster.local/ns/default/sa/sleep'), /Principal.fromSpiffeId: spiffeId .* is invalid: a SPIFFE ID/],
    [() => Principal.fromSpiffeId('spiffe://cluster.local'), /a SPIFFE ID/],
    [() => Principal.fromSpiffeId('spiffe:///ns/a'), /a SPIFFE ID/],
    [() => Principal.fromSpiffeId('spiffe://Bad:Domain/ns/a'), /trust domain "Bad:Domain" is invalid/],
    [() => Principal.fromSpiffeId('spiffe://cluster.local/ns/*/sa/a'), /path segments of letters/],
    [() => Principal.fromSpiffeId('spiffe://cluster.local/ns//sa'), /path segments/],
    [() => Principal.fromSpiffeId('spiffe://cluster.local/ns/../sa'), /path segments/],
    [() => Principal.fromSpiffeId('spiffe://cluster.local/ns/a?x=1'), /path segments/],
  ])('fails when a principal is invalid (%#)', (make, message) => {
    expect(make).toThrow(message);
  });

  test('fails when a ServiceAccount has no namespace', () => {
    const { chart } = testChart(null);
    const sa = new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'x' } });
    expect(() => Principal.serviceAccount(sa)).toThrow(/ServiceAccount namespace \(missing\) is invalid: the namespace cannot be determined/);
  });
});

describe('RequestPrincipal', () => {
  test('issuer/subject, any subject of an issuer, from a JWT rule, any valid token', () => {
    const rule = JwtRule.openIdDiscovery('https://auth.example.com');
    expect(RequestPrincipal.of('https://auth.example.com', 'user-1').value).toBe('https://auth.example.com/user-1');
    expect(RequestPrincipal.anySubject('https://auth.example.com').value).toBe('https://auth.example.com/*');
    expect(RequestPrincipal.fromJwtRule(rule).value).toBe('https://auth.example.com/*');
    expect(RequestPrincipal.fromJwtRule(rule, 'svc-ci').toString()).toBe('https://auth.example.com/svc-ci');
    expect(RequestPrincipal.anyAuthenticated().value).toBe('*');
  });

  test.each([
    [() => RequestPrincipal.of('', 'a'), /RequestPrincipal.of: issuer "" is invalid: an issuer must not be empty/],
    [() => RequestPrincipal.of('*', 'a'), /issuer "\*" is invalid: an issuer without '\*'/],
    [() => RequestPrincipal.of('https://idp', '*'), /subject "\*" is invalid: a subject without '\*'/],
    [() => RequestPrincipal.of('https://idp', 'a b'), /subject "a b" is invalid: a subject must not contain whitespace/],
    [() => RequestPrincipal.anySubject('https://idp/*'), /RequestPrincipal.anySubject: issuer/],
  ])('fails when a request principal is invalid (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});
