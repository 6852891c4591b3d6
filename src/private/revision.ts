import { checkDnsLabel } from './k8s-names';

/** A revision name: an RFC 1123 label (it becomes part of object names, e.g. `istiod-1-30-3`). */
export function checkRevision(where: string, revision: string): string {
  return checkDnsLabel(where, 'revision', revision, "an RFC 1123 label such as '1-30-3' or 'canary' (no dots)");
}
