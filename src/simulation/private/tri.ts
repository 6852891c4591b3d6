/** Three-valued logic (Kleene): a condition the model cannot evaluate is `unknown`, never guessed. */
export type Tri = true | false | 'unknown';

export function and(values: Iterable<Tri>): Tri {
  let unknown = false;
  for (const v of values) {
    if (v === false) return false;
    if (v === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

export function or(values: Iterable<Tri>): Tri {
  let unknown = false;
  for (const v of values) {
    if (v === true) return true;
    if (v === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : false;
}

export function not(v: Tri): Tri {
  return v === 'unknown' ? 'unknown' : !v;
}
