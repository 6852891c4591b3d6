import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CrdCatalog } from '../../src/conformance/crd-catalog';

test('CRD files with multi-line quoted scalars indented as Go YAML allows (Flagger 1.44) are read as kubectl reads them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-istio-yaml-'));
  try {
    const file = path.join(dir, 'crd.yaml');
    fs.writeFileSync(file, [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  name: widgets.example.com',
      'spec:',
      '  group: example.com',
      '  names: { kind: Widget, plural: widgets }',
      '  scope: Namespaced',
      '  versions:',
      '  - name: v1',
      '    served: true',
      '    storage: true',
      '    schema:',
      '      openAPIV3Schema:',
      '        type: object',
      '        properties:',
      '          apiVersion:',
      "            description: 'APIVersion defines the versioned schema of this representation",
      '            of an object. More info: https://example.com',
      "            and more'",
      '            type: string',
      '',
    ].join('\n'));
    const catalog = CrdCatalog.fromFiles([file]);
    expect(catalog.kinds).toEqual(['example.com/v1 Widget']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
