/** IPv4 address blocks: where a ServiceEntry's addresses fall against a NetworkPolicy's ipBlock. IPv6 is not read. */
import { Tri } from './tri';

interface Block { readonly first: number; readonly last: number }

function block(text: string): Block | undefined {
  const [ip, bits] = text.split('/');
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || !parts.every((p) => Number.isInteger(p) && p >= 0 && p < 256)) return undefined;
  const prefix = bits === undefined ? 32 : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const first = Math.floor(parts.reduce((n, p) => n * 256 + p, 0) / size) * size;
  return { first, last: first + size - 1 };
}

/** Whether every address of `inner` is in `outer` (true), none is (false), or some are ('unknown'). */
export function blockWithin(inner: string, outer: string): Tri {
  const [i, o] = [block(inner), block(outer)];
  if (!i || !o) return 'unknown';
  if (i.first >= o.first && i.last <= o.last) return true;
  if (i.last < o.first || i.first > o.last) return false;
  return 'unknown';
}
