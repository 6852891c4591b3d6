import { SimulatedRequest } from './simulated-request';
import { RequestOutcome, Verdict } from './verdict';

/**
 * An expectation on a simulated request that throws, with the verdict's trace, when the
 * model disagrees: `model.expect({ from, to }).toBeDelivered()`.
 */
export class RequestExpectation {
  constructor(
    /** The request. */
    public readonly request: SimulatedRequest,
    /** What the model decided. */
    public readonly verdict: Verdict,
  ) {}

  /** Every share of the traffic is delivered. */
  public toBeDelivered(): RequestExpectation {
    if (!this.verdict.delivered) this.fail('to be delivered');
    return this;
  }

  /** No share is delivered; with `outcome`, every share ends that way. */
  public toBeRefused(outcome?: RequestOutcome): RequestExpectation {
    const live = this.verdict.destinations.filter((d) => d.percent > 0);
    if (live.some((d) => d.outcome === RequestOutcome.DELIVERED)) this.fail('to be refused');
    if (outcome && live.some((d) => d.outcome !== outcome)) this.fail(`to end ${outcome}`);
    return this;
  }

  /** Refused by authorization (403, or a reset on TCP). */
  public toBeDenied(): RequestExpectation {
    return this.toBeRefused(RequestOutcome.DENIED);
  }

  /**
   * The delivered traffic splits as given, by subset (or by host when a destination has no
   * subset): `toSplit({ v1: 90, v2: 10 })`, within `tolerance` percentage points.
   */
  public toSplit(split: { [subsetOrHost: string]: number }, tolerance = 0.01): RequestExpectation {
    const actual: { [k: string]: number } = {};
    for (const d of this.verdict.destinations) {
      if (d.outcome !== RequestOutcome.DELIVERED || d.percent === 0) continue;
      const key = d.subset ?? d.host;
      actual[key] = (actual[key] ?? 0) + d.percent;
    }
    const keys = new Set([...Object.keys(split), ...Object.keys(actual)]);
    for (const k of keys) {
      if (Math.abs((split[k] ?? 0) - (actual[k] ?? 0)) > tolerance) this.fail(`to split ${JSON.stringify(split)}, got ${JSON.stringify(actual)}`);
    }
    return this;
  }

  /** Delivered (all of it) to pods of the workload `<namespace>/<name>` only. */
  public toReachOnly(...workloads: string[]): RequestExpectation {
    this.toBeDelivered();
    const reached = new Set(this.verdict.destinations.flatMap((d) => d.workloads));
    const want = new Set(workloads);
    if (reached.size !== want.size || [...want].some((w) => !reached.has(w))) this.fail(`to reach only ${workloads.join(', ')}, reached ${[...reached].join(', ') || 'no pod'}`);
    return this;
  }

  private fail(what: string): never {
    const trace = this.verdict.trace.map((h) => `  ${h.at}\n${h.steps.map((s) => `    - ${s}`).join('\n')}`).join('\n');
    const shares = this.verdict.destinations.map((d) => `  ${d.percent}% ${d.host}${d.subset ? `/${d.subset}` : ''}: ${d.outcome} (${d.status}) ${d.reason}`).join('\n');
    throw new Error(`expected ${describe(this.request)} ${what}; it is ${this.verdict.outcome}: ${this.verdict.reason}\nshares:\n${shares}\ntrace:\n${trace}`);
  }
}

function describe(r: SimulatedRequest): string {
  return `${r.method ?? 'GET'} ${r.to}${r.port ? `:${r.port}` : ''}${r.path ?? ''} from ${r.from.toString()}`;
}
