import { RequestOutcome } from './verdict';

/** One cell of a reachability matrix: may this identity reach this port? */
export interface ReachabilityCell {
  /** `<namespace>/<serviceaccount>`, or `outside`. */
  readonly source: string;
  /** `<host>:<port>`. */
  readonly target: string;
  /** Whether a `GET /` (or a TCP connection) from the source is delivered. */
  readonly allowed: boolean;
  /** The outcome of that request. */
  readonly outcome: RequestOutcome;
  /** The deciding policy or reason. */
  readonly reason: string;
}

/**
 * Which workload identity reaches which Service port and declared external host, decided by the
 * same model as `MeshModel.request` for a `GET /` (HTTP ports) or a connection (others).
 */
export class ReachabilityMatrix {
  private index?: Map<string, Map<string, ReachabilityCell>>;

  constructor(
    /** Identities, `<namespace>/<serviceaccount>`, then `outside`. */
    public readonly sources: string[],
    /** Targets, `<host>:<port>`. */
    public readonly targets: string[],
    /** Every cell, by source then target (the outside client is not tried against external hosts). */
    public readonly cells: ReachabilityCell[],
  ) {}

  /** The cell of one source and target. */
  public cell(source: string, target: string): ReachabilityCell | undefined {
    if (!this.index) {
      // Built on first use: a matrix of millions of cells is often only printed.
      this.index = new Map();
      for (const c of this.cells) {
        let row = this.index.get(c.source);
        if (!row) this.index.set(c.source, (row = new Map()));
        row.set(c.target, c);
      }
    }
    return this.index.get(source)?.get(target);
  }

  /** A text table: a line per allowed pair and a count of the rest. */
  public toTable(): string {
    const lines = ['SOURCE\tTARGET\tOUTCOME\tREASON'];
    for (const c of this.cells) lines.push(`${c.source}\t${c.target}\t${c.outcome}\t${c.reason}`);
    const allowed = this.cells.filter((c) => c.allowed).length;
    lines.push(`# ${this.sources.length} sources × ${this.targets.length} targets: ${allowed} allowed, ${this.cells.length - allowed} not`);
    return lines.join('\n');
  }

  /** JSON: `{ sources, targets, cells }`. */
  public toJson(): any {
    return { sources: this.sources, targets: this.targets, cells: this.cells };
  }

  /** Graphviz: an edge per allowed pair. */
  public toDot(): string {
    const q = (s: string) => JSON.stringify(s);
    const lines = ['digraph reachability {', '  rankdir=LR;'];
    for (const c of this.cells.filter((x) => x.allowed)) lines.push(`  ${q(c.source)} -> ${q(c.target)};`);
    lines.push('}');
    return lines.join('\n');
  }
}
