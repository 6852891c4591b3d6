/**
 * Behaviour-model benchmark (run by `npm run bench` after the synth benchmark, against the
 * compiled library in lib/): for the 1,000-service fleet (`BENCH_MODEL_SERVICES` to change),
 * with a Service per release and a ServiceAccount per version, it times building the
 * MeshModel from the App, the full reachability matrix, and single requests once the model is
 * built (the mean over `BENCH_REQUESTS`, default 2,000, mixed sources and targets). Prints
 * numbers; asserts nothing. The targets (issue #16): model + matrix ≤ 10 s, a request ≤ 1 ms.
 */
import { buildFleet, loadModules } from './fleet';

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function main(): void {
  const services = Number(process.env.BENCH_MODEL_SERVICES ?? 1000);
  const requests = Number(process.env.BENCH_REQUESTS ?? 2000);
  const modules = loadModules();
  const { lib } = modules;
  const app = buildFleet(modules, services, { gate: false, analysis: false, withServices: true });
  let t = process.hrtime.bigint();
  const model = lib.MeshModel.fromApp(app);
  const build = seconds(t);
  t = process.hrtime.bigint();
  const matrix = model.reachability();
  const reach = seconds(t);
  const teams = Math.ceil(services / 100);
  t = process.hrtime.bigint();
  let delivered = 0;
  for (let i = 0; i < requests; i++) {
    const team = `team-${i % teams}`;
    const target = `svc-${(i * 7919) % services}`;
    const targetTeam = `team-${Math.floor(((i * 7919) % services) / 100)}`;
    const from = i % 3 === 0 ? lib.RequestSource.outside() : lib.RequestSource.workload(team, `svc-${(i % 100) + (i % teams) * 100}-v1`);
    const v = model.request({ from, to: `${target}.${targetTeam}`, path: '/api', method: i % 2 ? 'GET' : 'POST' });
    if (v.delivered) delivered++;
  }
  const perRequest = (seconds(t) * 1000) / requests;
  console.log(`behaviour model, ${services} services (${matrix.sources.length} identities × ${matrix.targets.length} targets = ${matrix.cells.length} cells)`);
  console.log('| step                          | seconds | target  |');
  console.log(`| MeshModel.fromApp             | ${build.toFixed(2).padStart(7)} |         |`);
  console.log(`| reachability() (full matrix)  | ${reach.toFixed(2).padStart(7)} |         |`);
  console.log(`| model + matrix                | ${(build + reach).toFixed(2).padStart(7)} | ≤ 10 s  |`);
  console.log(`one request, mean of ${requests}: ${perRequest.toFixed(3)} ms (target ≤ 1 ms); ${delivered} delivered`);
}

main();
