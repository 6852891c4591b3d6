/**
 * Scale benchmark: `npm run bench` (or `npx projen bench`), against the compiled library in lib/.
 *
 * For N services (default 1,000 / 5,000 / 10,000; `BENCH_SIZES=100,500` to change), each a
 * CanaryRelease of two Deployments in a ZeroTrustNamespace with an allow rule, and per 100
 * services a namespace with an EgressPolicy, it measures in a fresh process each:
 *   typed      the constructs, synthesized with the synth-time checks on (conformance gate and analyzer)
 *   typed-off  the same with both off
 *   raw        the same manifests built as objects of the generated bindings, synthesized by cdk8s
 *   dump       the same manifests serialized with a bare YAML dump
 * and prints wall time, time per service, peak RSS and output bytes, with the ratios the
 * project targets. It also times `require` of the library. Prints numbers; asserts nothing.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib', 'src');
type Mode = 'typed' | 'typed-off' | 'raw' | 'dump';

interface Measure {
  readonly mode: Mode;
  readonly services: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly outputBytes: number;
  readonly objects: number;
}

/** Builds the typed app for `services` services; returns the app and its chart. */
function buildTyped(services: number, gate: boolean): { synth: () => string; count: () => number } {
  // Loaded here so `require` time is not part of the other modes.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require(LIB);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { App, Chart } = require('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kplus = require('cdk8s-plus-28');
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')) });
  const chart = new Chart(app, 'fleet');
  if (!gate) {
    lib.ConformanceCheck.disable(chart);
    lib.AnalysisCheck.disable(chart);
  }
  const mesh = new lib.Mesh(chart, 'mesh', { outboundTrafficPolicy: lib.OutboundTrafficMode.REGISTRY_ONLY });
  let zt: any;
  for (let i = 0; i < services; i++) {
    const team = `team-${Math.floor(i / 100)}`;
    if (i % 100 === 0) {
      zt = new lib.ZeroTrustNamespace(chart, team, { name: team, mesh, networkPolicies: false });
      const egress = new lib.EgressPolicy(chart, `${team}-egress`, { mesh, namespace: team });
      egress.allow(lib.ExternalService.https(`api.${team}.example.com`), [lib.ZeroTrustCaller.namespace(team)]);
    }
    const name = `svc-${i}`;
    const deployment = (version: string) => new kplus.Deployment(chart, `${name}-${version}`, {
      metadata: { name: `${name}-${version}`, namespace: team },
      select: false,
      podMetadata: { labels: { app: name, version } },
      containers: [{ image: `registry.example.com/${name}:${version}`, portNumber: 8080, securityContext: { user: 1000 } }],
    });
    const v1 = deployment('v1');
    v1.select(kplus.LabelSelector.of({ labels: { app: name, version: 'v1' } }));
    const v2 = deployment('v2');
    v2.select(kplus.LabelSelector.of({ labels: { app: name, version: 'v2' } }));
    new lib.CanaryRelease(chart, `${name}-release`, {
      name,
      namespace: team,
      host: lib.ServiceHost.of(`${name}.${team}.svc.cluster.local`),
      stable: lib.ReleaseVersion.fromWorkload('v1', v1),
      canary: lib.ReleaseVersion.fromWorkload('v2', v2),
      step: 1,
    });
    zt.allow(v1, [lib.ZeroTrustCaller.namespace(team)]);
    zt.allow(v2, [lib.ZeroTrustCaller.namespace(team)]);
  }
  return { synth: () => app.synthYaml(), count: () => chart.toJson().length };
}

/** The typed app's manifests, written once per size for the raw and dump modes. */
function manifestsFile(services: number): string {
  return path.join(os.tmpdir(), `cdk8s-istio-bench-${services}.json`);
}

/** The binding class for a manifest's kind, from the generated imports (ApiObject otherwise). */
function bindingFor(manifest: any): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ApiObject } = require('cdk8s');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require(LIB);
  const group = String(manifest.apiVersion).split('/')[0];
  const modules: { [group: string]: any } = {
    'networking.istio.io': lib.istionetworking,
    'security.istio.io': lib.istiosecurity,
    'telemetry.istio.io': lib.istiotelemetry,
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { k8s } = require('cdk8s-plus-28');
  const mod = modules[group] ?? k8s;
  const cls = Object.values(mod).find((c: any) => c?.GVK?.kind === manifest.kind && c.GVK.apiVersion === manifest.apiVersion);
  return cls ?? ApiObject;
}

let peakBeforeSaving: number | undefined;

function runMode(mode: Mode, services: number): Omit<Measure, 'peakRssMiB'> {
  const started = process.hrtime.bigint();
  let yaml: string;
  let objects: number;
  if (mode === 'typed' || mode === 'typed-off') {
    const built = buildTyped(services, mode === 'typed');
    yaml = built.synth();
    objects = yaml.split('\n---\n').length;
    if (mode === 'typed') {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      // The peak so far: what follows (saving the manifests for the other modes) is not measured.
      peakBeforeSaving = process.resourceUsage().maxRSS / 1024;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parseAllDocuments } = require('yaml');
      fs.writeFileSync(manifestsFile(services), JSON.stringify(parseAllDocuments(yaml).map((d: any) => d.toJS())));
      return { mode, services, seconds: elapsed, outputBytes: Buffer.byteLength(yaml), objects };
    }
  } else {
    const manifests: any[] = JSON.parse(fs.readFileSync(manifestsFile(services), 'utf-8'));
    const classes = new Map<string, any>();
    const bindings = manifests.map((m) => {
      const key = `${m.apiVersion}/${m.kind}`;
      if (!classes.has(key)) classes.set(key, bindingFor(m));
      return classes.get(key);
    });
    const t0 = process.hrtime.bigint();
    if (mode === 'raw') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { App, Chart } = require('cdk8s');
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
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { stringify } = require('yaml');
      yaml = manifests.map((m) => stringify(m)).join('---\n');
    }
    objects = manifests.length;
    return { mode, services, seconds: Number(process.hrtime.bigint() - t0) / 1e9, outputBytes: Buffer.byteLength(yaml), objects };
  }
  return { mode, services, seconds: Number(process.hrtime.bigint() - started) / 1e9, outputBytes: Buffer.byteLength(yaml), objects };
}

function child(mode: Mode, services: number): Measure {
  const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', mode, String(services)], {
    encoding: 'utf-8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function requireMillis(): number {
  const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(LIB)}); console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
  const runs = [0, 1, 2].map(() => Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf-8' }).trim()));
  return Math.min(...runs);
}

function main(): void {
  if (process.argv[2] === '--child') {
    const m = runMode(process.argv[3] as Mode, Number(process.argv[4]));
    console.log(JSON.stringify({ ...m, peakRssMiB: peakBeforeSaving ?? process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  if (!fs.existsSync(path.join(LIB, 'index.js'))) throw new Error('lib/ is missing: run `npx projen compile` first');
  const sizes = (process.env.BENCH_SIZES ?? '1000,5000,10000').split(',').map(Number);
  const rows: Measure[] = [];
  for (const n of sizes) {
    for (const mode of ['typed', 'typed-off', 'raw', 'dump'] as Mode[]) {
      const m = child(mode, n);
      rows.push(m);
      console.error(`  ${mode} ${n}: ${m.seconds.toFixed(2)} s`);
    }
    fs.rmSync(manifestsFile(n), { force: true });
  }
  const pad = (s: string, w: number) => s.padStart(w);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
  console.log(`require('cdk8s-istio'): ${requireMillis().toFixed(0)} ms`);
  console.log('');
  console.log('| mode      | services | objects | wall s | ms/service | peak RSS MiB | output MB |');
  console.log('| --------- | -------: | ------: | -----: | ---------: | -----------: | --------: |');
  for (const r of rows) {
    console.log(`| ${r.mode.padEnd(9)} | ${pad(String(r.services), 8)} | ${pad(String(r.objects), 7)} | ${pad(r.seconds.toFixed(2), 6)} | `
      + `${pad((1000 * r.seconds / r.services).toFixed(3), 10)} | ${pad(r.peakRssMiB.toFixed(0), 12)} | ${pad((r.outputBytes / 1e6).toFixed(1), 9)} |`);
  }
  const at = (mode: Mode, n: number) => rows.find((r) => r.mode === mode && r.services === n)?.seconds;
  console.log('');
  for (const n of sizes) {
    const typed = at('typed', n)!;
    const off = at('typed-off', n)!;
    console.log(`N=${n}: typed/raw ${(off / at('raw', n)!).toFixed(2)}x, checks add ${(100 * (typed - off) / off).toFixed(0)}%, `
      + `typed/dump ${(off / at('dump', n)!).toFixed(2)}x`);
  }
  if (sizes.length > 1) {
    const lo = sizes[0];
    const hi = sizes[sizes.length - 1];
    console.log(`growth ${hi}/${lo}: typed ${(at('typed', hi)! / at('typed', lo)!).toFixed(2)}x for ${hi / lo}x the services`);
  }
}

main();
