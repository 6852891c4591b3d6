import { invalid } from '../../../private/validate';
import { checkHeaderName, checkHeaderValue } from '../../private/gateway-api-rules';
import { HeaderModifierOptions } from '../header-modifier';

/** The body of a RequestHeaderModifier or ResponseHeaderModifier filter, checked. */
export function headerModifier(where: string, options: HeaderModifierOptions): any {
  const o = options ?? {};
  const seen = new Map<string, string>();
  const list = (field: string, map: { [name: string]: string } | undefined) => {
    if (map === undefined) return undefined;
    const entries = Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length > 16) invalid(where, field, Object.keys(map), 'at most 16 headers');
    for (const [name, value] of entries) {
      checkHeaderName(where, `${field} header name`, name);
      checkHeaderValue(where, `${field} header "${name}" value`, value);
      claim(name, field);
    }
    return entries.length > 0 ? entries.map(([name, value]) => ({ name, value })) : undefined;
  };
  const claim = (name: string, field: string) => {
    const other = seen.get(name.toLowerCase());
    if (other !== undefined) invalid(where, `${field} header`, name, `already named in ${other} (header names are case-insensitive)`);
    seen.set(name.toLowerCase(), field);
  };
  const set = list('set', o.set);
  const add = list('add', o.add);
  let remove: string[] | undefined;
  if (o.remove !== undefined) {
    if (o.remove.length > 16) invalid(where, 'remove', o.remove, 'at most 16 headers');
    o.remove.forEach((name) => { checkHeaderName(where, 'remove header name', name); claim(name, 'remove'); });
    remove = o.remove.length > 0 ? [...o.remove] : undefined;
  }
  if (!set && !add && !remove) invalid(where, 'options', o, 'set, add or remove at least one header');
  return { set, add, remove };
}
