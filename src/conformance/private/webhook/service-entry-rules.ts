import { unixAddressError } from './gateway-rules';
import {
  checkExportTo, entries, fqdnError, ipSubnetError, isHttpProtocol, isIpAddress, isTlsProtocol, labelsErrors, list, msg, num, Obj,
  portError, portNameError, Problems, protocolError, protocolOf, str, wildcardDomainError,
} from './webhook-values';

/**
 * istiod's validating webhook on a ServiceEntry (`ValidateServiceEntry` and `validateWorkloadEntry`
 * in istio/istio `pkg/config/validation/validation.go` at 1.30.3). Warnings (addresses for TCP
 * ports without auto-allocation, partial wildcards) are not reported: the webhook admits them.
 */

/** `ValidateAlphaWorkloadSelector` (networking kinds: `labels`, not `matchLabels`). */
export function checkAlphaSelector(p: Problems, path: string, selector: unknown): void {
  for (const [key, value] of entries(msg(selector)?.labels)) {
    if (key === '') p.add(`${path}.labels`, `empty key is not supported in selector: "=${str(value)}"`);
    if (key.includes('*') || str(value).includes('*')) p.add(`${path}.labels[${key}]`, `wildcard is not supported in selector: "${key}=${str(value)}"`);
  }
}

function checkEndpointPorts(p: Problems, path: string, endpoint: Obj, servicePorts: Set<string>): void {
  for (const [name, port] of entries(endpoint.ports)) {
    if (!servicePorts.has(name)) p.add(`${path}.ports[${name}]`, `endpoint port ${num(port)} is not defined by the service entry`);
    const nameError = portNameError(name);
    if (nameError) p.add(`${path}.ports`, nameError);
    const numberError = portError(num(port));
    if (numberError) p.add(`${path}.ports[${name}]`, numberError);
  }
  for (const error of labelsErrors(endpoint.labels)) p.add(`${path}.labels`, error);
}

/** `validateWorkloadEntry` for a STATIC entry's endpoint (no FQDN addresses). */
function checkStaticEndpoint(p: Problems, path: string, endpoint: Obj, servicePorts: Set<string>): void {
  const address = str(endpoint.address);
  if (address === '' && str(endpoint.network) === '') {
    p.add(`${path}.address`, 'address is required');
    return;
  }
  const unix = address.startsWith('unix://');
  if (unix) {
    const error = unixAddressError(address.slice('unix://'.length));
    if (error) p.add(`${path}.address`, error);
    if (entries(endpoint.ports).length > 0) p.add(`${path}.ports`, `unix endpoint ${address} must not include ports`);
  } else if (address !== '' && !isIpAddress(address)) {
    p.add(`${path}.address`, `endpoint address "${address}" is not a valid IP address`);
  }
  checkEndpointPorts(p, path, endpoint, servicePorts);
  if (unix && servicePorts.size !== 1) p.add(path, 'exactly 1 service port required for unix endpoints');
}

function checkResolution(p: Problems, spec: Obj, servicePorts: Set<string>, hosts: string[], labels: unknown): void {
  const resolution = str(spec.resolution) || 'NONE';
  const endpoints = list(spec.endpoints).map((e) => msg(e) ?? {});
  if (resolution === 'NONE') {
    if (endpoints.length > 0) p.add('spec.endpoints', 'no endpoints should be provided for resolution type none');
  } else if (resolution === 'STATIC') {
    for (const [i, e] of endpoints.entries()) checkStaticEndpoint(p, `spec.endpoints[${i}]`, e, servicePorts);
  } else if (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') {
    if (endpoints.length === 0) {
      const bad = hosts.map((h) => fqdnError(h)).find((e) => e !== undefined);
      if (bad) p.add('spec.hosts', `hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode ${resolution}, ${bad}`);
    }
    if (resolution === 'DNS_ROUND_ROBIN' && endpoints.length > 1) p.add('spec.endpoints', `there must only be 0 or 1 endpoint for resolution mode ${resolution}`);
    for (const [i, e] of endpoints.entries()) {
      const address = str(e.address);
      if (!isIpAddress(address) && fqdnError(address)) p.add(`spec.endpoints[${i}].address`, `endpoint address "${address}" is not a valid FQDN or an IP address`);
      checkEndpointPorts(p, `spec.endpoints[${i}]`, e, servicePorts);
    }
  } else if (resolution === 'DYNAMIC_DNS') {
    for (const [i, h] of hosts.entries()) {
      if (!h.startsWith('*')) p.add(`spec.hosts[${i}]`, `host must be wildcarded for resolution mode ${resolution}`);
    }
    if (list(spec.addresses).length > 0) {
      p.add('spec.addresses', `addresses cannot be set for resolution type ${resolution}. HTTP route domains will only be generated from the hosts field values`);
    }
    if (endpoints.length > 0) {
      p.add('spec.endpoints', `endpoints cannot be set for resolution type ${resolution}. Destination IP address determined from hosts field values`);
    }
    for (const [i, port] of list(spec.ports).entries()) {
      if (!['HTTP', 'TLS', 'GRPC', 'HTTP2'].includes(protocolOf(str(msg(port)?.protocol)) ?? '')) {
        p.add(`spec.ports[${i}].protocol`, `only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type ${resolution}`);
      }
    }
    const waypoint = str(msg(labels)?.['istio.io/use-waypoint']);
    if (str(spec.location) === 'MESH_INTERNAL' && waypoint !== '' && waypoint.toLowerCase() !== 'none') {
      p.add('spec.location', `location MESH_INTERNAL with resolution type ${resolution} is not supported when using waypoints`);
    }
  }
}

/** The webhook's verdict on a ServiceEntry's spec. `labels`: the object's labels (for the waypoint rule). */
export function checkServiceEntry(p: Problems, spec: Obj, namespace: string | undefined, labels: unknown): void {
  const before = p.list.length;
  checkAlphaSelector(p, 'spec.workloadSelector', spec.workloadSelector);
  if (p.list.length > before) return; // the webhook stops at a bad selector
  if (msg(spec.workloadSelector) && list(spec.endpoints).length > 0) {
    p.add('spec', 'only one of WorkloadSelector or Endpoints is allowed in Service Entry');
  }
  const hosts = list(spec.hosts).map(str);
  if (hosts.length === 0) p.add('spec.hosts', 'service entry must have at least one host');
  for (const [i, host] of hosts.entries()) {
    const error = host === '*' ? `invalid host ${host}` : wildcardDomainError(host);
    if (error) p.add(`spec.hosts[${i}]`, error);
  }
  const addresses = list(spec.addresses).map(str);
  for (const [i, address] of addresses.entries()) {
    const error = ipSubnetError(address);
    if (error) p.add(`spec.addresses[${i}]`, error);
  }
  const resolution = str(spec.resolution) || 'NONE';
  if (addresses.some((a) => a.includes('/')) && resolution !== 'NONE' && resolution !== 'STATIC') {
    p.add('spec.addresses', 'CIDR addresses are allowed only for NONE/STATIC resolution types');
  }
  const names = new Set<string>();
  const numbers = new Set<number>();
  for (const [i, raw] of list(spec.ports).entries()) {
    const port = msg(raw) ?? {};
    const at = `spec.ports[${i}]`;
    if (names.has(str(port.name))) p.add(`${at}.name`, `service entry port name "${str(port.name)}" already defined`);
    if (numbers.has(num(port.number))) p.add(`${at}.number`, `service entry port ${num(port.number)} already defined`);
    names.add(str(port.name));
    numbers.add(num(port.number));
    if (num(port.targetPort) !== 0 && portError(num(port.targetPort))) p.add(`${at}.targetPort`, portError(num(port.targetPort))!);
    for (const [field, error] of [['name', portNameError(str(port.name))], ['protocol', protocolError(str(port.protocol))], ['number', portError(num(port.number))]]) {
      if (error) p.add(`${at}.${field}`, error);
    }
  }
  checkResolution(p, spec, names, hosts, labels);
  // Several hosts on a plain TCP port cannot be told apart unless the hosts are ignored (NONE).
  if (resolution !== 'NONE' && hosts.length > 1) {
    const tcp = list(spec.ports).findIndex((port) => !isHttpProtocol(str(msg(port)?.protocol)) && !isTlsProtocol(str(msg(port)?.protocol)));
    if (tcp >= 0) p.add(`spec.ports[${tcp}]`, 'multiple hosts provided with non-HTTP, non-TLS ports');
  }
  checkExportTo(p, 'spec.exportTo', namespace, spec.exportTo, { serviceEntry: true });
}
