/**
 * ZeroTrustNamespace's promises, checked with the behaviour model over the zero-trust example
 * and over generated namespaces (sidecar and ambient). Promises today's output breaks are
 * `test.failing` with the security review's finding id (security-review.md); they flip when
 * the security issue fixes them.
 */
import { prometheus, scraper, ZeroTrustDeclarations, ZeroTrustPromises } from './zero-trust-promises';
import { MeshModel } from '../../../src';
import { synthesizeExample, withServices } from '../../support/examples';

jest.setTimeout(120_000);


describe('zero-trust-production example', () => {
  const issuer = 'https://auth.example.com';
  const declared: ZeroTrustDeclarations = {
    namespace: 'production',
    workloads: ['payment-service', 'api-gateway', 'order-service'],
    allows: [
      {
        workload: 'payment-service',
        callers: [{ namespace: 'production', serviceAccount: 'order-service' }, { namespace: 'production', serviceAccount: 'api-gateway' }],
        methods: ['GET', 'POST'],
        paths: ['/api/v1/payments/*', '/api/v1/refunds/*'],
      },
      { workload: 'payment-service', callers: [{ namespace: 'monitoring' }], methods: ['GET'], paths: ['/metrics'] },
      { workload: 'api-gateway', callers: [{ namespace: 'istio-system', serviceAccount: 'istio-ingressgateway-service-account' }, { issuer }] },
    ],
    jwt: [{ workload: 'api-gateway', issuer, exemptPaths: ['/health', '/ready'] }],
    endUsersVia: 'istio-system/istio-ingressgateway-service-account',
    identities: ['production/order-service', 'production/api-gateway', 'production/payment-service', 'other/default', 'istio-system/istio-ingressgateway-service-account'],
  };
  let promises: ZeroTrustPromises;
  beforeAll(() => {
    promises = new ZeroTrustPromises(MeshModel.fromManifests([...withServices(synthesizeExample('zero-trust-production')), ...prometheus]), declared);
  });

  test('every declared allow is delivered, with the declared methods and paths', () => expect(promises.declaredAllowsDelivered()).toEqual([]));
  test('declared callers are refused other methods and paths', () => expect(promises.undeclaredOperationsDenied()).toEqual([]));
  test('every other identity is denied', () => expect(promises.otherIdentitiesDenied()).toEqual([]));
  test('plaintext from outside the mesh is refused', () => expect(promises.outsideRefused()).toEqual([]));
  test('api-gateway refuses requests without a token, except on its health paths', () => expect(promises.tokensRequired()).toEqual([]));
  test('the mesh\'s Prometheus scrapes every proxy (security R1)', () => expect(promises.proxiesScraped(scraper)).toEqual([]));
});
