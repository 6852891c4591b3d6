/**
 * `npx projen compat`: the public API compared with the newest release on npm by jsii-diff, so a
 * change that breaks users is seen before it is released. The API is experimental (0.x), which
 * jsii-diff by default reports as warnings only: `--error-on all` makes every break fail, and a
 * break made on purpose (a 0.x minor release may make one, and the release notes say so) is listed
 * in .compatignore. Before the first release there is nothing to compare with: it says so and passes.
 */
import { execFileSync, spawnSync } from 'node:child_process';

const NAME = 'cdk8s-istio';
const view = spawnSync('npm', ['view', NAME, 'version', '--json'], { encoding: 'utf-8' });
if (view.status !== 0) {
  if (/E404|not in this registry|404 Not Found/.test(`${view.stdout}${view.stderr}`)) {
    console.log(`${NAME} has no release on npm yet: no API to compare with`);
    process.exit(0);
  }
  console.error(`npm view ${NAME} failed:\n${view.stderr}`);
  process.exit(1);
}
const released = JSON.parse(view.stdout) as string;
console.log(`comparing the API with ${NAME}@${released}`);
execFileSync('npx', ['jsii-diff', `npm:${NAME}@${released}`, '--keys', '--error-on', 'all', '--ignore-file', '.compatignore'], { stdio: 'inherit' });
