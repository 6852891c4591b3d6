import { IConstruct } from 'constructs';
import { re2Literal } from '../../../private/regex';
import { invalid } from '../../../private/validate';
import { HttpHeaderMatch, HttpPathMatch, HttpQueryParamMatch, HttpRouteMatch, HttpRouteMethod } from '../../../resources/gateway-api/http-route-match';
import { StringMatch } from '../../../resources/networking/string-match';
import { HttpMatch } from '../../../resources/networking/virtual-service/http-match';

const UNSUPPORTED: Array<keyof HttpMatch> = [
  'scheme', 'authority', 'withoutHeaders', 'sourceLabels', 'sourceNamespace', 'port', 'gateways', 'ignoreUriCase', 'statPrefix', 'name',
];

/** A header or query parameter match as a Gateway API value: exact stays exact, the rest become RE2. */
function valuePattern(m: StringMatch): { exact?: string; regex?: string } {
  if (m.kind === 'exact') return { exact: m.value };
  if (m.kind === 'prefix') return { regex: `${re2Literal(m.value)}.*` };
  if (m.kind === 'present') return { regex: '.*' };
  return { regex: m.value };
}

/**
 * The HTTPRoute form of a VirtualService match, for releases routed with Gateway API. Fields an
 * HTTPRoute cannot match on fail with the field named. A URI prefix becomes a `PathPrefix`, which
 * matches whole path segments (`/api` does not match `/apis`).
 */
export function toHttpRouteMatch(where: IConstruct, field: string, match: HttpMatch): HttpRouteMatch {
  for (const key of UNSUPPORTED) {
    if (match[key] !== undefined) invalid(where, `${field}.${key}`, match[key], 'a match an HTTPRoute can express (uri, method, headers, queryParams)');
  }
  let path: HttpPathMatch | undefined;
  if (match.uri) {
    if (match.uri.kind === 'exact') path = HttpPathMatch.exact(match.uri.value);
    else if (match.uri.kind === 'prefix') path = HttpPathMatch.pathPrefix(match.uri.value);
    else path = HttpPathMatch.regularExpression(match.uri.value);
  }
  let method: HttpRouteMethod | undefined;
  if (match.method) {
    const known = Object.values(HttpRouteMethod) as string[];
    if (match.method.kind !== 'exact' || !known.includes(match.method.value)) {
      invalid(where, `${field}.method`, match.method._render(), `an exact method, one of ${known.join(', ')}`);
    }
    method = match.method.value as HttpRouteMethod;
  }
  const headers = Object.entries(match.headers ?? {}).map(([name, m]) => {
    const p = valuePattern(m);
    return p.exact !== undefined ? HttpHeaderMatch.exact(name, p.exact) : HttpHeaderMatch.regularExpression(name, p.regex!);
  });
  const queryParams = Object.entries(match.queryParams ?? {}).map(([name, m]) => {
    const p = valuePattern(m);
    return p.exact !== undefined ? HttpQueryParamMatch.exact(name, p.exact) : HttpQueryParamMatch.regularExpression(name, p.regex!);
  });
  return {
    path,
    method,
    headers: headers.length > 0 ? headers : undefined,
    queryParams: queryParams.length > 0 ? queryParams : undefined,
  };
}
