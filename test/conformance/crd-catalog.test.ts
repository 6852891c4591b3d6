import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { CrdCatalog, ManifestValidator } from '../../src';
import { widgetCrd } from '../support/widget-crd';

describe('CrdCatalog', () => {
  test('bundled: Istio and Gateway API kinds at their served versions', () => {
    const kinds = CrdCatalog.bundled().kinds;
    expect(kinds).toEqual(expect.arrayContaining([
      'networking.istio.io/v1 VirtualService',
      'networking.istio.io/v1alpha3 VirtualService',
      'security.istio.io/v1 AuthorizationPolicy',
      'telemetry.istio.io/v1 Telemetry',
      'gateway.networking.k8s.io/v1 HTTPRoute',
      'gateway.networking.k8s.io/v1 ListenerSet',
    ]));
    expect(kinds).not.toContain('gateway.networking.k8s.io/v1alpha2 TLSRoute'); // not served in v1.5.1
  });

  test('summarizes CEL rules: evaluable, transition-only, not evaluable', () => {
    const catalog = CrdCatalog.fromCrdDocuments([widgetCrd([
      { rule: 'self.size <= 10', message: 'at most 10' },
      { rule: 'self.size == oldSelf.size', message: 'immutable' },
      { rule: 'self.noSuchFunction()' },
    ])]);
    const summary = catalog.celRuleSummary();
    expect(summary).toMatchObject({ total: 3, evaluable: 1, transitionOnly: 1 });
    expect(summary.notEvaluable).toEqual(["self.noSuchFunction(): unknown function 'noSuchFunction'"]);
  });

  test('a rule the gate cannot evaluate is reported, never passed', () => {
    const catalog = CrdCatalog.fromCrdDocuments([widgetCrd([{ rule: 'self.noSuchFunction()' }])]);
    const report = new ManifestValidator({ catalog }).validateObjects([
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} },
    ]);
    expect(report.celNotEvaluable).toBe(1);
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringMatching(/CEL rule could not be evaluated \(unknown function 'noSuchFunction'\)/)]);
  });

  test('defaults apply before rules, and reserved words are escaped for CEL', () => {
    const catalog = CrdCatalog.fromCrdDocuments([widgetCrd([
      { rule: 'self.size == 3', message: 'size defaults to 3' },
      { rule: "!has(self.__namespace__) || self.__namespace__ != 'kube-system'", message: 'not kube-system' },
    ])]);
    const validator = new ManifestValidator({ catalog });
    const ok = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { namespace: 'apps' } };
    expect(validator.validateObject(ok)).toEqual([]);
    const bad = { ...ok, spec: { namespace: 'kube-system' } };
    expect(validator.validateObject(bad).map((p) => p.message)).toEqual(['Invalid value: not kube-system']);
  });

  test('a version that is not served is refused', () => {
    const catalog = CrdCatalog.fromCrdDocuments([widgetCrd()]);
    const problems = new ManifestValidator({ catalog }).validateObject({ apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w' } });
    expect(problems).toEqual([expect.objectContaining({ path: 'apiVersion', message: 'version v1beta1 of Widget is not served (served: example.com/v1)' })]);
  });

  test('fromFiles reads a kubectl List and ignores other documents', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
    fs.writeFileSync(path.join(dir, 'crds.yaml'), stringify({ apiVersion: 'v1', kind: 'List', items: [widgetCrd()] }) + '---\n' + stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
    const catalog = CrdCatalog.fromFiles([dir]);
    expect(catalog.kinds).toEqual(['example.com/v1 Widget']);
  });

  test('fromFiles without any CRD is an error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
    fs.writeFileSync(path.join(dir, 'x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(() => CrdCatalog.fromFiles([dir])).toThrow(/no CustomResourceDefinition found in/);
  });

  test('fromCrdDocuments refuses other objects', () => {
    expect(() => CrdCatalog.fromCrdDocuments([{ apiVersion: 'v1', kind: 'ConfigMap' }])).toThrow(/not a CustomResourceDefinition/);
  });
});
