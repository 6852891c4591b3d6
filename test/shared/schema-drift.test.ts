import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CRD_SOURCES } from '../../projenrc/import/sources';
import { bundleCrds, isCrdDocument } from '../../src/private/schema/compact';
import { sharedPath } from '../support/shared-dir';

test('imports/schemas/crd-schemas.json is what the import task makes from ../shared/crds', () => {
  const crds: any[] = [];
  for (const source of CRD_SOURCES) {
    for (const { file } of source.files) {
      const text = fs.readFileSync(sharedPath('crds', `${source.name}-${source.version}`, file), 'utf-8');
      for (const doc of parseAllDocuments(text)) {
        const o = doc.toJS();
        if (isCrdDocument(o) && source.groups.includes(o.spec.group)) crds.push(o);
      }
    }
  }
  const expected = bundleCrds(crds, CRD_SOURCES.map((s) => ({ name: s.name, version: s.version })));
  const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'imports', 'schemas', 'crd-schemas.json'), 'utf-8'));
  expect(committed).toEqual(JSON.parse(JSON.stringify(expected)));
});
