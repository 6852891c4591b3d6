import { checkWorkloadSelector, subsetNameError } from './reference-rules';
import {
  checkExportTo, entries, fqdnError, isIpAddress, isSet, labelsErrors, list, msg, num, Obj, portError, Problems, str, wildcardDomainError, wrapped,
} from './webhook-values';

/**
 * istiod's validating webhook on a DestinationRule (`ValidateDestinationRule`,
 * `validateTrafficPolicy` and helpers in istio/istio `pkg/config/validation/validation.go`, client
 * TLS and locality rules in `pkg/config/validation/agent/validation.go`, at 1.30.3). Durations are
 * left to the CRD's CEL rules.
 */

export function checkConnectionPoolOf(p: Problems, path: string, pool: Obj): void {
  const http = msg(pool.http);
  const tcp = msg(pool.tcp);
  if (!http && !tcp) {
    p.add(path, 'connection pool must have at least one field');
    return;
  }
  if (http) {
    const negative: [string, string][] = [
      ['http1MaxPendingRequests', 'http1 max pending requests'], ['http2MaxRequests', 'http2 max requests'],
      ['maxRequestsPerConnection', 'max requests per connection'], ['maxRetries', 'max retries'], ['maxConcurrentStreams', 'max concurrent streams'],
    ];
    for (const [field, what] of negative) if (num(http[field]) < 0) p.add(`${path}.http.${field}`, `${what} must be non-negative`);
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol === true) {
      p.add(`${path}.http.useClientProtocol`, 'use client protocol must not be true when H2UpgradePolicy is UPGRADE');
    }
  }
  if (tcp && num(tcp.maxConnections) < 0) p.add(`${path}.tcp.maxConnections`, 'max connections must be non-negative');
}

function checkOutlierDetection(p: Problems, path: string, outlier: Obj): void {
  if (outlier.splitExternalLocalOriginErrors !== true && (wrapped(outlier.consecutiveLocalOriginFailures) ?? 0) > 0) {
    p.add(`${path}.consecutiveLocalOriginFailures`, 'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false');
  }
  for (const field of ['maxEjectionPercent', 'minHealthPercent']) {
    const v = num(outlier[field]);
    if (v < 0 || v > 100) p.add(`${path}.${field}`, `percentage ${v} is not in range 0..100`);
  }
}

function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  for (let f = 3; f * f <= x; f += 2) if (x % f === 0) return false;
  return true;
}

/**
 * `agent.validateLocalities`, as written (order matters): at most one trailing `*`; no empty
 * region, zone or subzone; no locality inside a region or zone already given whole.
 */
function localitiesError(localities: string[]): string | undefined {
  const regions = new Map<string, Map<string, Set<string>>>();
  const overlap = (l: string) => `locality ${l} overlap with previous specified ones`;
  for (const locality of localities) {
    const stars = locality.split('*').length - 1;
    if (stars > 1 || (stars === 1 && !locality.endsWith('*'))) return `locality ${locality} wildcard '*' number can not exceed 1 and must be in the end`;
    if (regions.has('*')) return overlap(locality);
    const items = locality.split('/');
    const parts = items.length > 3 ? [items[0], items[1], items.slice(2).join('/')] : items;
    if (parts.some((x) => x === '')) return `locality ${locality} must not contain empty region/zone/subzone info`;
    const [region, zone, subZone] = parts;
    const zones = regions.get(region);
    if (parts.length === 1) {
      if (zones) return overlap(locality);
      regions.set(region, new Map([['*', new Set(['*'])]]));
    } else if (parts.length === 2) {
      if (zones && (zones.has('*') || zones.has(zone))) return overlap(locality);
      if (zones) zones.set(zone, new Set(['*']));
      else regions.set(region, new Map([[zone, new Set(['*'])]]));
    } else {
      if (zones?.has('*')) return overlap(locality);
      const subZones = zones?.get(zone);
      if (subZones && (subZones.has('*') || subZones.has(subZone))) return overlap(locality);
      if (subZones) subZones.add(subZone);
      else if (zones) zones.set(zone, new Set([subZone]));
      else regions.set(region, new Map([[zone, new Set([subZone])]]));
    }
  }
  return undefined;
}

function checkLocality(p: Problems, path: string, lb: Obj): void {
  const distribute = list(lb.distribute).map((d) => msg(d) ?? {});
  const failover = list(lb.failover).map((f) => msg(f) ?? {});
  if (distribute.length > 0 && failover.length > 0) {
    p.add(path, "can not simultaneously specify 'distribute' and 'failover'");
    return;
  }
  const topology = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];
  if (failover.length > 0) {
    const label = list(lb.failoverPriority).map(str).find((l) => topology.includes(l));
    if (label) {
      p.add(`${path}.failoverPriority`, `can not simultaneously set 'failover' and topology label '${label}' in 'failover_priority'`);
      return;
    }
  }
  for (const [i, d] of distribute.entries()) {
    const weights = entries(d.to).map(([, w]) => num(w));
    if (weights.some((w) => w <= 0 || w > 100)) {
      p.add(`${path}.distribute[${i}].to`, 'locality weight must be in range [1, 100]');
      return;
    }
    const total = weights.reduce((a, b) => a + b, 0);
    if (total !== 100) {
      p.add(`${path}.distribute[${i}].to`, `total locality weight ${total} != 100`);
      return;
    }
    const error = localitiesError(entries(d.to).map(([k]) => k));
    if (error) p.add(`${path}.distribute[${i}].to`, error);
  }
  const sources = localitiesError(distribute.map((d) => str(d.from)));
  if (sources) p.add(`${path}.distribute`, sources);
  for (const [i, f] of failover.entries()) {
    const [from, to] = [str(f.from), str(f.to)];
    if (from === to) p.add(`${path}.failover[${i}]`, 'locality lb failover settings must specify different regions');
    if (from.includes('/') || to.includes('/')) p.add(`${path}.failover[${i}]`, 'locality lb failover only specify region');
    if (from.includes('*') || to.includes('*')) p.add(`${path}.failover[${i}]`, "locality lb failover region should not contain '*' wildcard");
  }
}

function checkLoadBalancer(p: Problems, path: string, lb: Obj): void {
  const hash = msg(lb.consistentHash);
  if (hash) {
    const cookie = msg(hash.httpCookie);
    if (cookie && str(cookie.name) === '') p.add(`${path}.consistentHash.httpCookie.name`, 'name required for HttpCookie');
    const names = new Set<string>();
    for (const [i, a] of list(cookie?.attributes).entries()) {
      const name = str(msg(a)?.name);
      if (name === '') p.add(`${path}.consistentHash.httpCookie.attributes[${i}]`, 'cookie attribute name cannot be empty');
      else if (names.has(name)) p.add(`${path}.consistentHash.httpCookie.attributes[${i}]`, `duplicate cookie attribute name: ${name}`);
      names.add(name);
    }
    if (num(hash.minimumRingSize) !== 0 && (msg(hash.maglev) || msg(hash.ringHash))) {
      p.add(`${path}.consistentHash`, 'only one of MinimumRingSize or Maglev/Ringhash can be specified');
    }
    const maglev = msg(hash.maglev);
    if (maglev) {
      const size = num(maglev.tableSize);
      if (size === 0) p.add(`${path}.consistentHash.maglev.tableSize`, 'tableSize must be set for maglev');
      if (size >= 5000011) p.add(`${path}.consistentHash.maglev.tableSize`, 'tableSize must be less than 5000011 for maglev');
      if (!isPrime(size)) p.add(`${path}.consistentHash.maglev.tableSize`, 'tableSize must be a prime number for maglev');
    }
  }
  const locality = msg(lb.localityLbSetting);
  if (locality) checkLocality(p, `${path}.localityLbSetting`, locality);
  const warmup = msg(lb.warmup);
  if (warmup) {
    if (!isSet(warmup.duration)) p.add(`${path}.warmup.duration`, 'duration is required');
    if ((wrapped(warmup.minimumPercent) ?? 0) > 100) p.add(`${path}.warmup.minimumPercent`, 'minimumPercent value should be less than or equal to 100');
    if (wrapped(warmup.aggression) !== undefined && wrapped(warmup.aggression)! < 1) p.add(`${path}.warmup.aggression`, 'aggression should be greater than or equal to 1');
  }
}

/** `agent.ValidateTLS` for the client TLS settings of a traffic policy. */
function checkClientTls(p: Problems, path: string, tls: Obj, namespace: string | undefined): void {
  const mode = str(tls.mode);
  const credential = str(tls.credentialName);
  if (credential.startsWith('configmap://')) {
    // `configmap://<namespace>/<name>`, the namespace the rule's own (credentials.ParseResourceName).
    const [ns, name] = credential.slice('configmap://'.length).split('/');
    if (name === undefined || ns === '' || name === '') {
      p.add(`${path}.credentialName`, `invalid configmap:// credentialName: invalid resource name "${credential}". Expected namespace and name`);
    } else if (namespace !== undefined && ns !== namespace) {
      p.add(`${path}.credentialName`, `invalid configmap:// credentialName: namespace must match the configuration namespace "${namespace}"`);
    }
  }
  if (tls.insecureSkipVerify === true) {
    if (mode === 'SIMPLE' && (str(tls.caCertificates) !== '' || credential !== '' || isSet(tls.subjectAltNames))) {
      p.add(path, 'cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true');
    }
    if (mode === 'MUTUAL' && (str(tls.caCertificates) !== '' || isSet(tls.subjectAltNames))) {
      p.add(path, 'cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true');
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && credential !== '') {
    if (['clientCertificate', 'caCertificates', 'privateKey', 'caCrl'].some((f) => str(tls[f]) !== '')) {
      p.add(path, 'cannot specify client certificates or CA certificate or CA CRL If credentialName is set');
    }
    return;
  }
  if (mode === 'MUTUAL') {
    if (str(tls.clientCertificate) === '') p.add(`${path}.clientCertificate`, 'client certificate required for mutual tls');
    if (str(tls.privateKey) === '') p.add(`${path}.privateKey`, 'private key required for mutual tls');
  }
}

const POLICY_FIELDS = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'];

function checkPolicyParts(p: Problems, path: string, policy: Obj, namespace: string | undefined): void {
  const outlier = msg(policy.outlierDetection);
  if (outlier) checkOutlierDetection(p, `${path}.outlierDetection`, outlier);
  const pool = msg(policy.connectionPool);
  if (pool) checkConnectionPoolOf(p, `${path}.connectionPool`, pool);
  const lb = msg(policy.loadBalancer);
  if (lb) checkLoadBalancer(p, `${path}.loadBalancer`, lb);
  const tls = msg(policy.tls);
  if (tls) checkClientTls(p, `${path}.tls`, tls, namespace);
}

/** `validateTrafficPolicy`. */
function checkTrafficPolicy(p: Problems, path: string, policy: Obj, namespace: string | undefined): void {
  if (!POLICY_FIELDS.some((f) => isSet(policy[f]))) {
    p.add(path, 'traffic policy must have at least one field');
    return;
  }
  if (msg(policy.tunnel) && msg(policy.proxyProtocol)) {
    p.add(path, 'tunnel and proxyProtocol must not be set together');
    return;
  }
  checkPolicyParts(p, path, policy, namespace);
  for (const [i, pl] of list(policy.portLevelSettings).entries()) {
    const port = msg(pl) ?? {};
    const at = `${path}.portLevelSettings[${i}]`;
    if (!msg(port.port)) p.add(`${at}.port`, 'portTrafficPolicy must have valid port');
    if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some((f) => msg(port[f]))) p.add(at, 'port traffic policy must have at least one field');
    else checkPolicyParts(p, at, port, namespace);
  }
  const tunnel = msg(policy.tunnel);
  if (tunnel) {
    const protocol = str(tunnel.protocol);
    if (protocol !== '' && protocol !== 'CONNECT' && protocol !== 'POST') p.add(`${path}.tunnel.protocol`, 'tunnel protocol must be "CONNECT" or "POST"');
    const target = str(tunnel.targetHost);
    if (fqdnError(target) && !isIpAddress(target)) p.add(`${path}.tunnel.targetHost`, `tunnel target host must be valid FQDN or IP address: ${fqdnError(target)}`);
    const portProblem = portError(num(tunnel.targetPort));
    if (portProblem) p.add(`${path}.tunnel.targetPort`, `tunnel target port is invalid: ${portProblem}`);
  }
}

/** The webhook's verdict on a DestinationRule's spec. */
export function checkDestinationRule(p: Problems, spec: Obj, namespace: string | undefined): void {
  const hostError = wildcardDomainError(str(spec.host));
  if (hostError) p.add('spec.host', hostError);
  const policy = msg(spec.trafficPolicy);
  if (policy) checkTrafficPolicy(p, 'spec.trafficPolicy', policy, namespace);
  const names = new Set<string>();
  for (const [i, s] of list(spec.subsets).entries()) {
    const subset = msg(s) ?? {};
    const at = `spec.subsets[${i}]`;
    const name = str(subset.name);
    if (names.has(name)) p.add(`${at}.name`, `duplicate subset names: ${name}`);
    names.add(name);
    const nameError = subsetNameError(name);
    if (nameError) p.add(`${at}.name`, nameError);
    for (const error of labelsErrors(subset.labels)) p.add(`${at}.labels`, error);
    const subsetPolicy = msg(subset.trafficPolicy);
    if (subsetPolicy) checkTrafficPolicy(p, `${at}.trafficPolicy`, subsetPolicy, namespace);
  }
  checkExportTo(p, 'spec.exportTo', namespace, spec.exportTo, { selectorRule: msg(spec.workloadSelector) !== undefined });
  checkWorkloadSelector(p, 'spec.workloadSelector', spec.workloadSelector);
}
