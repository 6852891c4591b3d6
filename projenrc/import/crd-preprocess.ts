/**
 * Prepares upstream CRDs for `cdk8s import`. Pure functions over parsed YAML, so they are tested
 * on their own (test/import/crd-preprocess.test.ts).
 */
import { parseAllDocuments } from 'yaml';
import { CrdSource } from './sources';
import { repairUnderIndentedQuotes } from '../../src/private/manifests/yaml-repair';
import { isCrdDocument } from '../../src/private/schema/compact';

/** Kubernetes version priority: GA before beta before alpha, then higher numbers first. */
export function compareVersionPriority(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), m[3] === undefined ? 0 : Number(m[3])];
  };
  const [sa, ma, na] = rank(a);
  const [sb, mb, nb] = rank(b);
  return sb - sa || mb - ma || nb - na || a.localeCompare(b);
}

/** The version the bindings are generated for: the served version of highest priority (v1 for the Istio kinds that have it). */
export function preferredVersion(crd: any): any {
  const served = (crd.spec.versions as any[]).filter((v) => v.served !== false);
  if (served.length === 0) throw new Error(`CRD ${crd.metadata?.name} serves no version`);
  return [...served].sort((a, b) => compareVersionPriority(a.name, b.name))[0];
}

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Istio keeps deprecated snake_case twins of some fields (`mirror_percent` beside `mirrorPercent`,
 * `jwks_uri` beside `jwksUri`). `cdk8s import` camel-cases property names, so both map to one
 * TypeScript name and the generator keeps whichever comes first: the binding then writes the
 * deprecated key, or fails to compile (cdk8s-cli issue #65). Removing the snake_case twin wherever
 * its camelCase form exists makes the binding write the canonical field. Returns the removed paths.
 */
export function dropSnakeCaseTwins(schema: any, path = ''): string[] {
  const removed: string[] = [];
  if (schema === null || typeof schema !== 'object') return removed;
  if (Array.isArray(schema)) {
    schema.forEach((item, i) => removed.push(...dropSnakeCaseTwins(item, `${path}[${i}]`)));
    return removed;
  }
  const props = schema.properties;
  if (props && typeof props === 'object') {
    for (const name of Object.keys(props).sort()) {
      if (name.includes('_') && camelCase(name) !== name && camelCase(name) in props) {
        delete props[name];
        removed.push(`${path}.${name}`);
      }
    }
    if (Array.isArray(schema.required)) schema.required = schema.required.filter((r: string) => r in props);
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'x-kubernetes-validations') continue;
    removed.push(...dropSnakeCaseTwins(value, key === 'properties' ? path : `${path}.${key}`));
  }
  return removed;
}

/** The CRD as `cdk8s import` should see it: the preferred version only, without snake_case twins. */
export function bindingInput(crd: any): { crd: any; removed: string[] } {
  const copy = structuredClone(crd);
  const version = preferredVersion(copy);
  copy.spec.versions = [version];
  const removed = dropSnakeCaseTwins(version.schema?.openAPIV3Schema ?? {});
  return { crd: copy, removed };
}

/** The CRDs of one upstream file that a source imports (its groups and kinds), after the quote repair. */
export function selectCrds(source: CrdSource, file: string, text: string): any[] {
  const crds: any[] = [];
  for (const doc of parseAllDocuments(repairUnderIndentedQuotes(text))) {
    if (doc.errors.length > 0) throw new Error(`${source.name} ${file}: ${doc.errors[0].message}`);
    const object = doc.toJS();
    if (!isCrdDocument(object) || !source.groups.includes(object.spec.group)) continue;
    if (source.kinds && !source.kinds.includes(object.spec.names.kind)) continue;
    crds.push(object);
  }
  return crds;
}
