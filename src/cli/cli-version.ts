import * as fs from 'node:fs';
import { findUp } from '../private/package-files';

/** The version of the installed cdk8s-istio (its package.json). */
export function cliVersion(): string {
  const file = findUp(__dirname, 'package.json');
  return file ? JSON.parse(fs.readFileSync(file, 'utf-8')).version ?? 'unknown' : 'unknown';
}
