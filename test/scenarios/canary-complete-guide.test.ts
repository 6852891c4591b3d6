import { DestinationRule, ManifestValidator, ServiceHost, VirtualService } from '../../src';
// The objects below are fragments of a tutorial's setup (its gateways and subsets live elsewhere):
// each is checked alone, against the CRDs; the cross-object analysis is tested in test/analysis.
import { findObject, synth, isolatedChart } from '../support/synth';

// A complete guide to Istio and service mesh, with a 90/10 canary for my-app-service. The guide
// writes networking.istio.io/v1alpha3 and no namespace; the typed API emits v1 in a chart
// without a namespace.

const myApp = ServiceHost.of('my-app-service');

describe('a 90/10 canary of my-app-service', () => {
  test('my-app DestinationRule — subsets v1 and v2 of my-app-service by version label', () => {
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

  test('my-app VirtualService — 90% of my-app-service traffic to v1, 10% to v2', () => {
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

  test('the typed output equals the objects as the guide writes them, except for apiVersion (v1alpha3 is still served, v1 is stored)', () => {
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
    const asWritten = [
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
    expect(new ManifestValidator().validateObjects(asWritten).problems).toEqual([]);
    for (const written of asWritten) {
      const typed = findObject(out, written.kind, written.metadata.name);
      expect(typed).toEqual({ ...written, apiVersion: 'networking.istio.io/v1' });
    }
  });
});
