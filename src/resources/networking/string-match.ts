import { checkRe2 } from '../../private/regex';
import { invalid } from '../../private/validate';

/**
 * How a VirtualService matches a string (a URI, scheme, method, authority, header or query
 * parameter; a CORS origin): exactly, by prefix, or by an RE2 regular expression. Matching is
 * case-sensitive, except URIs with `ignoreUriCase`.
 *
 * `present()` matches any value: only for headers and query parameters, where it tests that the
 * header or parameter is there at all.
 */
export class StringMatch {
  /** The whole string equals `value`. */
  public static exact(value: string): StringMatch {
    if (typeof value !== 'string') invalid('StringMatch.exact', 'value', value, 'a string');
    return new StringMatch('exact', value);
  }

  /** The string starts with `prefix` (not empty: to match everything, leave the match out). */
  public static prefix(prefix: string): StringMatch {
    if (typeof prefix !== 'string' || prefix.length === 0) {
      invalid('StringMatch.prefix', 'prefix', prefix, 'a non-empty prefix (to match anything, leave the field out, or use present() for a header)');
    }
    return new StringMatch('prefix', prefix);
  }

  /**
   * The whole string matches an RE2 regular expression (Envoy's engine: no lookaround or
   * backreferences), at most 1024 characters.
   */
  public static regex(pattern: string): StringMatch {
    return new StringMatch('regex', checkRe2('StringMatch.regex', 'regex', pattern));
  }

  /** The header or query parameter is present, with any value (`{}` on the wire). */
  public static present(): StringMatch {
    return new StringMatch('present', '');
  }

  private constructor(
    /** `exact`, `prefix`, `regex` or `present`. */
    public readonly kind: string,
    /** The value, prefix or pattern (empty for `present`). */
    public readonly value: string,
  ) {}

  /** Whether this is `present()`. */
  public get isPresent(): boolean {
    return this.kind === 'present';
  }

  /** @internal */
  public _render(): { [key: string]: string } {
    return this.kind === 'present' ? {} : { [this.kind]: this.value };
  }
}
