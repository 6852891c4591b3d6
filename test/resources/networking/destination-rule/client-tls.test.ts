import { ClientTls, ClientTlsMode } from '../../../../src/resources/networking/destination-rule/client-tls';
import { DestinationRule } from '../../../../src/resources/networking/destination-rule/destination-rule';
import { TrafficPolicy } from '../../../../src/resources/networking/destination-rule/traffic-policy';
import { ServiceHost } from '../../../../src/resources/networking/service-host';
import { findObject, synth, testChart } from '../../../support/synth';

/** Error cases named after the call that fails (as written, without the compiled module prefix). */
function named(cases: Array<[() => unknown, RegExp]>): Array<[string, () => unknown, RegExp]> {
  return cases.map(([make, message]) => [String(make).replace(/^\(\) => /, '').replace(/\b\w+_\d+\./g, ''), make, message]);
}

/** The synthesized `tls` (through the conformance gate). */
function rendered(tls: ClientTls): any {
  const { chart } = testChart('egress');
  new DestinationRule(chart, 'r', { host: ServiceHost.of('api.example.com'), trafficPolicy: TrafficPolicy.of({ tls }) });
  return findObject(synth(chart), 'DestinationRule').spec.trafficPolicy.tls;
}

describe('ClientTls', () => {
  test('disable and ISTIO_MUTUAL (which carries no certificates)', () => {
    expect(rendered(ClientTls.disable())).toEqual({ mode: 'DISABLE' });
    expect(rendered(ClientTls.istioMutual({ sni: 'reviews.bookinfo', subjectAltNames: ['spiffe://cluster.local/ns/bookinfo/sa/reviews'] })))
      .toEqual({ mode: 'ISTIO_MUTUAL', sni: 'reviews.bookinfo', subjectAltNames: ['spiffe://cluster.local/ns/bookinfo/sa/reviews'] });
    expect(ClientTls.istioMutual().mode).toBe(ClientTlsMode.ISTIO_MUTUAL);
  });

  test('SIMPLE: system trust store, CA secret, CA file with CRL, or no verification', () => {
    expect(rendered(ClientTls.simple())).toEqual({ mode: 'SIMPLE' });
    expect(rendered(ClientTls.simple({ credentialName: 'api-ca', sni: 'api.example.com', subjectAltNames: ['api.example.com'] })))
      .toEqual({ mode: 'SIMPLE', credentialName: 'api-ca', sni: 'api.example.com', subjectAltNames: ['api.example.com'] });
    expect(rendered(ClientTls.simple({ caCertificates: '/etc/certs/ca.pem', caCrl: '/etc/certs/ca.crl' })))
      .toEqual({ mode: 'SIMPLE', caCertificates: '/etc/certs/ca.pem', caCrl: '/etc/certs/ca.crl' });
    expect(rendered(ClientTls.simple({ insecureSkipVerify: true, sni: 'dev.example.com' }))).toEqual({ mode: 'SIMPLE', sni: 'dev.example.com', insecureSkipVerify: true });
  });

  test('MUTUAL from a secret, or from files', () => {
    const fromSecret = ClientTls.mutual({ credentialName: 'client-cert', sni: 'api.example.com', subjectAltNames: ['api.example.com'] });
    expect(fromSecret.credentialName).toBe('client-cert');
    expect(rendered(fromSecret)).toEqual({ mode: 'MUTUAL', credentialName: 'client-cert', sni: 'api.example.com', subjectAltNames: ['api.example.com'] });
    expect(rendered(ClientTls.mutual({ clientCertificate: '/etc/c/cert.pem', privateKey: '/etc/c/key.pem', caCertificates: '/etc/c/ca.pem' })))
      .toEqual({ mode: 'MUTUAL', clientCertificate: '/etc/c/cert.pem', privateKey: '/etc/c/key.pem', caCertificates: '/etc/c/ca.pem' });
    expect(rendered(ClientTls.mutual({ credentialName: 'client-cert', insecureSkipVerify: true }))).toEqual({ mode: 'MUTUAL', credentialName: 'client-cert', insecureSkipVerify: true });
  });

  // Review H1: an explicit sni turns off Istio's auto-SAN check (pilot/pkg/networking/core/cluster_tls.go
  // setAutoSniAndAutoSanValidation at 1.30.3): without names, any trusted certificate for any host passes.
  test('sni without subjectAltNames is refused unless the hostname check is given up by name', () => {
    expect(() => ClientTls.simple({ sni: 'api.example.com' }))
      .toThrow(/ClientTls.simple: sni "api.example.com" is invalid: sni with subjectAltNames \(e.g. subjectAltNames: \["api.example.com"\]\), or no sni .*insecureSkipHostnameVerification: true accepts that/);
    expect(() => ClientTls.mutual({ credentialName: 'c', sni: 'api.example.com' })).toThrow(/ClientTls.mutual: sni "api.example.com" is invalid/);
    const optedOut = ClientTls.simple({ sni: 'api.example.com', insecureSkipHostnameVerification: true });
    expect(rendered(optedOut)).toEqual({ mode: 'SIMPLE', sni: 'api.example.com' });
    expect(rendered(ClientTls.simple({}))).toEqual({ mode: 'SIMPLE' });
  });

  describe('errors', () => {
    test.each(named([
      [() => ClientTls.simple({ credentialName: 'ca', caCertificates: '/ca.pem' }), /ClientTls.simple: credentialName "ca" is invalid: the secret carries the CA \(and CRL\)/],
      [() => ClientTls.simple({ credentialName: 'ca', caCrl: '/ca.crl' }), /ClientTls.simple: credentialName "ca" is invalid: the secret carries the CA/],
      [() => ClientTls.simple({ insecureSkipVerify: true, credentialName: 'ca' }), /ClientTls.simple: credentialName "ca" is invalid: a CA secret verifies the server, which insecureSkipVerify turns off/],
      [() => ClientTls.simple({ insecureSkipVerify: true, caCertificates: '/ca.pem' }), /caCertificates "\/ca.pem" is invalid: a CA verifies the server/],
      [() => ClientTls.simple({ insecureSkipVerify: true, subjectAltNames: ['a'] }), /subjectAltNames \["a"\] is invalid: names are verified/],
      [() => ClientTls.simple({ sni: '' }), /ClientTls.simple: sni "" is invalid: a non-empty string/],
      [() => ClientTls.simple({ subjectAltNames: [] }), /subjectAltNames \[\] is invalid: at least one name/],
      [() => ClientTls.simple({ subjectAltNames: [' '] }), /subject alternative name " " is invalid/],
      [() => ClientTls.simple({ credentialName: 'configmap://only-name' }), /credentialName "configmap:\/\/only-name" is invalid: a ConfigMap reference is "configmap:\/\/<namespace>\/<name>"/],
      [() => ClientTls.simple({ credentialName: 'configmap://ns/a/b' }), /a ConfigMap reference is/],
      [() => ClientTls.mutual({}), /ClientTls.mutual: clientCertificate \(missing\) is invalid: mutual TLS needs a client certificate/],
      [() => ClientTls.mutual({ clientCertificate: '/c.pem' }), /ClientTls.mutual: privateKey \(missing\) is invalid: mutual TLS needs a private key/],
      [() => ClientTls.mutual({ credentialName: 'c', clientCertificate: '/c.pem' }), /ClientTls.mutual: credentialName "c" is invalid: the secret carries the client certificate and key/],
      [() => ClientTls.mutual({ credentialName: 'c', caCertificates: '/ca.pem' }), /ClientTls.mutual: credentialName "c" is invalid: the secret carries the CA/],
      [() => ClientTls.mutual({ credentialName: 'c', insecureSkipVerify: true, subjectAltNames: ['a'] }), /ClientTls.mutual: subjectAltNames .* is invalid: names are verified/],
      [() => ClientTls.istioMutual({ subjectAltNames: [] }), /ClientTls.istioMutual: subjectAltNames \[\] is invalid/],
      [() => ClientTls.simple({ sni: 'a.example.com', subjectAltNames: ['a.example.com'], insecureSkipHostnameVerification: true }),
        /ClientTls.simple: insecureSkipHostnameVerification true is invalid: subjectAltNames verify the hostname/],
      [() => ClientTls.simple({ insecureSkipHostnameVerification: true }), /insecureSkipHostnameVerification true is invalid: an explicit sni/],
      [() => ClientTls.simple({ sni: 'a.example.com', insecureSkipVerify: true, insecureSkipHostnameVerification: true }),
        /insecureSkipHostnameVerification true is invalid: insecureSkipVerify already skips every check/],
    ]))('fails when %s', (_, make, message) => {
      expect(make).toThrow(message);
    });
  });
});
