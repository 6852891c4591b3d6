import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, visit, type Document } from 'yaml';
import { repairUnderIndentedQuotes } from './yaml-repair';

/** One document read from a manifest file. */
export interface LoadedDocument {
  readonly source: string;
  readonly object: unknown;
  /** The line the object starts on in its file (1-based), when known. */
  readonly line?: number;
}

/** Files under the given paths (directories are walked in sorted order) that hold YAML or JSON. */
export function listManifestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      const entries = fs.readdirSync(p).sort();
      out.push(...listManifestFiles(entries.map((e) => path.join(p, e)).filter((e) => fs.statSync(e).isDirectory() || /\.(ya?ml|json)$/i.test(e))));
    } else {
      out.push(p);
    }
  }
  return out;
}

/**
 * Parses every document of a YAML (or JSON) text. `List` objects (`kubectl get -o yaml`) are
 * flattened into their items; empty documents are skipped.
 */
export function parseManifestText(text: string, source: string): LoadedDocument[] {
  const out: LoadedDocument[] = [];
  const repaired = repairUnderIndentedQuotes(text);
  const lines = lineStarts(repaired);
  for (const doc of parseAllDocuments(repaired)) {
    if (doc.errors.length > 0) throw new Error(`${source}: YAML error: ${doc.errors[0].message}`);
    out.push(...documentObjects(doc, repaired, lines, source));
  }
  return out;
}

/**
 * The objects of one parsed document (none when it is empty; a List's items), each with its line.
 * `lines` are the line starts of `text`; the repair keeps every line where it is, so offsets in
 * `text` give the file's lines.
 */
function documentObjects(doc: Document.Parsed, text: string, lines: readonly number[], source: string): LoadedDocument[] {
  readFlowScalarsAsKubectlDoes(doc, text);
  const object = doc.toJS({ maxAliasCount: -1 });
  if (object === null || object === undefined) return [];
  const lineAt = (node: unknown) => {
    const offset = (node as { range?: [number, number, number] } | null)?.range?.[0];
    return offset === undefined ? undefined : lineOf(lines, offset);
  };
  if (isList(object)) {
    const items = doc.get('items', true);
    return object.items.map((item, i) => ({ source, object: item, line: isSeq(items) ? lineAt(items.items[i]) : undefined }));
  }
  return [{ source, object, line: lineAt(doc.contents) }];
}

/** The offsets at which the lines of a text start (once per file: its documents share them). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line of an offset (a binary search over the line starts). */
function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The documents of the given files, and the YAML errors met on the way (the rest is still read). */
export interface ManifestRead {
  /** The files read (`-` for standard input). */
  readonly files: string[];
  readonly documents: LoadedDocument[];
  /** YAML syntax errors: the file, the line when the parser gives it, and the parser's message. */
  readonly errors: Array<{ readonly source: string; readonly line?: number; readonly message: string }>;
}

/**
 * Reads manifests as a command line does: `-` is standard input (`stdin()`), and a document
 * with a YAML syntax error is reported and skipped, not the end of the run.
 */
export function readManifestsTolerantly(paths: readonly string[], stdin: () => string): ManifestRead {
  const files = paths.flatMap((p) => (p === '-' ? ['-'] : listManifestFiles([p])));
  const documents: LoadedDocument[] = [];
  const errors: Array<{ source: string; line?: number; message: string }> = [];
  for (const file of files) {
    const text = repairUnderIndentedQuotes(file === '-' ? stdin() : fs.readFileSync(file, 'utf-8'));
    const lines = lineStarts(text);
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) {
        // The parser's first line (it names the line and column), without its code frame and the colon that led to it.
        const error = doc.errors[0];
        errors.push({ source: file, line: error.linePos?.[0].line, message: `YAML error: ${error.message.split('\n')[0].replace(/:\s*$/, '')}` });
        continue;
      }
      documents.push(...documentObjects(doc, text, lines, file));
    }
  }
  return { files, documents, errors };
}

export function readManifestFiles(paths: readonly string[]): LoadedDocument[] {
  return listManifestFiles(paths).flatMap((file) => parseManifestText(fs.readFileSync(file, 'utf-8'), file));
}

function isList(object: any): object is { items: unknown[] } {
  return object && typeof object === 'object' && typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items);
}

/**
 * kubectl's YAML reader (YAML 1.1) reads a plain flow-sequence entry such as `001:db8::` (an IPv6
 * address) as one string; a YAML 1.2 reader sees an implicit `{"001:db8:": null}` pair. Where an
 * entry is such a pair with no value and no `: ` in its text, read it as the string kubectl sees.
 */
function readFlowScalarsAsKubectlDoes(doc: Document.Parsed, text: string): void {
  visit(doc, {
    Seq(_key, seq) {
      if (!isSeq(seq) || !seq.flow) return;
      seq.items = seq.items.map((item) => {
        if (!isMap(item) || item.items.length !== 1 || !item.range) return item;
        const pair = item.items[0];
        const valueless = pair.value === null || (isScalar(pair.value) && !pair.value.source && pair.value.value === null);
        if (!isPair(pair) || !isScalar(pair.key) || !valueless) return item;
        const raw = text.slice(item.range[0], item.range[1]).trim();
        if (/:\s/.test(raw) || !raw.endsWith(':')) return item;
        const scalar = new Scalar(raw);
        scalar.range = item.range;
        return scalar;
      });
    },
  });
}
