/**
 * Jest setup (setupFilesAfterEnv): the analyzer's warnings, which `app.synth()` prints to standard
 * error for a user to read, are not printed while the tests run, so a passing run prints nothing
 * but the runner's report. Tests that assert on what synth prints spy on `process.stderr.write`
 * themselves (their spy replaces this filter, and restoring it brings the filter back).
 */
const ANALYZER_WARNING = /^Warning \[[A-Z0-9-]+\]/;

let write: typeof process.stderr.write;

beforeEach(() => {
  write = process.stderr.write;
  const passThrough = write.bind(process.stderr);
  process.stderr.write = ((chunk: any, ...rest: any[]) =>
    (ANALYZER_WARNING.test(String(chunk)) ? true : passThrough(chunk, ...rest))) as typeof write;
});

afterEach(() => {
  process.stderr.write = write;
});
