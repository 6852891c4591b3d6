import { RE2JS } from '@bufbuild/re2';

/** Schema `pattern`s are RE2 on the API server; they match anywhere in the value unless anchored. */
const cache = new Map<string, RE2JS | Error>();

export function compilePattern(pattern: string): RE2JS | Error {
  let compiled = cache.get(pattern);
  if (!compiled) {
    try {
      compiled = RE2JS.compile(pattern);
    } catch (e) {
      compiled = e instanceof Error ? e : new Error(String(e));
    }
    cache.set(pattern, compiled);
  }
  return compiled;
}
