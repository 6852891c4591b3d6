/**
 * What an Argo CD sync does to one object, from the Application's ignoreDifferences and sync
 * options (Argo CD v3.5, user-guide/diffing and sync-options):
 * - the object is compared with the ignored fields removed on both sides; equal is Synced, and
 *   with `ApplyOutOfSyncOnly=true` a Synced object is not applied: the live one stays;
 * - an OutOfSync object is applied from git, ignored fields included.
 * `RespectIgnoreDifferences` is refused: the library does not set it, and its effect on custom
 * resources (whole live arrays kept) is not modelled here.
 * Paths: JSON pointers without escapes, and jq paths made of `.name`, `[]` and `["key"]`.
 */

type Step = { key: string } | { each: true };

function parse(path: string): Step[] {
  if (path.startsWith('/')) return path.slice(1).split('/').map((key) => ({ key }));
  const steps: Step[] = [];
  const re = /\.([A-Za-z_][\w-]*)|\[\]|\["([^"]+)"\]/g;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(path)) !== null) {
    if (m.index !== at) throw new Error(`unsupported path ${path}`);
    at = re.lastIndex;
    steps.push(m[0] === '[]' ? { each: true } : { key: m[1] ?? m[2] });
  }
  if (at !== path.length) throw new Error(`unsupported path ${path}`);
  return steps;
}

function remove(obj: any, steps: Step[]): void {
  if (obj === null || typeof obj !== 'object' || steps.length === 0) return;
  const [first, ...rest] = steps;
  if ('each' in first) {
    if (Array.isArray(obj)) for (const item of obj) remove(item, rest);
  } else if (rest.length === 0) {
    delete obj[first.key];
  } else {
    remove(obj[first.key], rest);
  }
}

export interface IgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
}

const groupOf = (o: any) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '');

/** The object after a sync of `git` over `live` by the Application `app`. */
export function syncObject(app: any, git: any, live: any): { result: any; applied: boolean } {
  const rules: IgnoreDifference[] = (app.spec.ignoreDifferences ?? []).filter((r: IgnoreDifference) => (r.group ?? '') === groupOf(git) && r.kind === git.kind
    && (r.name === undefined || r.name === git.metadata.name) && (r.namespace === undefined || r.namespace === git.metadata.namespace));
  const paths = rules.flatMap((r) => [...(r.jsonPointers ?? []), ...(r.jqPathExpressions ?? [])]).map(parse);
  const options: string[] = app.spec.syncPolicy?.syncOptions ?? [];
  const normalize = (o: any) => {
    const copy = structuredClone(o);
    for (const p of paths) remove(copy, p);
    return JSON.stringify(sortKeys(copy));
  };
  if (options.includes('RespectIgnoreDifferences=true')) throw new Error('RespectIgnoreDifferences is not modelled');
  if (normalize(git) === normalize(live) && options.includes('ApplyOutOfSyncOnly=true')) return { result: live, applied: false };
  return { result: structuredClone(git), applied: true };
}

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
