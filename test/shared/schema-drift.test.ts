import * as fs from 'node:fs';
import * as path from 'node:path';
import { chartValues } from '../../projenrc/import/chart-values';
import { selectCrds } from '../../projenrc/import/crd-preprocess';
import { CHART_VERSION, CRD_SOURCES } from '../../projenrc/import/sources';
import { bundleCrds } from '../../src/private/schema/compact';
import { sharedPath } from '../support/shared-dir';

test('imports/schemas/crd-schemas.json is what the import task makes from ../shared/crds', () => {
  const crds: any[] = [];
  for (const source of CRD_SOURCES) {
    for (const { file } of source.files) {
      const text = fs.readFileSync(sharedPath('crds', `${source.name}-${source.version}`, file), 'utf-8');
      crds.push(...selectCrds(source, file, text));
    }
  }
  const expected = bundleCrds(crds, CRD_SOURCES.map((s) => ({ name: s.name, version: s.version })));
  const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'imports', 'schemas', 'crd-schemas.json'), 'utf-8'));
  expect(committed).toEqual(JSON.parse(JSON.stringify(expected)));
});

test('imports/schemas/istio-chart-values.json is what the import task makes from ../shared/charts', () => {
  const expected = chartValues((source, file) => {
    const local = sharedPath('charts', `istio-${CHART_VERSION}`, source.folder, file);
    return fs.existsSync(local) ? fs.readFileSync(local, 'utf-8') : undefined;
  });
  const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'imports', 'schemas', 'istio-chart-values.json'), 'utf-8'));
  expect(committed).toEqual(expected);
  // The checks read what the charts read: the istiod chart's names and the gateway chart's schema.
  expect(committed.charts.istiod).toEqual(expect.arrayContaining(['meshConfig', 'revision', 'autoscaleMin', 'sidecarInjectorWebhook']));
  expect(committed.schemas.gateway.additionalProperties).toBe(false);
});
