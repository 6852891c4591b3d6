import { RE2JS } from '@bufbuild/re2';
import { IConstruct } from 'constructs';
import { invalid } from './validate';

/** Envoy's regex engine is RE2; Istio caps a regex at 1024 characters. */
export const MAX_REGEX_LENGTH = 1024;

/** Throws unless `pattern` is a non-empty RE2 regex of at most 1024 characters. */
export function checkRe2(where: IConstruct | string, field: string, pattern: string): string {
  if (typeof pattern !== 'string' || pattern.length === 0) invalid(where, field, pattern, 'a non-empty RE2 regular expression');
  if (pattern.length > MAX_REGEX_LENGTH) invalid(where, field, `${pattern.slice(0, 40)}...`, `a regex of at most ${MAX_REGEX_LENGTH} characters (got ${pattern.length})`);
  try {
    RE2JS.compile(pattern);
  } catch (e) {
    invalid(where, field, pattern, `an RE2 regular expression (Envoy's engine; no lookaround or backreferences): ${(e as Error).message}`);
  }
  return pattern;
}

/** An RE2 pattern that matches `text` literally (its metacharacters escaped). */
export function re2Literal(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
