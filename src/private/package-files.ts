import * as fs from 'node:fs';
import * as path from 'node:path';

/** The first `relative` path found in `start` or one of its parents (files shipped beside the compiled code). */
export function findUp(start: string, relative: string): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, relative);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
