/**
 * EgressPolicy's promises, checked with the behaviour model over the external-payment-gateway
 * example. Promises today's output breaks are `test.failing` with the security review's id.
 */
import { EgressDeclarations, EgressPromises, podWithoutSidecar } from './egress-promises';
import { MeshModel } from '../../../src';
import { synthesizeExample } from '../../support/examples';

jest.setTimeout(120_000);

describe('external-payment-gateway example', () => {
  const declared: EgressDeclarations = {
    hosts: [
      { host: 'api.stripe.com', port: 443, protocol: 'https', callers: ['production/payment-service'] },
      { host: 'orders-db.example.com', port: 5432, protocol: 'tcp', callers: ['production/order-service'] },
    ],
    gateway: 'istio-system/istio-egressgateway',
    identities: ['production/default', 'shop/default'],
    bypassNamespace: 'production',
  };
  let promises: EgressPromises;
  beforeAll(() => {
    promises = new EgressPromises(MeshModel.fromManifests([...synthesizeExample('external-payment-gateway'), podWithoutSidecar('production')]), declared);
  });

  test('each declared caller reaches its host through the egress gateway', () => expect(promises.callersReachTheirHosts()).toEqual([]));
  test('no other identity reaches a declared host, and nobody reaches an undeclared one', () => expect(promises.othersRefused()).toEqual([]));
  test('a pod without a sidecar cannot go around the gateway (security H2)', () => expect(promises.noBypass()).toEqual([]));
});
