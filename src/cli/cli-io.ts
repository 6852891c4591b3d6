import * as fs from 'node:fs';

/** Output sinks and standard input of the command line, injectable for tests. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Standard input, read whole (for the manifest path `-`). */
  readonly readStdin?: () => string;
}

/** stdout, stderr and stdin. */
export const STD_IO: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  readStdin: () => fs.readFileSync(0, 'utf-8'),
};

/** Standard input of `io`, or an error when it has none. */
export function stdinOf(io: CliIo): () => string {
  return io.readStdin ?? (() => {
    throw new Error('no standard input to read the manifest path - from');
  });
}
