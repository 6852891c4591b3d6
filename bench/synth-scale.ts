/**
 * Scale benchmark: `npm run bench` (or `npx projen bench`), against the compiled library in lib/.
 *
 * For N services (default 1,000 / 5,000 / 10,000; `BENCH_SIZES=100,500` to change), each a
 * CanaryRelease of two Deployments in a ZeroTrustNamespace with an allow rule, and per 100
 * services a namespace with an EgressPolicy, it measures in a fresh process each:
 *   typed      the constructs, synthesized with the synth-time checks on (conformance gate and analyzer)
 *   analysis   the same with the analyzer on and the conformance gate off
 *   typed-off  the same with both off
 *   raw        the same manifests built as objects of the generated bindings, synthesized by cdk8s
 *   dump       the same manifests serialized with a bare YAML dump
 * and prints wall time, time per service, peak RSS and output bytes, with the ratios the
 * project targets. It also times `require` of the library (so no mode's clock includes loading
 * modules). The modes run interleaved, `BENCH_REPEAT` times each (default 3), each run in a fresh
 * process: wall times on a shared machine vary by tens of percent from run to run, so the table
 * gives the best and the median run, and the ratios use the best. Prints numbers; asserts nothing.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFleet, LIB, loadModules } from './fleet';

const ROOT = path.join(__dirname, '..');
type Mode = 'typed' | 'analysis' | 'typed-off' | 'raw' | 'dump';
const MODES: Mode[] = ['typed', 'analysis', 'typed-off', 'raw', 'dump'];

interface Measure {
  readonly mode: Mode;
  readonly services: number;
  /** The best run's wall time. */
  readonly seconds: number;
  /** The median run's wall time. */
  readonly medianSeconds?: number;
  readonly peakRssMiB: number;
  readonly outputBytes: number;
  readonly objects: number;
}

/** Builds the typed app for `services` services; returns its synthesis. */
function buildTyped(services: number, checks: { gate: boolean; analysis: boolean }): { synth: () => string } {
  const app = buildFleet(loadModules(), services, { ...checks, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')) });
  return { synth: () => app.synthYaml() };
}

/** The typed app's manifests, written once per size for the raw and dump modes. */
function manifestsFile(services: number): string {
  return path.join(os.tmpdir(), `cdk8s-istio-bench-${services}.json`);
}

/** The binding class for a manifest's kind, from the generated imports (ApiObject otherwise). */
function bindingFor(manifest: any): any {
  const { lib, cdk8s: { ApiObject }, kplus: { k8s } } = loadModules();
  const group = String(manifest.apiVersion).split('/')[0];
  const modules: { [group: string]: any } = {
    'networking.istio.io': lib.istionetworking,
    'security.istio.io': lib.istiosecurity,
    'telemetry.istio.io': lib.istiotelemetry,
  };
  const mod = modules[group] ?? k8s;
  const cls = Object.values(mod).find((c: any) => c?.GVK?.kind === manifest.kind && c.GVK.apiVersion === manifest.apiVersion);
  return cls ?? ApiObject;
}

/** Synthesizes the typed app once and saves its manifests for the raw and dump modes (not measured). */
function prepare(services: number): void {
  const yaml = buildTyped(services, { gate: false, analysis: false }).synth();
  const { yaml: { parseAllDocuments } } = loadModules();
  fs.writeFileSync(manifestsFile(services), JSON.stringify(parseAllDocuments(yaml).map((d: any) => d.toJS())));
}

function runMode(mode: Mode, services: number): Omit<Measure, 'peakRssMiB'> {
  const modules = loadModules();
  let yaml: string;
  let objects: number;
  let started: bigint;
  if (mode === 'typed' || mode === 'analysis' || mode === 'typed-off') {
    started = process.hrtime.bigint();
    yaml = buildTyped(services, { gate: mode === 'typed', analysis: mode !== 'typed-off' }).synth();
    objects = yaml.split('\n---\n').length;
  } else {
    const manifests: any[] = JSON.parse(fs.readFileSync(manifestsFile(services), 'utf-8'));
    const classes = new Map<string, any>();
    const bindings = manifests.map((m) => {
      const key = `${m.apiVersion}/${m.kind}`;
      if (!classes.has(key)) classes.set(key, bindingFor(m));
      return classes.get(key);
    });
    started = process.hrtime.bigint();
    if (mode === 'raw') {
      const { App, Chart } = modules.cdk8s;
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')) });
      const chart = new Chart(app, 'fleet');
      manifests.forEach((m, i) => {
        const Binding = bindings[i];
        const { apiVersion, kind, metadata, ...rest } = m;
        if (Binding.GVK) new Binding(chart, `o${i}`, { metadata, ...rest });
        else new Binding(chart, `o${i}`, { apiVersion, kind, metadata, ...rest });
      });
      yaml = app.synthYaml();
    } else {
      yaml = manifests.map((m) => modules.yaml.stringify(m)).join('---\n');
    }
    objects = manifests.length;
  }
  return { mode, services, seconds: Number(process.hrtime.bigint() - started) / 1e9, outputBytes: Buffer.byteLength(yaml), objects };
}

function child(mode: Mode | 'prepare', services: number): Measure {
  const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', mode, String(services)], {
    encoding: 'utf-8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/**
 * Milliseconds to `require` the library in a fresh process (best of 5): in all, and with its
 * peer dependencies (cdk8s, cdk8s-plus-28, yaml), which any cdk8s app loads anyway, loaded first.
 */
function requireMillis(afterPeers: boolean): number {
  const peers = afterPeers ? "require('cdk8s'); require('cdk8s-plus-28'); require('yaml'); " : '';
  const script = `${peers}const t = process.hrtime.bigint(); require(${JSON.stringify(LIB)}); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const runs = [0, 1, 2, 3, 4].map(() => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf-8', cwd: ROOT }).trim()));
  return Math.min(...runs);
}

function main(): void {
  if (process.argv[2] === '--child') {
    if (process.argv[3] === 'prepare') {
      prepare(Number(process.argv[4]));
      console.log('{}');
      return;
    }
    const m = runMode(process.argv[3] as Mode, Number(process.argv[4]));
    console.log(JSON.stringify({ ...m, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  if (!fs.existsSync(path.join(LIB, 'index.js'))) throw new Error('lib/ is missing: run `npx projen compile` first');
  const sizes = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
  const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
  const rows: Measure[] = [];
  for (const n of sizes) {
    child('prepare', n);
    const runs = new Map<Mode, Measure[]>(MODES.map((mode) => [mode, []]));
    for (let r = 0; r < repeat; r++) {
      for (const mode of MODES) {
        const m = child(mode, n);
        runs.get(mode)!.push(m);
        console.error(`  ${mode} ${n} #${r + 1}: ${m.seconds.toFixed(2)} s`);
      }
    }
    for (const mode of MODES) {
      const sorted = [...runs.get(mode)!].sort((x, y) => x.seconds - y.seconds);
      rows.push({
        ...sorted[0],
        medianSeconds: sorted[Math.floor(sorted.length / 2)].seconds,
        peakRssMiB: Math.max(...sorted.map((m) => m.peakRssMiB)),
      });
    }
    fs.rmSync(manifestsFile(n), { force: true });
  }
  const pad = (s: string, w: number) => s.padStart(w);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
  console.log(`require('cdk8s-istio'): ${requireMillis(false).toFixed(0)} ms in all, ${requireMillis(true).toFixed(0)} ms after cdk8s, cdk8s-plus-28 and yaml`);
  console.log('');
  console.log(`best and median of ${repeat} runs per mode`);
  console.log('| mode      | services | objects | best s | median s | ms/service | peak RSS MiB | output MB |');
  console.log('| --------- | -------: | ------: | -----: | -------: | ---------: | -----------: | --------: |');
  for (const r of rows) {
    console.log(`| ${r.mode.padEnd(9)} | ${pad(String(r.services), 8)} | ${pad(String(r.objects), 7)} | ${pad(r.seconds.toFixed(2), 6)} | `
      + `${pad((r.medianSeconds ?? r.seconds).toFixed(2), 8)} | ${pad((1000 * r.seconds / r.services).toFixed(3), 10)} | `
      + `${pad(r.peakRssMiB.toFixed(0), 12)} | ${pad((r.outputBytes / 1e6).toFixed(1), 9)} |`);
  }
  const at = (mode: Mode, n: number) => rows.find((r) => r.mode === mode && r.services === n)?.seconds;
  console.log('');
  for (const n of sizes) {
    const typed = at('typed', n)!;
    const analysisOnly = at('analysis', n)!;
    const off = at('typed-off', n)!;
    console.log(`N=${n}: typed-off/raw ${(off / at('raw', n)!).toFixed(2)}x, typed-off/dump ${(off / at('dump', n)!).toFixed(2)}x, `
      + `analysis adds ${(100 * (analysisOnly - off) / off).toFixed(0)}%, analysis and gate add ${(100 * (typed - off) / off).toFixed(0)}%`);
  }
  if (sizes.length > 1) {
    const lo = sizes[0];
    const hi = sizes[sizes.length - 1];
    console.log(`growth ${hi}/${lo}: typed ${(at('typed', hi)! / at('typed', lo)!).toFixed(2)}x for ${hi / lo}x the services`);
  }
}

main();
