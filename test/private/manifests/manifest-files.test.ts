/** Where each object of a manifest file starts: the line the reports and the log name. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readManifestsTolerantly } from '../../../src/private/manifests/manifest-files';

function read(text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-lines-'));
  const file = path.join(dir, 'm.yaml');
  fs.writeFileSync(file, text);
  try {
    return readManifestsTolerantly([file], () => '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('manifest lines', () => {
  test('each document starts where its content starts: after separators, comments and blank lines', () => {
    const { documents } = read('# header\nkind: A\nmetadata: { name: a }\n---\n\n# about b\nkind: B\n---\nkind: C\n');
    expect(documents.map((d) => [(d.object as any).kind, d.line])).toEqual([['A', 2], ['B', 7], ['C', 9]]);
  });

  test('the items of a List are each at their own line', () => {
    const { documents } = read('apiVersion: v1\nkind: List\nitems:\n- kind: A\n  metadata: { name: a }\n- kind: B\n');
    expect(documents.map((d) => [(d.object as any).kind, d.line])).toEqual([['A', 4], ['B', 6]]);
  });

  test('a YAML error carries its line, without the colon that introduced the code frame', () => {
    const { errors, documents } = read('kind: A\n---\nkind: B\nmetadata: [\n---\nkind: C\n');
    expect(errors).toEqual([{ source: expect.stringMatching(/m\.yaml$/), line: 5, message: expect.stringMatching(/^YAML error: .* at line 5, column 1$/) }]);
    expect(documents.map((d) => [(d.object as any).kind, d.line])).toEqual([['A', 1], ['C', 6]]);
  });

  test('lines hold where under-indented quoted scalars are repaired (Flagger\'s CRDs have them)', () => {
    const { documents } = read("kind: A\ndescription: 'one\nline two'\n---\nkind: B\n");
    expect(documents.map((d) => [(d.object as any).kind, d.line])).toEqual([['A', 1], ['B', 5]]);
  });
});
