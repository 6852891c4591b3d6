import * as fs from 'node:fs';
import * as path from 'node:path';
import { selectCrds } from '../../projenrc/import/crd-preprocess';
import { CRD_SOURCES } from '../../projenrc/import/sources';
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
