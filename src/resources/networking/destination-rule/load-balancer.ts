import { Duration } from 'cdk8s';
import { renderDuration } from '../../../private/duration';
import { checkRange, invalid } from '../../../private/validate';
import { Percent } from '../../percent';

/** The topology labels Istio sorts endpoints by in failover (not allowed in `failoverPriority` beside `failover`). */
const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];
/** RFC 7230 token characters (header and cookie names); a leading ':' allows HTTP/2 pseudo-headers such as `:authority`. */
const TOKEN = /^:?[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Envoy's limit for a Maglev table (exclusive). */
const MAGLEV_MAX = 5000011;

/** Traffic from one locality, split over upstream localities (Istio's `distribute[]`). */
export interface LocalityDistribution {
  /**
   * The originating locality, `region/zone/subzone`; a trailing `*` matches any (`us-west/*`).
   */
  readonly from: string;
  /**
   * Upstream localities and their share of the traffic from `from`, in percent: integers from
   * 1 to 100 that total 100.
   */
  readonly to: { [locality: string]: number };
}

/** Where traffic goes when every endpoint of a region is unhealthy (Istio's `failover[]`). */
export interface LocalityFailover {
  /** The originating region. */
  readonly from: string;
  /** The region traffic fails over to (not the same as `from`). */
  readonly to: string;
}

/**
 * Locality-weighted load balancing (`localityLbSetting`). Istio enables it mesh-wide by default,
 * but it only takes effect where outlier detection is configured, since that is what marks
 * endpoints unhealthy: pair every failover setting with `OutlierDetection`.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LocalityLoadBalancerSetting
 */
export class LocalityLbSetting {
  /**
   * Explicit traffic weights: the traffic from each `from` locality is split over the `to`
   * localities, with weights that total 100 per `from`. Excludes `failover`.
   */
  public static distribute(distributions: LocalityDistribution[]): LocalityLbSetting {
    const where = 'LocalityLbSetting.distribute';
    if (!distributions || distributions.length === 0) invalid(where, 'distribute', distributions, 'at least one distribution');
    const from: string[] = [];
    const wire = distributions.map((d) => {
      checkLocality(where, 'from', d.from);
      from.push(d.from);
      const entries = Object.entries(d.to ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (entries.length === 0) invalid(where, `to (from "${d.from}")`, d.to, 'at least one upstream locality');
      let total = 0;
      for (const [locality, weight] of entries) {
        checkLocality(where, 'to', locality);
        checkRange(where, `weight of "${locality}" (from "${d.from}")`, weight, 1, 100, true);
        total += weight;
      }
      if (total !== 100) {
        invalid(where, `weights from "${d.from}"`, `${entries.map(([, w]) => w).join(' + ')} = ${total}`, 'the weights of one `from` locality must total 100');
      }
      checkOverlaps(where, `to (from "${d.from}")`, entries.map(([l]) => l));
      return { from: d.from, to: Object.fromEntries(entries) };
    });
    checkOverlaps(where, 'from', from);
    return new LocalityLbSetting({ distribute: wire });
  }

  /**
   * Region failover: when every endpoint of `from` is unhealthy, send its traffic to `to`.
   * Optionally sort endpoints by further labels (`failoverPriority`; not the topology labels,
   * which `failover` already covers). Needs outlier detection to detect unhealthy endpoints.
   */
  public static failover(failover: LocalityFailover[], failoverPriority?: string[]): LocalityLbSetting {
    const where = 'LocalityLbSetting.failover';
    if (!failover || failover.length === 0) invalid(where, 'failover', failover, 'at least one failover (or use LocalityLbSetting.failoverPriority)');
    const wire = failover.map((f) => {
      for (const [field, region] of [['from', f.from], ['to', f.to]]) {
        if (typeof region !== 'string' || region.length === 0) invalid(where, field, region, 'a region name');
        if (region.includes('/')) invalid(where, field, region, 'failover is between regions: a region name without "/"');
        if (region.includes('*')) invalid(where, field, region, 'a region name without the "*" wildcard');
      }
      if (f.from === f.to) invalid(where, 'to', f.to, `a region other than "from" ("${f.from}")`);
      return { from: f.from, to: f.to };
    });
    const priority = failoverPriority === undefined ? undefined : checkPriority(where, failoverPriority);
    for (const label of priority ?? []) {
      if (TOPOLOGY_LABELS.includes(label)) {
        invalid(where, 'failoverPriority', label, `not a topology label beside \`failover\` (${TOPOLOGY_LABELS.join(', ')})`);
      }
    }
    return new LocalityLbSetting({ failover: wire, failoverPriority: priority });
  }

  /**
   * Priority failover: endpoints are sorted by how many of these labels (in order) they share
   * with the client proxy, e.g. `['topology.istio.io/network', 'topology.kubernetes.io/region',
   * 'topology.kubernetes.io/zone']`; `label=value` pins a value. Needs outlier detection.
   */
  public static failoverPriority(labels: string[]): LocalityLbSetting {
    return new LocalityLbSetting({ failoverPriority: checkPriority('LocalityLbSetting.failoverPriority', labels) });
  }

  /** Locality load balancing on for this host, whatever the mesh-wide setting, with Istio's default failover. */
  public static enabled(): LocalityLbSetting {
    return new LocalityLbSetting({ enabled: true });
  }

  /** Locality load balancing off for this host: endpoints are used regardless of locality. */
  public static disabled(): LocalityLbSetting {
    return new LocalityLbSetting({ enabled: false });
  }

  private constructor(private readonly wire: { [key: string]: any }) {}

  /** @internal */
  public _render(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.wire));
  }
}

/** Options every load balancer takes. */
export interface LoadBalancerOptions {
  /**
   * Locality-weighted load balancing for this host.
   * @default - the mesh-wide locality setting
   */
  readonly locality?: LocalityLbSetting;
}

/** Slow start: traffic to a new endpoint ramps up over a period instead of arriving at once (`warmup`). */
export interface LoadBalancerWarmup {
  /** How long a new endpoint takes to get its full share. */
  readonly duration: Duration;
  /**
   * The share of its traffic a new endpoint starts with.
   * @default - 10 percent
   */
  readonly minimumPercent?: Percent;
  /**
   * How fast traffic ramps up: 1 is linear, higher values ramp slowly first and faster at the
   * end. At least 1.
   * @default 1
   */
  readonly aggression?: number;
}

/** Options of `LoadBalancer.roundRobin()` and `LoadBalancer.leastRequest()` (the algorithms that support warmup). */
export interface SimpleLoadBalancerOptions extends LoadBalancerOptions {
  /**
   * Slow start for new endpoints.
   * @default - no warmup: a new endpoint gets its full share at once
   */
  readonly warmup?: LoadBalancerWarmup;
}

/** The consistent-hash algorithm (Istio's `ringHash` or `maglev`). */
export class ConsistentHashAlgorithm {
  /**
   * Ring hash (Ketama).
   * @param minimumRingSize the minimum number of virtual nodes on the ring (Envoy's default is 1024)
   */
  public static ringHash(minimumRingSize?: number): ConsistentHashAlgorithm {
    if (minimumRingSize !== undefined) checkRange('ConsistentHashAlgorithm.ringHash', 'minimumRingSize', minimumRingSize, 1, Number.MAX_SAFE_INTEGER, true);
    return new ConsistentHashAlgorithm({ ringHash: { minimumRingSize } });
  }

  /**
   * Maglev: a fixed lookup table, faster to build than a ring and with less churn.
   * @param tableSize a prime below 5000011; Envoy's default is 65537
   */
  public static maglev(tableSize: number = 65537): ConsistentHashAlgorithm {
    const where = 'ConsistentHashAlgorithm.maglev';
    checkRange(where, 'tableSize', tableSize, 2, MAGLEV_MAX - 1, true);
    if (!isPrime(tableSize)) invalid(where, 'tableSize', tableSize, 'a prime number (e.g. 65537, 131071)');
    return new ConsistentHashAlgorithm({ maglev: { tableSize } });
  }

  private constructor(private readonly wire: { [key: string]: any }) {}

  /** @internal */
  public _render(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.wire));
  }
}

/** Options of the consistent-hash load balancers. */
export interface ConsistentHashOptions extends LoadBalancerOptions {
  /**
   * The hashing algorithm.
   * @default - ring hash with Envoy's defaults
   */
  readonly hashAlgorithm?: ConsistentHashAlgorithm;
}

/** The cookie a consistent-hash load balancer hashes on (`httpCookie`). */
export interface HttpCookieOptions {
  /** Name of the cookie. */
  readonly name: string;
  /**
   * Path to set for the cookie.
   * @default - no path attribute
   */
  readonly path?: string;
  /**
   * Lifetime of the cookie. With a TTL, the proxy generates the cookie when a request has none
   * (so a session sticks from its first request); a zero TTL makes it a session cookie.
   * @default - the cookie is not generated: requests without it are not pinned
   */
  readonly ttl?: Duration;
  /**
   * Further attributes of a generated cookie, by name (e.g. `{ SameSite: 'Strict', Secure: '' }`;
   * an empty value writes the attribute alone).
   * @default - none
   */
  readonly attributes?: { [name: string]: string };
}

/**
 * The load-balancing algorithm for a host (a traffic policy's `loadBalancer`): a simple policy
 * or a consistent hash (session affinity), each optionally with locality settings.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings
 */
export class LoadBalancer {
  /** Round robin over healthy endpoints. */
  public static roundRobin(options: SimpleLoadBalancerOptions = {}): LoadBalancer {
    return LoadBalancer.simple('LoadBalancer.roundRobin', 'ROUND_ROBIN', options);
  }

  /** Least request (power of two choices): Istio's default algorithm, and usually the best. */
  public static leastRequest(options: SimpleLoadBalancerOptions = {}): LoadBalancer {
    return LoadBalancer.simple('LoadBalancer.leastRequest', 'LEAST_REQUEST', options);
  }

  /** A random healthy endpoint. */
  public static random(options: LoadBalancerOptions = {}): LoadBalancer {
    return LoadBalancer.simple('LoadBalancer.random', 'RANDOM', options);
  }

  /**
   * No load balancing: the connection goes to the address the caller asked for. Only for
   * advanced cases (the caller already picked an endpoint).
   */
  public static passthrough(options: LoadBalancerOptions = {}): LoadBalancer {
    return LoadBalancer.simple('LoadBalancer.passthrough', 'PASSTHROUGH', options);
  }

  /** Istio's default algorithm, with locality settings only (e.g. `LocalityLbSetting.distribute(...)`). */
  public static locality(setting: LocalityLbSetting): LoadBalancer {
    if (!setting) invalid('LoadBalancer.locality', 'setting', setting, 'a LocalityLbSetting');
    return new LoadBalancer({ localityLbSetting: setting._render() });
  }

  /** Session affinity by the value of a request header. */
  public static consistentHashByHeader(headerName: string, options: ConsistentHashOptions = {}): LoadBalancer {
    const where = 'LoadBalancer.consistentHashByHeader';
    if (typeof headerName !== 'string' || !TOKEN.test(headerName)) invalid(where, 'headerName', headerName, 'an HTTP header name');
    return LoadBalancer.hash({ httpHeaderName: headerName }, options);
  }

  /** Session affinity by a cookie; with a `ttl`, the proxy sets the cookie on the first response. */
  public static consistentHashByCookie(cookie: HttpCookieOptions, options: ConsistentHashOptions = {}): LoadBalancer {
    const where = 'LoadBalancer.consistentHashByCookie';
    if (typeof cookie?.name !== 'string' || cookie.name.length === 0) invalid(where, 'cookie name', cookie?.name, 'a cookie name is required');
    if (!TOKEN.test(cookie.name) || cookie.name.startsWith(':')) invalid(where, 'cookie name', cookie.name, 'a cookie name (letters, digits and !#$%&\'*+-.^_`|~)');
    if (cookie.path !== undefined && (typeof cookie.path !== 'string' || !cookie.path.startsWith('/'))) {
      invalid(where, 'cookie path', cookie.path, 'a path starting with "/"');
    }
    const attributes = Object.entries(cookie.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name] of attributes) {
      if (!TOKEN.test(name) || name.startsWith(':')) invalid(where, 'cookie attribute name', name, 'an attribute name (e.g. SameSite, Secure)');
    }
    return LoadBalancer.hash({
      httpCookie: {
        name: cookie.name,
        path: cookie.path,
        ttl: cookie.ttl === undefined ? undefined : renderDuration(where, 'cookie ttl', cookie.ttl, { allowZero: true }),
        attributes: attributes.length > 0 ? attributes.map(([name, value]) => ({ name, value: value === '' ? undefined : value })) : undefined,
      },
    }, options);
  }

  /** Session affinity by the client's source IP address. */
  public static consistentHashBySourceIp(options: ConsistentHashOptions = {}): LoadBalancer {
    return LoadBalancer.hash({ useSourceIp: true }, options);
  }

  /** Session affinity by the value of a query parameter. */
  public static consistentHashByQueryParameter(name: string, options: ConsistentHashOptions = {}): LoadBalancer {
    if (typeof name !== 'string' || name.length === 0) invalid('LoadBalancer.consistentHashByQueryParameter', 'name', name, 'a query parameter name');
    return LoadBalancer.hash({ httpQueryParameterName: name }, options);
  }

  private static simple(where: string, algorithm: string, options: SimpleLoadBalancerOptions): LoadBalancer {
    const warmup = options.warmup;
    let wireWarmup: { [key: string]: any } | undefined;
    if (warmup) {
      if (!warmup.duration) invalid(where, 'warmup duration', warmup.duration, 'a duration is required');
      if (warmup.aggression !== undefined) checkRange(where, 'warmup aggression', warmup.aggression, 1, Number.MAX_VALUE);
      wireWarmup = {
        duration: renderDuration(where, 'warmup duration', warmup.duration),
        minimumPercent: warmup.minimumPercent?.value,
        aggression: warmup.aggression,
      };
    }
    return new LoadBalancer({ simple: algorithm, localityLbSetting: options.locality?._render(), warmup: wireWarmup });
  }

  private static hash(key: { [key: string]: any }, options: ConsistentHashOptions): LoadBalancer {
    return new LoadBalancer({
      consistentHash: { ...key, ...options.hashAlgorithm?._render() },
      localityLbSetting: options.locality?._render(),
    });
  }

  private constructor(private readonly wire: { [key: string]: any }) {}

  /** @internal */
  public _render(): { [key: string]: any } {
    return JSON.parse(JSON.stringify(this.wire));
  }
}

function checkLocality(where: string, field: string, locality: string): void {
  if (typeof locality !== 'string' || locality.length === 0) invalid(where, field, locality, 'a locality "region[/zone[/subzone]]"');
  const stars = locality.split('*').length - 1;
  if (stars > 1 || (stars === 1 && !locality.endsWith('*'))) invalid(where, field, locality, 'at most one "*", at the end ("us-west/*")');
  const parts = locality.split('/');
  if (parts.length > 3 || parts.some((p) => p.length === 0)) invalid(where, field, locality, 'a locality "region[/zone[/subzone]]" without empty parts');
}

/** Localities in one list must not overlap (`*` covers everything; `r` covers `r/z` and `r/z/s`). */
function checkOverlaps(where: string, field: string, localities: string[]): void {
  const keys = localities.map((l) => (l.endsWith('/*') ? l.slice(0, -2) : l).split('/'));
  for (let i = 0; i < keys.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [keys[i], keys[j]];
      const covers = (x: string[], y: string[]) => x[0] === '*' || (x.length <= y.length && x.every((p, k) => p === y[k]));
      if (covers(a, b) || covers(b, a)) invalid(where, field, localities[i], `localities must not overlap ("${localities[j]}" already covers part of it)`);
    }
  }
}

function checkPriority(where: string, labels: string[]): string[] {
  if (!labels || labels.length === 0) invalid(where, 'failoverPriority', labels, 'at least one label');
  for (const label of labels) {
    if (typeof label !== 'string' || label.length === 0 || label.startsWith('=')) invalid(where, 'failoverPriority', label, 'a label key, or "key=value"');
  }
  if (new Set(labels).size !== labels.length) invalid(where, 'failoverPriority', labels, 'each label once');
  return [...labels];
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let f = 3; f * f <= n; f += 2) if (n % f === 0) return false;
  return true;
}
