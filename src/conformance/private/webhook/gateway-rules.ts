import {
  isHttpProtocol, isIpAddress, isIstioDnsLabel, isTlsProtocol, list, msg, num, Obj, portError, Problems, protocolOf, str, wildcardDomainError,
} from './webhook-values';

/**
 * istiod's validating webhook on a Gateway (`ValidateGateway`, `validateServer`,
 * `validateServerPort`, `validateTLSOptions` in istio/istio `pkg/config/validation/validation.go`,
 * `ValidateNamespaceSlashWildcardHostname` in `agent/validation.go`, at 1.30.3).
 */

/** `ValidateUnixAddress`: an abstract socket (`@name`) or an absolute path to a file. */
export function unixAddressError(address: string): string | undefined {
  if (address.length === 0) return 'unix address must not be empty';
  if (address.startsWith('@')) return undefined;
  return address.startsWith('/') && !address.endsWith('/') ? undefined : `${address} is not an absolute path to a file`;
}

/**
 * `validateSidecarOrGatewayHostnamePart`: an FQDN or `*`, with a wildcard only as a whole leading
 * label; a Gateway also takes an IP address.
 */
function hostnamePartErrors(hostname: string, gateway: boolean): string[] {
  const errors: string[] = [];
  if (hostname !== '*' && !hostname.includes('.')) errors.push('short names (non FQDN) are not allowed');
  const error = wildcardDomainError(hostname);
  if (error && (!gateway || !isIpAddress(hostname))) errors.push(error);
  if (hostname.includes('*') && hostname.length !== 1 && !hostname.startsWith('*.')) errors.push(`partial wildcard "${hostname}" not allowed`);
  return errors;
}

/** `ValidateNamespaceSlashWildcardHostname`: `namespace/dnsName` (a Gateway also takes a bare dnsName). */
export function namespacedHostErrors(host: string, gateway: boolean, gatewaySemantics = false): string[] {
  const slash = host.indexOf('/');
  if (slash < 0) return gateway ? hostnamePartErrors(host, true) : ['host must be of form namespace/dnsName'];
  const [ns, name] = [host.slice(0, slash), host.slice(slash + 1)];
  const errors: string[] = [];
  if (ns.length === 0 || name.length === 0) errors.push('config namespace and dnsName in host entry cannot be empty');
  // `~/host` in a Gateway only when istiod made it from a Gateway API Gateway with no routes.
  const allowed = gateway && !gatewaySemantics ? ['*', '.'] : ['*', '.', '~'];
  if (!allowed.includes(ns) && !isIstioDnsLabel(ns)) errors.push(`invalid namespace value "${ns}" in ${gateway ? 'gateway' : 'sidecar'}`);
  return [...errors, ...hostnamePartErrors(name, gateway)];
}

/** `validateTLSOptions`: what each server TLS mode requires and forbids (shared with Sidecar ingress). */
export function checkServerTls(p: Problems, path: string, tls: Obj): void {
  const mode = str(tls.mode) || 'PASSTHROUGH';
  const has = (f: string) => str(tls[f]) !== '';
  if (mode === 'ISTIO_MUTUAL') {
    const forbidden: [string, string][] = [
      ['serverCertificate', 'server certificate'], ['privateKey', 'private key'], ['caCertificates', 'CA bundle'],
      ['tlsCertificates', 'tlsCertificates'], ['credentialName', 'credentialName'], ['credentialNames', 'credentialNames'],
    ];
    for (const [field, what] of forbidden) {
      if (Array.isArray(tls[field]) ? tls[field].length > 0 : has(field)) p.add(`${path}.${field}`, `ISTIO_MUTUAL TLS cannot have associated ${what}`);
    }
    return;
  }
  const sources = [has('serverCertificate') && has('privateKey'), has('credentialName'), list(tls.credentialNames).length > 0, list(tls.tlsCertificates).length > 0];
  if (sources.filter(Boolean).length > 1) {
    p.add(path, 'only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified');
  }
  const terminating = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  if (terminating && (has('credentialName') || list(tls.credentialNames).length > 0)) return;
  if (terminating) {
    const prefix = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
    if (mode !== 'SIMPLE' && !has('caCertificates')) p.add(`${path}.caCertificates`, `${prefix} requires a client CA bundle`);
    const certs = list(tls.tlsCertificates).length > 0 ? list(tls.tlsCertificates).map((c) => msg(c) ?? {}) : [tls];
    for (const cert of certs) {
      if (str(cert.serverCertificate) === '') p.add(`${path}.serverCertificate`, `${prefix} requires a server certificate`);
      if (str(cert.privateKey) === '') p.add(`${path}.privateKey`, `${prefix} requires a private key`);
    }
  }
  if (has('caCrl')) {
    if (has('credentialName')) p.add(`${path}.caCrl`, 'CRL is not supported with credentialName. CRL has to be specified in the credential');
    if (mode === 'SIMPLE') p.add(`${path}.caCrl`, 'CRL is not supported with SIMPLE TLS');
  }
}

/** `validateServerPort` and `validateServerBind`. */
function checkServerPort(p: Problems, path: string, server: Obj): boolean {
  const port = msg(server.port);
  const bind = str(server.bind);
  if (!port) {
    p.add(`${path}.port`, 'port is required');
    return false;
  }
  const before = p.list.length;
  if (!protocolOf(str(port.protocol))) {
    p.add(`${path}.port.protocol`, `invalid protocol "${str(port.protocol)}", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`);
  }
  if (num(port.number) > 0 || !bind.startsWith('unix://')) {
    const error = portError(num(port.number));
    if (error) p.add(`${path}.port.number`, error);
  }
  if (num(port.targetPort) > 0) p.add(`${path}.port.targetPort`, 'targetPort has no impact on Gateways');
  if (str(port.name) === '') p.add(`${path}.port.name`, 'port name must be set');
  const portValid = p.list.length === before;
  if (bind.startsWith('unix://')) {
    const error = unixAddressError(bind.slice('unix://'.length));
    if (error) p.add(`${path}.bind`, error);
    if (num(port.number) !== 0) p.add(`${path}.port.number`, 'port number must be 0 for unix domain socket');
  } else if (bind !== '' && !isIpAddress(bind)) {
    p.add(`${path}.bind`, `${bind} is not a valid IP`);
  }
  return portValid;
}

function checkServer(p: Problems, path: string, server: Obj, gatewaySemantics: boolean): void {
  const hosts = list(server.hosts).map(str);
  if (hosts.length === 0) p.add(`${path}.hosts`, 'server config must contain at least one host');
  for (const [i, host] of hosts.entries()) for (const error of namespacedHostErrors(host, true, gatewaySemantics)) p.add(`${path}.hosts[${i}]`, error);
  const portValid = checkServerPort(p, path, server);
  const tls = msg(server.tls);
  if (tls) checkServerTls(p, `${path}.tls`, tls);
  if (!portValid) return;
  const protocol = str(msg(server.port)?.protocol);
  if (isTlsProtocol(protocol) && !tls) {p.add(`${path}.tls`, 'server must have TLS settings for HTTPS/TLS protocols');} else if (!isTlsProtocol(protocol) && tls) {
    if (!isHttpProtocol(protocol)) {p.add(`${path}.tls`, 'server cannot have TLS settings for non HTTPS/TLS ports');} else if (!['PASSTHROUGH', 'AUTO_PASSTHROUGH'].includes(str(tls.mode) || 'PASSTHROUGH')
      || ['caCertificates', 'privateKey', 'serverCertificate'].some((f) => str(tls[f]) !== '')) {
      // A plain-text HTTP server takes TLS settings without certificates only, for `httpsRedirect`
      // (pkg/config/gateway/gateway.go IsPassThroughServer).
      p.add(`${path}.tls`, 'server cannot have TLS settings for plain text HTTP ports');
    }
  }
}

/**
 * The webhook's verdict on a Gateway: its name, servers and port names. `gatewaySemantics`:
 * istiod made it from a Gateway API Gateway (`internal.istio.io/gateway-semantics: gateway`).
 */
export function checkGateway(p: Problems, spec: Obj, name: string, gatewaySemantics: boolean): void {
  if (!isIstioDnsLabel(name) && !gatewaySemantics) p.add('metadata.name', `invalid gateway name: "${name}"`);
  const servers = list(spec.servers);
  if (servers.length === 0) p.add('spec.servers', 'gateway must have at least one server');
  const portNames = new Set<string>();
  for (const [i, s] of servers.entries()) {
    const server = msg(s) ?? {};
    checkServer(p, `spec.servers[${i}]`, server, gatewaySemantics);
    const port = msg(server.port);
    if (!port) continue;
    if (portNames.has(str(port.name))) p.add(`spec.servers[${i}].port.name`, `port names in servers must be unique: duplicate name ${str(port.name)}`);
    portNames.add(str(port.name));
  }
}

