/**
 * A small flag reader for the commands: `--flag value`, `--flag=value`, repeatable or not, and
 * positional arguments; an unknown flag, a missing value or a repeated single flag is an error.
 */
export interface FlagSpec {
  /** The flag's names, e.g. `['-o', '--output']`. */
  readonly names: string[];
  /** Whether it may be given more than once. */
  readonly repeatable?: boolean;
}

export interface ParsedFlags {
  /** Values by the flag's first name. */
  readonly values: Map<string, string[]>;
  readonly positional: string[];
  /** What is wrong, when something is. */
  readonly error?: string;
}

export function parseFlags(args: readonly string[], specs: FlagSpec[]): ParsedFlags {
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = specs.find((s) => s.names.includes(name));
    if (!spec) return { values, positional, error: `unknown option '${name}'` };
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) return { values, positional, error: `${name} needs a value` };
    const key = spec.names[0];
    const list = values.get(key) ?? [];
    if (list.length > 0 && !spec.repeatable) return { values, positional, error: `${name} is given twice` };
    list.push(value);
    values.set(key, list);
  }
  return { values, positional };
}
