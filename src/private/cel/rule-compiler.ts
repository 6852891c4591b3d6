import type { CelEnv, CelResult } from '@bufbuild/cel';
import { celModule } from './cel-module';
import { kubernetesCelFunctions } from './kubernetes-library';

/** A rule compiled once and evaluated many times. */
export type CompiledRule =
  | { readonly kind: 'ok'; readonly evaluate: (self: unknown) => CelResult }
  /** Refers to `oldSelf`: Kubernetes evaluates it on update only, never on create. */
  | { readonly kind: 'transition' }
  | { readonly kind: 'unsupported'; readonly reason: string };

let sharedEnv: CelEnv | undefined;
function env(): CelEnv {
  sharedEnv ??= celModule().celEnv({ funcs: [...kubernetesCelFunctions()] });
  return sharedEnv;
}

const cache = new Map<string, CompiledRule>();

/** Compiles a CEL rule, or says why it cannot be evaluated. Results are cached by rule text. */
export function compileRule(rule: string): CompiledRule {
  let compiled = cache.get(rule);
  if (!compiled) {
    compiled = doCompile(rule);
    cache.set(rule, compiled);
  }
  return compiled;
}

function doCompile(rule: string): CompiledRule {
  let parsed;
  try {
    parsed = celModule().parse(rule);
  } catch (e) {
    return { kind: 'unsupported', reason: `parse error: ${(e as Error).message}` };
  }
  const names = new Set<string>();
  const idents = new Set<string>();
  collectNames(parsed.expr, names, idents);
  if (idents.has('oldSelf')) return { kind: 'transition' };
  for (const name of names) {
    if (isOperator(name)) continue;
    if (!env().funcs.find(name)) return { kind: 'unsupported', reason: `unknown function '${name}'` };
  }
  const program = celModule().plan(env(), parsed);
  return { kind: 'ok', evaluate: (self) => program({ self } as any) };
}

function isOperator(name: string): boolean {
  return name.startsWith('_') || name.startsWith('@') || name.startsWith('!_');
}

/** Walks a parsed expression and records every call's function name and every identifier. */
function collectNames(node: any, calls: Set<string>, idents: Set<string>): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const child of node) collectNames(child, calls, idents);
    return;
  }
  const kind = node.exprKind;
  if (kind?.case === 'callExpr') calls.add(kind.value.function);
  if (kind?.case === 'identExpr') idents.add(kind.value.name);
  for (const [key, value] of Object.entries(node)) {
    if (key !== '$typeName' && typeof value === 'object') collectNames(value, calls, idents);
  }
}

/** The outcome of one evaluation: passed, failed, or an evaluation error (reported as a failure). */
export type RuleOutcome = { readonly passed: true } | { readonly passed: false; readonly error?: string };

export function runRule(compiled: CompiledRule & { kind: 'ok' }, self: unknown): RuleOutcome {
  const result = compiled.evaluate(self);
  if (celModule().isCelError(result)) return { passed: false, error: result.message };
  if (result === true) return { passed: true };
  if (result === false) return { passed: false };
  return { passed: false, error: `rule did not yield a bool (got ${String(result)})` };
}
