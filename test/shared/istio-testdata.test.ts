import * as fs from 'node:fs';
import { CrdCatalog, ManifestValidator } from '../../src';
import { parseManifestText } from '../../src/private/manifests/manifest-files';
import { sharedPath } from '../support/shared-dir';

/** Istio's own CRD test cases (istio/api tests/testdata): `_err` carries the expected error fragment. */
const dir = sharedPath('testdata', 'istio-api');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

function cases(file: string) {
  return parseManifestText(fs.readFileSync(`${dir}/${file}`, 'utf-8'), file).map((d, i) => {
    const { _err: expected, ...object } = d.object as any;
    return { label: `${file}#${i} ${object.metadata?.name ?? ''}`, object, expected: expected as string | undefined };
  });
}

const validCases = files.filter((f) => f.endsWith('-valid.yaml')).flatMap(cases);
const invalidCases = files.filter((f) => f.endsWith('-invalid.yaml')).flatMap(cases);

describe.each([
  ['bundled schemas', () => new ManifestValidator()],
  ['CRDs read from ../shared/crds', () => new ManifestValidator({ catalog: CrdCatalog.fromFiles([sharedPath('crds', 'istio-1.30.3'), sharedPath('crds', 'gateway-api-v1.5.1')]) })],
])('Istio API test data against %s', (_label, makeValidator) => {
  const validator = makeValidator();

  test('there are cases of both kinds', () => {
    expect(validCases.length).toBeGreaterThan(20);
    expect(invalidCases.length).toBeGreaterThan(20);
  });

  test.each(validCases.map((c) => [c.label, c] as const))('accepts %s', (_l, c) => {
    const report = validator.validateObjects([c.object]);
    expect(report.problems).toEqual([]);
    expect(report.checked).toBe(1);
  });

  test.each(invalidCases.map((c) => [c.label, c] as const))('rejects %s', (_l, c) => {
    const problems = validator.validateObject(c.object);
    expect(problems.length).toBeGreaterThan(0);
  });
});
