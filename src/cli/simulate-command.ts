/** `cdk8s-istio simulate`: what Istio and Kubernetes do with one request, from manifest files. */
import { CliIo } from './cli-io';
import { parseFlags } from './flags';
import { SIMULATE_USAGE } from './usage';
import { DataPlaneMode, MeshModel } from '../simulation/mesh-model';
import { RequestSource } from '../simulation/request-source';
import { RequestProtocol, SimulatedRequest } from '../simulation/simulated-request';
import { Verdict } from '../simulation/verdict';
import { ValidationError } from '../validation-error';

const SPECS = [
  { names: ['--from'] }, { names: ['--from-workload'] }, { names: ['--to'] }, { names: ['--method'] }, { names: ['--path'] },
  { names: ['--header'], repeatable: true }, { names: ['--cookie'], repeatable: true }, { names: ['--sni'] }, { names: ['--jwt'] },
  { names: ['--protocol'] }, { names: ['--undeclared-namespaces'] }, { names: ['-o', '--output'] },
];

/** A usage problem: the flag, the value given and what would be valid. */
export class UsageProblem extends Error {}

function bad(flag: string, value: string, valid: string): never {
  throw new UsageProblem(`${flag} "${value}" is invalid: ${valid}`);
}

export function simulate(args: readonly string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(SIMULATE_USAGE);
    return 0;
  }
  let request: SimulatedRequest;
  let files: string[];
  let format: string;
  let undeclared: DataPlaneMode;
  try {
    const parsed = parseFlags(args, SPECS);
    if (parsed.error) throw new UsageProblem(parsed.error);
    const one = (flag: string) => parsed.values.get(flag)?.[0];
    files = parsed.positional;
    if (files.length === 0) throw new UsageProblem('no manifest file or directory given');
    format = one('-o') ?? 'text';
    if (format !== 'text' && format !== 'json') bad('-o', format, 'text or json');
    undeclared = dataPlane(one('--undeclared-namespaces'));
    request = readRequest(one, parsed.values);
  } catch (e) {
    if (e instanceof UsageProblem || e instanceof ValidationError) {
      io.err(`cdk8s-istio simulate: ${e.message}\n${SIMULATE_USAGE}`);
      return 2;
    }
    throw e;
  }
  let verdict: Verdict;
  try {
    verdict = MeshModel.fromFiles(files, { undeclaredNamespaces: undeclared }).request(request);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    io.err(`cdk8s-istio simulate: ${e.message}`);
    return 2;
  }
  if (format === 'json') io.out(JSON.stringify({ request: { ...request, from: request.from.toString() }, ...verdict }, undefined, 2));
  else for (const line of describe(verdict)) io.out(line);
  return verdict.delivered ? 0 : 3;
}

/** Reads `--undeclared-namespaces` (also for `reachability`). */
export function dataPlane(value: string | undefined): DataPlaneMode {
  if (value === undefined) return DataPlaneMode.SIDECAR;
  const modes = Object.values(DataPlaneMode) as string[];
  if (!modes.includes(value)) bad('--undeclared-namespaces', value, modes.join(', '));
  return value as DataPlaneMode;
}

function readRequest(one: (flag: string) => string | undefined, values: Map<string, string[]>): SimulatedRequest {
  const from = one('--from');
  const workload = one('--from-workload');
  if ((from === undefined) === (workload === undefined)) {
    throw new UsageProblem('give exactly one of --from <ns>/<serviceaccount>|ingress:<ns>/<gateway>|namespace:<ns>|outside and --from-workload <ns>/<name>');
  }
  let source: RequestSource;
  if (workload !== undefined) {
    const [ns, name, ...rest] = workload.split('/');
    if (!ns || !name || rest.length > 0) bad('--from-workload', workload, '<namespace>/<name>');
    source = RequestSource.workload(ns, name);
  } else {
    source = RequestSource.parse(from!);
  }
  const to = one('--to');
  if (to === undefined) throw new UsageProblem('--to <host>[:<port>] is required');
  const m = /^([^:]+)(?::(.*))?$/.exec(to);
  if (!m || !m[1]) bad('--to', to, '<host> or <host>:<port>');
  let port: number | undefined;
  if (m[2] !== undefined) {
    port = Number(m[2]);
    if (!/^\d+$/.test(m[2]) || port < 1 || port > 65535) bad('--to', to, 'a port from 1 to 65535 after the host');
  }
  const pairs = (flag: string) => {
    const out: { [k: string]: string } = {};
    for (const v of values.get(flag) ?? []) {
      const eq = v.indexOf('=');
      if (eq <= 0) bad(flag, v, '<name>=<value>');
      out[v.slice(0, eq)] = v.slice(eq + 1);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const jwt = one('--jwt');
  let token: SimulatedRequest['jwt'];
  if (jwt !== undefined) {
    const slash = jwt.lastIndexOf('/');
    if (slash <= 0 || slash === jwt.length - 1) bad('--jwt', jwt, '<issuer>/<subject>, e.g. https://auth.example.com/alice (split at the last /)');
    token = { issuer: jwt.slice(0, slash), subject: jwt.slice(slash + 1) };
  }
  const protocol = one('--protocol');
  const protocols = Object.values(RequestProtocol) as string[];
  if (protocol !== undefined && !protocols.includes(protocol)) bad('--protocol', protocol, protocols.join(', '));
  return {
    from: source,
    to: m[1],
    port,
    protocol: protocol as RequestProtocol | undefined,
    method: one('--method'),
    path: one('--path'),
    headers: pairs('--header'),
    cookies: pairs('--cookie'),
    sni: one('--sni'),
    jwt: token,
  };
}

/** The verdict as text: outcome, shares, mirrors, trace. */
function describe(v: Verdict): string[] {
  const lines = [`${v.outcome} ${v.status}: ${v.reason}`];
  for (const d of v.destinations) {
    lines.push(`  ${d.percent}% ${d.host}${d.subset ? `/${d.subset}` : ''} -> ${d.workloads.join(', ') || (d.external ? 'external' : 'no pod')}: ${d.outcome} ${d.status}`);
    if (d.upstreamTls) lines.push(`    upstream TLS sni ${d.upstreamTls.sni}, hostname ${d.upstreamTls.hostnameVerified ? 'verified' : 'NOT verified'}: ${d.upstreamTls.reason}`);
  }
  for (const m of v.mirrors) lines.push(`  mirror ${m.percent}% ${m.host}${m.subset ? `/${m.subset}` : ''} -> ${m.workloads.join(', ') || 'no pod'}`);
  lines.push('trace:');
  for (const hop of v.trace) {
    lines.push(`  ${hop.at}`);
    for (const step of hop.steps) lines.push(`    - ${step}`);
  }
  return lines;
}
