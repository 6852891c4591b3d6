import { cdk8s, javascript, JsonFile, release } from 'projen';

/** Versions of the upstream APIs the generated bindings and schemas are made from. */
const ISTIO_VERSION = '1.30.3';
const GATEWAY_API_VERSION = 'v1.5.1';
/** The example the README's first command synthesizes. */
const MAIN_EXAMPLE = 'bookinfo';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-istio',
  description: 'Typed, safe-by-default cdk8s constructs for the Istio service mesh, with a CRD conformance gate.',
  author: 'cdk8s-istio authors',
  authorAddress: 'maintainers@cdk8s-istio.dev',
  repositoryUrl: 'https://github.com/cdk8s-istio/cdk8s-istio.git',
  keywords: ['cdk8s', 'istio', 'service-mesh', 'kubernetes', 'gateway-api', 'constructs'],
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  // The oldest Node.js release jsii still supports (20 reached its end of life; jsii dropped it on 2026-10-30).
  minNodeVersion: '22.0.0',
  // The workflows run the newest 22.x, not 22.0.0.
  workflowNodeVersion: '22.x',
  jsiiVersion: '~6.0.0',
  // .jsii.gz: the assembly (7 MB of JSON) compressed in the package; jsii tools read it as is.
  compressAssembly: true,
  typescriptVersion: '~5.9.3',

  // constructs 10.0.0 adds children in quadratic time; develop and test against a current 10.x.
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.8.1',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],

  // Runtime dependencies are bundled, as jsii requires for non-jsii modules.
  bundledDeps: ['@bufbuild/cel@0.6.1', '@bufbuild/re2@0.6.1', '@bufbuild/protobuf@^2.6.2', 'yaml@^2.8.0'],
  // cdk8s-plus-33 (the newest major) only to prove that inputs from any cdk8s-plus major type-check and synthesize alike.
  // jest-sarif: the SARIF 2.1.0 schema for the report tests; xmldom: reads their JUnit XML.
  devDeps: ['cdk8s-cli@2.207.60', 'ts-node', 'fast-check@^4', 'cdk8s-plus-33@2.5.57', '@microsoft/jest-sarif@1.0.0-beta.0', '@xmldom/xmldom@^0.9'],

  // The generated bindings live at the top level (imports/), so the compiler root is the repo.
  srcdir: 'src',
  libdir: 'lib',
  entrypoint: 'lib/src/index.js',
  entrypointTypes: 'lib/src/index.d.ts',
  tsconfig: {
    include: ['src/**/*.ts', 'imports/**/*.ts'],
    // No source maps: the package does not ship the TypeScript sources a map would point at, and
    // the inline maps of the generated bindings were megabytes that every `require` parsed.
    compilerOptions: { rootDir: '.', inlineSourceMap: false, inlineSources: false, sourceMap: false },
  },

  eslintOptions: {
    // The test task lints and reports; `npx projen eslint:fix` fixes what can be fixed.
    commandOptions: { fix: false },
    dirs: ['src'],
    devdirs: ['test', 'examples', 'projenrc', 'bench', '.projenrc.ts'],
    ignorePatterns: ['imports/**', 'lib/**', '*.d.ts', 'node_modules/**'],
  },
  jestOptions: {
    // Snapshots are review aids: a mismatch fails the run instead of being rewritten.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/imports/', '/test/'],
      // test/shared/ reads ../shared (Istio's CRDs, samples and test data): its own task, below.
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/test/shared/'],
      // The analyzer's warnings at synth are for users; a passing run prints none of them.
      setupFilesAfterEnv: ['<rootDir>/test/support/quiet-analyzer.ts'],
    },
  },

  // Releases: 0.x, the API may change between minor versions. A maintainer starts the release
  // workflow; it bumps the version from the conventional commits since the last tag, writes the
  // changelog and publishes to every registry below (the tokens are the maintainers' to add as
  // repository secrets: NPM_TOKEN, TWINE_*, MAVEN_*, GO_GITHUB_TOKEN).
  release: true,
  majorVersion: 0,
  // The first release is 0.1.0 (projen would start a 0.x line at 0.0.0); after it, the commits decide.
  nextVersionCommand: 'node -e "process.stdout.write(process.env.LATEST_TAG ? \'\' : \'0.1.0\')"',
  releaseTrigger: release.ReleaseTrigger.workflowDispatch(),
  stability: 'experimental',
  releaseToNpm: true,
  // The API compatibility check (jsii-diff) is the `compat` task below, which knows there is no release yet.
  compat: false,

  // Packages for the other jsii languages.
  publishToPypi: { distName: 'cdk8s-istio', module: 'cdk8s_istio' },
  publishToMaven: { javaPackage: 'io.github.cdk8sistio', mavenGroupId: 'io.github.cdk8s-istio', mavenArtifactId: 'cdk8s-istio' },
  publishToGo: { moduleName: 'github.com/cdk8s-istio/cdk8s-istio-go' },
  githubOptions: { mergify: false },
  depsUpgrade: false,
  pullRequestTemplate: false,
});

project.package.addField('types', 'lib/src/index.d.ts');
// jsii-pacmak 1.139.0: the generated Java and Go code needs the jsii runtime of the same version
// (software.amazon.jsii:jsii-runtime, github.com/aws/jsii-runtime-go), and 1.139.0 is the newest
// that both Maven Central and the Go module proxy serve.
project.deps.removeDependency('jsii-pacmak');
project.addDevDeps('jsii-pacmak@1.139.0');
project.gitattributes.addAttributes('/imports/**', 'linguist-generated');

// Examples are type-checked and linted like tests, against the sources.
new JsonFile(project, 'examples/tsconfig.json', {
  obj: { extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..' }, include: ['**/*.ts', '../src/**/*.ts', '../imports/**/*.ts'] },
  marker: false,
});
// The benchmark runs against the compiled library (lib/), with Node's types.
new JsonFile(project, 'bench/tsconfig.json', {
  obj: { extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..' }, include: ['**/*.ts'] },
  marker: false,
});
project.npmignore?.exclude('/examples/', '/projenrc/', '/.ci/', '/bench/');
project.npmignore?.include('/imports/schemas/*.json');
project.npmignore?.exclude('/imports/*.ts');

// API.md documents this library's own API; the generated bindings carry their CRD docs in their source.
project.tasks.tryFind('docgen')?.reset('jsii-docgen -o API.md --submodule root');

// The bindings and the conformance schemas are generated from the upstream CRDs.
// By default they are downloaded from the upstream release URLs; set CDK8S_ISTIO_CRDS_DIR to a
// folder laid out like `istio-<ver>/crd-all.gen.yaml` + `gateway-api-<ver>/*.yaml` to read local files.
project.addTask('import', {
  description: `Regenerate imports/ (bindings + schemas) from the Istio ${ISTIO_VERSION}, Gateway API ${GATEWAY_API_VERSION}, Prometheus Operator, Argo Rollouts and Flagger CRDs`,
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/import/main.ts',
});

// Tests that need ../shared (not in a user's clone): run by .ci/run, skipped with a message elsewhere.
project.addTask('test:shared', {
  description: 'Run the tests that read ../shared (Istio CRDs, bookinfo, Istio API test data)',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/run-shared-tests.ts',
  receiveArgs: true,
});

// Property-based tests at full size: 10,000 generated inputs per construct (the default test run
// takes a 200-input sample of the same properties).
project.addTask('test:fuzz', {
  description: 'Run the property-based tests with 10,000 inputs per construct and print the tallies',
  env: { FUZZ_RUNS: '10000', FUZZ_REPORT: '1' },
  exec: 'jest --coverage=false test/fuzz',
});

// Examples: each examples/<name>/main.ts is a cdk8s app; output goes to dist/examples/<name>/.
project.addTask('synth:examples', {
  description: 'Synthesize every example into dist/examples/',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/synth-examples.ts',
  receiveArgs: true,
});
project.addTask('synth:example', {
  description: 'Synthesize the main example into dist/examples/',
  exec: `ts-node --project projenrc/tsconfig.json projenrc/synth-examples.ts ${MAIN_EXAMPLE}`,
});

// The README quick start and one example, type-checked and synthesized with every supported
// cdk8s-plus major: what the library makes must not depend on which one the app uses.
project.addTask('check:cdk8s-plus', {
  description: 'Type-check and synthesize the README quick start and an example with cdk8s-plus-28 and -33; compare the output',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/check-plus-majors.ts',
});

// The scale benchmark: a script that prints a table (against the compiled library), not a test.
project.addTask('bench', {
  description: 'Synthesize 1,000 / 5,000 / 10,000 services typed, with raw bindings and as a bare YAML dump; time the behaviour model on 1,000; print the tables',
  steps: [
    { spawn: 'compile' },
    { exec: 'ts-node --transpile-only --project projenrc/tsconfig.json bench/synth-scale.ts' },
    { exec: 'ts-node --transpile-only --project projenrc/tsconfig.json bench/model-scale.ts' },
  ],
});

// The API against the newest release on npm (jsii-diff), once there is one; CI runs it.
project.removeTask('compat');
project.addTask('compat', {
  description: 'Compare the API with the newest release on npm (jsii-diff); says so and passes when nothing is released yet',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/check-compat.ts',
});

// The README quick start in every jsii language, from packages built here; the YAML must be identical.
project.addTask('check:languages', {
  description: 'Package for npm, PyPI, Maven and Go; run the README quick start in TypeScript, Python, Java and Go; compare the YAML byte for byte',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/check-languages.ts',
});

// The CLI: `cdk8s-istio validate ...`.
project.addBins({ 'cdk8s-istio': 'bin/cdk8s-istio' });
project.npmignore?.include('/bin/');
project.gitignore.exclude('/.jsii.gz');
// API.md is for the repository and Construct Hub (which reads the assembly), not for node_modules.
project.npmignore?.exclude('/API.md');

// Lint fixes: their own task (the test task only reports).
project.addTask('eslint:fix', {
  description: 'Fix what eslint can fix',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: 'eslint --ext .ts,.tsx --fix --no-error-on-unmatched-pattern src test examples projenrc bench .projenrc.ts',
});

// Packages carry what a user's Node.js loads: see projenrc/prune-bundled.ts.
const PRUNE_BUNDLED = 'ts-node --project projenrc/tsconfig.json projenrc/prune-bundled.ts';
for (const target of ['js', 'python', 'java', 'go']) project.tasks.tryFind(`package:${target}`)?.prependExec(PRUNE_BUNDLED);

// The tests keep source maps (the package has none): ts-jest maps coverage and stack traces with them.
project.tsconfigDev?.file.addOverride('compilerOptions.sourceMap', true);

// ts-jest transpiles test files without type checking (test/tsconfig.json has isolatedModules),
// so the tests are type-checked on their own first: `@ts-expect-error` lines must hold.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json', { name: 'typecheck-tests' });

project.synth();
