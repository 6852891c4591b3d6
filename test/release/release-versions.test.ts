import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The release task's versions, as the release workflow computes them: the project's own
 * `.projen/tasks.json` and `package.json` in a scratch Git repository, `projen bump` run there.
 * The first release is 0.1.0; below 1.0 a fix makes a patch and a breaking change a minor.
 */

const root = path.resolve(__dirname, '..', '..');
const projen = path.join(root, 'node_modules', 'projen', 'bin', 'projen');

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], { cwd: dir, stdio: 'pipe' });
}

function bump(dir: string): string {
  execFileSync(process.execPath, [projen, 'bump'], { cwd: dir, stdio: 'pipe', env: { ...process.env, CI: 'true' } });
  const version = fs.readFileSync(path.join(dir, 'dist', 'version.txt'), 'utf8').trim();
  execFileSync(process.execPath, [projen, 'unbump'], { cwd: dir, stdio: 'pipe' });
  git(dir, 'checkout', '-q', '--', 'package.json');
  return version;
}

function commit(dir: string, message: string): void {
  fs.appendFileSync(path.join(dir, 'CHANGES'), `${message}\n`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

test('first release 0.1.0, then a fix makes a patch and a breaking change a minor', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
  try {
    fs.mkdirSync(path.join(dir, '.projen'));
    fs.copyFileSync(path.join(root, '.projen', 'tasks.json'), path.join(dir, '.projen', 'tasks.json'));
    fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\ndist\n');
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    git(dir, 'init', '-q');
    commit(dir, 'feat: the first API');
    expect(bump(dir)).toBe('0.1.0');

    git(dir, 'tag', 'v0.1.0');
    commit(dir, 'fix: a field was dropped');
    expect(bump(dir)).toBe('0.1.1');

    commit(dir, 'feat!: a construct renamed');
    expect(bump(dir)).toBe('0.2.0');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
