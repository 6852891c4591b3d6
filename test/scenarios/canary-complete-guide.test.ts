import { DestinationRule, ManifestValidator, ServiceHost, VirtualService } from '../../src';
// The seed objects are fragments of the articles' setups (their gateways and subsets live elsewhere):
// each is checked alone, against the CRDs; the cross-object analysis is tested in test/analysis.
import { findObject, synth, isolatedChart } from '../support/synth';

// Seed 004: "Istio and Service Mesh: A Complete Guide" — a 90/10 canary for my-app-service. The
// seed writes networking.istio.io/v1alpha3 and no namespace; the typed API emits v1 in a chart
// without a namespace.

const myApp = ServiceHost.of('my-app-service');

describe('seed 004: 90/10 canary (my-app)', () => {
  test('seed 004: my-app DestinationRule — subsets v1 and v2 of my-app-service by version label', () => {
    const { chart } = isolatedChart(null);
    const dr = new DestinationRule(chart, 'my-app', {
      host: myApp,
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
    const obj = findObject(synth(chart), 'DestinationRule', 'my-app');
    expect(dr.subsetNames).toEqual(['v1', 'v2']);
    expect(obj.apiVersion).toBe('networking.istio.io/v1');
    expect(obj.metadata.namespace).toBeUndefined();
    expect(obj.spec).toEqual({
      host: 'my-app-service',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
  });

  test('seed 004: my-app VirtualService — 90% of my-app-service traffic to v1, 10% to v2', () => {
    const { chart } = isolatedChart(null);
    const vs = new VirtualService(chart, 'my-app', {
      hosts: [myApp],
      http: [{ destinations: [{ host: myApp, subset: 'v1', weight: 90 }, { host: myApp, subset: 'v2', weight: 10 }] }],
    });
    const obj = findObject(synth(chart), 'VirtualService', 'my-app');
    expect(vs.destinations.map((d) => d.subset)).toEqual(['v1', 'v2']);
    expect(obj.apiVersion).toBe('networking.istio.io/v1');
    expect(obj.spec).toEqual({
      hosts: ['my-app-service'],
      http: [{
        route: [
          { destination: { host: 'my-app-service', subset: 'v1' }, weight: 90 },
          { destination: { host: 'my-app-service', subset: 'v2' }, weight: 10 },
        ],
      }],
    });
  });

  test('seed 004: the typed output equals the seed objects except for apiVersion (v1alpha3 is still served, v1 is stored)', () => {
    const { chart } = isolatedChart(null);
    new DestinationRule(chart, 'my-app-dr', {
      name: 'my-app',
      host: myApp,
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
    new VirtualService(chart, 'my-app-vs', {
      name: 'my-app',
      hosts: [myApp],
      http: [{ destinations: [{ host: myApp, subset: 'v1', weight: 90 }, { host: myApp, subset: 'v2', weight: 10 }] }],
    });
    const out = synth(chart);
    const seeds = [
      {
        apiVersion: 'networking.istio.io/v1alpha3',
        kind: 'DestinationRule',
        metadata: { name: 'my-app' },
        spec: { host: 'my-app-service', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
      },
      {
        apiVersion: 'networking.istio.io/v1alpha3',
        kind: 'VirtualService',
        metadata: { name: 'my-app' },
        spec: {
          hosts: ['my-app-service'],
          http: [{
            route: [
              { destination: { host: 'my-app-service', subset: 'v1' }, weight: 90 },
              { destination: { host: 'my-app-service', subset: 'v2' }, weight: 10 },
            ],
          }],
        },
      },
    ];
    expect(new ManifestValidator().validateObjects(seeds).problems).toEqual([]);
    for (const seed of seeds) {
      const typed = findObject(out, seed.kind, seed.metadata.name);
      expect(typed).toEqual({ ...seed, apiVersion: 'networking.istio.io/v1' });
    }
  });
});
