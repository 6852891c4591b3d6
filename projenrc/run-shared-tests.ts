/**
 * `npx projen test:shared`: runs test/shared/ when the shared folder (../shared, or
 * $CDK8S_ISTIO_SHARED_DIR) is there, and says it skipped them when it is not (a user's clone).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const shared = process.env.CDK8S_ISTIO_SHARED_DIR ?? path.resolve(root, '..', 'shared');
if (!fs.existsSync(path.join(shared, 'crds'))) {
  console.log(`test:shared: skipped: no shared folder at ${path.relative(root, shared)} (Istio CRDs, bookinfo and Istio's API test data live there)`);
  process.exit(0);
}
const jest = path.join(root, 'node_modules', '.bin', 'jest');
const args = ['--ci', '--coverage=false', '--testPathIgnorePatterns', '/node_modules/', '--', 'test/shared', ...process.argv.slice(2)];
const result = spawnSync(jest, args, { cwd: root, stdio: 'inherit', env: { ...process.env, CDK8S_ISTIO_SHARED_DIR: shared } });
process.exit(result.status ?? 1);
