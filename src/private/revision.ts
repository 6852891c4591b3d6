import { DNS1123_LABEL } from './hosts';
import { invalid } from './validate';

/** A revision name: an RFC 1123 label (it becomes part of object names, e.g. `istiod-1-30-3`). */
export function checkRevision(where: string, revision: string): string {
  if (typeof revision !== 'string' || revision.length === 0 || revision.length > 63 || !DNS1123_LABEL.test(revision)) {
    invalid(where, 'revision', revision, "an RFC 1123 label such as '1-30-3' or 'canary' (no dots)");
  }
  return revision;
}
