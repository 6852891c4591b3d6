/**
 * Re-indents the continuation lines of multi-line single-quoted scalars that sit at (or left of)
 * their key's indentation. YAML requires them to be indented more than the key, and the `yaml`
 * parser refuses them; Go's YAML parser (and so `kubectl`) accepts them, and some upstream CRDs
 * ship them (Flagger 1.44's `apiVersion`/`kind` descriptions). Only lines inside such an open
 * quote are touched; everything else is returned byte for byte.
 */
export function repairUnderIndentedQuotes(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let open: { indent: number } | undefined;
  for (const line of lines) {
    if (open) {
      const indent = line.length - line.trimStart().length;
      out.push(indent <= open.indent && line.trim().length > 0 ? ' '.repeat(open.indent + 2) + line.trimStart() : line);
      if (quotesAreOdd(line)) open = undefined;
      continue;
    }
    out.push(line);
    const m = /^(\s*)(?:- )?[^\s'"#][^:#]*:\s'(.*)$/.exec(line);
    if (m && !closesQuote(m[2])) open = { indent: m[1].length };
  }
  return out.join('\n');
}

/** Whether `rest` (the text after an opening single quote) closes the quote. */
function closesQuote(rest: string): boolean {
  return quotesAreOdd(rest);
}

/** Whether a line has an odd number of single quotes once `''` escapes are removed. */
function quotesAreOdd(text: string): boolean {
  return (text.replace(/''/g, '').match(/'/g) ?? []).length % 2 === 1;
}
