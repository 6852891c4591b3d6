/** The `cdk8s-istio` command line: validate, analyze, simulate, reachability. */
import { analyze } from './analyze-command';
import { CliIo, STD_IO } from './cli-io';
import { cliVersion } from './cli-version';
import { reachability } from './reachability-command';
import { simulate } from './simulate-command';
import { USAGE } from './usage';
import { validate } from './validate-command';

export type { CliIo } from './cli-io';

const COMMANDS: { [name: string]: (args: readonly string[], io: CliIo) => number } = { validate, analyze, simulate, reachability };

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = STD_IO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.out(cliVersion());
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`cdk8s-istio: unknown command '${command}'\n${USAGE}`);
    return 2;
  }
  return run(rest, io);
}
