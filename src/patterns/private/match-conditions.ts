import { HttpMatch } from '../../resources/networking/virtual-service/http-match';

/**
 * Whether a match sets a condition: a match with only a `name` or a `statPrefix` (or empty
 * values) holds for every request.
 */
export function hasConditions(match: HttpMatch | undefined): boolean {
  return Object.entries(match ?? {}).some(([k, v]) => k !== 'name' && k !== 'statPrefix' && v !== undefined
    && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && Object.keys(v as object).length === 0));
}
