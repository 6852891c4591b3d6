import { checkConnectionPoolOf } from './destination-rule-rules';
import { checkServerTls, namespacedHostErrors, unixAddressError } from './gateway-rules';
import { checkDestination } from './reference-rules';
import { checkAlphaSelector } from './service-entry-rules';
import { fqdnError, isIpAddress, isTlsProtocol, list, msg, num, Obj, portError, portNameError, Problems, protocolError, str } from './webhook-values';

/**
 * istiod's validating webhook on a Sidecar (`ValidateSidecar` and its helpers in istio/istio
 * `pkg/config/validation/validation.go` at 1.30.3). Duplicated egress hosts and `*\/*` beside
 * other hosts draw warnings there, not rejections, and are not reported.
 */

function checkPort(p: Problems, path: string, port: Obj, bind: string, egress: boolean, captureMode: string): void {
  if (str(port.name) !== '') {
    const error = portNameError(str(port.name));
    if (error) p.add(`${path}.name`, error);
  }
  const protocol = protocolError(str(port.protocol));
  if (protocol) p.add(`${path}.protocol`, protocol);
  if (egress && num(port.number) === 0) {
    if (!bind.startsWith('unix://')) {p.add(path, 'sidecar: ports with 0 value must have a unix domain socket bind address');} else {
      const error = unixAddressError(bind.slice('unix://'.length));
      if (error) p.add(`${path}.bind`, error);
    }
    if (captureMode !== '' && captureMode !== 'DEFAULT' && captureMode !== 'NONE') p.add(path, 'sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners');
    return;
  }
  const number = portError(num(port.number));
  if (number) p.add(`${path}.number`, number);
  if (bind !== '' && !isIpAddress(bind)) p.add(path, `${bind} is not a valid IP`);
}

/** `sidecar: defaultEndpoint must be of form 127.0.0.1:<port>, ...`. */
function checkDefaultEndpoint(p: Problems, path: string, endpoint: string): void {
  if (endpoint.startsWith('unix://')) {
    const error = unixAddressError(endpoint.slice('unix://'.length));
    if (error) p.add(path, error);
    return;
  }
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*)):([^:]*)$/.exec(endpoint);
  if (!match) {
    p.add(path, `address ${endpoint}: missing port in address`);
    return;
  }
  const host = match[1] ?? match[2];
  if (host !== '' && !['127.0.0.1', '0.0.0.0', '::1', '::'].includes(host)) {
    p.add(path, 'sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset');
  }
  if (!/^[+-]?[0-9]+$/.test(match[3])) p.add(path, `sidecar: defaultEndpoint port (${match[3]}) is not a number`);
  else if (portError(Number(match[3]))) p.add(path, portError(Number(match[3]))!);
}

function checkIngress(p: Problems, spec: Obj): void {
  const ports = new Set<number>();
  for (const [i, raw] of list(spec.ingress).entries()) {
    const ingress = msg(raw) ?? {};
    const at = `spec.ingress[${i}]`;
    const port = msg(ingress.port);
    if (!port) {
      p.add(`${at}.port`, 'sidecar: port is required for ingress listeners');
      continue;
    }
    if (num(port.targetPort) > 0) p.add(`${at}.port.targetPort`, 'targetPort has no impact on Sidecars');
    checkPort(p, `${at}.port`, port, str(ingress.bind), false, '');
    if (ports.has(num(port.number))) p.add(`${at}.port.number`, 'sidecar: ports on IP bound listeners must be unique');
    ports.add(num(port.number));
    if (str(ingress.defaultEndpoint) !== '') checkDefaultEndpoint(p, `${at}.defaultEndpoint`, str(ingress.defaultEndpoint));
    const tls = msg(ingress.tls);
    if (tls) {
      const unsupported: [string, string][] = [
        ['subjectAltNames', 'sidecar: subjectAltNames is not supported in ingress tls'], ['credentialName', 'sidecar: credentialName is not currently supported'],
        ['credentialNames', 'sidecar: credentialNames is not currently supported'], ['tlsCertificates', 'sidecar: tls_certificates is not currently supported'],
      ];
      for (const [field, message] of unsupported) if (Array.isArray(tls[field]) ? tls[field].length > 0 : str(tls[field]) !== '') p.add(`${at}.tls.${field}`, message);
      if (tls.httpsRedirect === true) p.add(`${at}.tls.httpsRedirect`, 'sidecar: httpsRedirect is not supported');
      if (tls.mode === 'ISTIO_MUTUAL' || tls.mode === 'AUTO_PASSTHROUGH') p.add(`${at}.tls.mode`, `configuration is invalid: cannot set mode to ${tls.mode} in sidecar ingress tls`);
      if (!isTlsProtocol(str(port.protocol))) p.add(`${at}.tls`, 'server cannot have TLS settings for non HTTPS/TLS ports');
      checkServerTls(p, `${at}.tls`, tls);
    }
    const pool = msg(ingress.connectionPool);
    if (pool) checkConnectionPoolOf(p, `${at}.connectionPool`, pool);
  }
}

function checkEgress(p: Problems, spec: Obj): void {
  const egress = list(spec.egress);
  const ports = new Set<number>();
  const sockets = new Set<string>();
  for (const [i, raw] of egress.entries()) {
    const listener = msg(raw) ?? {};
    const at = `spec.egress[${i}]`;
    const port = msg(listener.port);
    if (!port) {
      // Only the last listener may catch all ports. (Go's "only one listener with empty port"
      // follows from it: a second catch-all after the last cannot be.)
      if (i !== egress.length - 1) p.add(at, 'sidecar: the egress listener with empty port should be the last listener in the list');
    } else {
      if (num(port.targetPort) > 0) p.add(`${at}.port.targetPort`, 'targetPort has no impact on Sidecars');
      checkPort(p, `${at}.port`, port, str(listener.bind), true, str(listener.captureMode));
      if (num(port.number) === 0) {
        if (sockets.has(str(listener.bind))) p.add(`${at}.bind`, 'sidecar: unix domain socket values for listeners must be unique');
        sockets.add(str(listener.bind));
      } else {
        if (ports.has(num(port.number))) p.add(`${at}.port.number`, 'sidecar: ports on IP bound listeners must be unique');
        ports.add(num(port.number));
      }
    }
    const hosts = list(listener.hosts).map(str);
    if (hosts.length === 0) p.add(`${at}.hosts`, 'sidecar: egress listener must contain at least one host');
    for (const [j, host] of hosts.entries()) for (const error of namespacedHostErrors(host, false)) p.add(`${at}.hosts[${j}]`, error);
  }
}

/** The webhook's verdict on a Sidecar's spec. */
export function checkSidecar(p: Problems, spec: Obj): void {
  const before = p.list.length;
  checkAlphaSelector(p, 'spec.workloadSelector', spec.workloadSelector);
  if (p.list.length > before) return; // the webhook stops at a bad selector
  if (list(spec.egress).length === 0 && list(spec.ingress).length === 0 && !msg(spec.outboundTrafficPolicy) && !msg(spec.inboundConnectionPool)) {
    p.add('spec', 'sidecar: empty configuration provided');
    return;
  }
  checkIngress(p, spec);
  const inbound = msg(spec.inboundConnectionPool);
  if (inbound) checkConnectionPoolOf(p, 'spec.inboundConnectionPool', inbound);
  checkEgress(p, spec);
  const outbound = msg(spec.outboundTrafficPolicy);
  const proxy = msg(outbound?.egressProxy);
  if (outbound && proxy) {
    if ((str(outbound.mode) || 'REGISTRY_ONLY') !== 'ALLOW_ANY') {
      p.add('spec.outboundTrafficPolicy.egressProxy', 'sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode');
      return;
    }
    const hostError = fqdnError(str(proxy.host));
    if (hostError) p.add('spec.outboundTrafficPolicy.egressProxy.host', hostError);
    if (!msg(proxy.port)) p.add('spec.outboundTrafficPolicy.egressProxy.port', 'sidecar: egress_proxy port must be non-nil');
    else checkDestination(p, 'spec.outboundTrafficPolicy.egressProxy', proxy);
  }
}
