import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The project's shared folder (Istio's CRDs, samples and test data), beside the repository as
 * `../shared`, or where CDK8S_ISTIO_SHARED_DIR points. Tests under test/shared/ need it; the
 * `test:shared` task runs them and says they were skipped when it is absent.
 */
export function sharedDir(): string {
  const dir = process.env.CDK8S_ISTIO_SHARED_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared');
  if (!fs.existsSync(path.join(dir, 'crds'))) {
    throw new Error(`shared folder not found at ${dir}: run these tests through 'npx projen test:shared'`);
  }
  return dir;
}

export function sharedPath(...parts: string[]): string {
  return path.join(sharedDir(), ...parts);
}
