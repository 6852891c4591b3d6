/** `cdk8s-istio reachability`: which identity reaches which Service port and external host. */
import { CliIo } from './cli-io';
import { parseFlags } from './flags';
import { dataPlane, UsageProblem } from './simulate-command';
import { REACHABILITY_USAGE } from './usage';
import { MeshModel } from '../simulation/mesh-model';
import { ValidationError } from '../validation-error';

export function reachability(args: readonly string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(REACHABILITY_USAGE);
    return 0;
  }
  const parsed = parseFlags(args, [{ names: ['-o', '--output'] }, { names: ['--undeclared-namespaces'] }]);
  const usage = (message: string) => {
    io.err(`cdk8s-istio reachability: ${message}\n${REACHABILITY_USAGE}`);
    return 2;
  };
  if (parsed.error) return usage(parsed.error);
  if (parsed.positional.length === 0) return usage('no manifest file or directory given');
  const format = parsed.values.get('-o')?.[0] ?? 'table';
  if (!['table', 'json', 'dot'].includes(format)) return usage(`-o "${format}" is invalid: table, json or dot`);
  try {
    const matrix = MeshModel.fromFiles(parsed.positional, { undeclaredNamespaces: dataPlane(parsed.values.get('--undeclared-namespaces')?.[0]) }).reachability();
    io.out(format === 'json' ? JSON.stringify(matrix.toJson(), undefined, 2) : format === 'dot' ? matrix.toDot() : matrix.toTable());
    return 0;
  } catch (e) {
    if (e instanceof UsageProblem) return usage(e.message);
    if (!(e instanceof ValidationError)) throw e;
    io.err(`cdk8s-istio reachability: ${e.message}`);
    return 2;
  }
}
