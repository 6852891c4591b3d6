/**
 * The servers of a gateway deployment on one port: the Istio Gateways whose selector matches its
 * pods (in any namespace), or the listeners of the Gateway API Gateway it was deployed for. A
 * server's `port.number` is the gateway Service's port; a host `ns/host` limits the
 * VirtualServices it takes to that namespace (pilot/pkg/model/gateway.go at 1.30.3).
 */
import type { Inventory, Pod } from './inventory';
import { hostMatches, selects } from './inventory';

export interface GatewayListener {
  readonly describe: string;
  readonly hostMatches: boolean;
  readonly httpsRedirect: boolean;
  readonly tlsMode?: string;
  readonly protocol: string;
  /** How VirtualServices name it: `<ns>/<gateway>`. */
  readonly routeKey: string;
}

export function gatewayListeners(inv: Inventory, pod: Pod, servicePort: number, sni: string, host: string): GatewayListener[] {
  const plainHost = host.replace(/:\d+$/, '');
  const out: GatewayListener[] = [];
  if (pod.gatewayKind === 'gateway-api') {
    const name = pod.labels['gateway.networking.k8s.io/gateway-name'];
    const gw = inv.of('Gateway').find((g) => g.namespace === pod.namespace && g.name === name && String(g.json.apiVersion).startsWith('gateway.networking.k8s.io/'));
    for (const l of gw?.json.spec?.listeners ?? []) {
      if (l.port !== servicePort) continue;
      const tls = l.tls?.mode === 'Passthrough' ? undefined : l.protocol === 'HTTPS' || l.protocol === 'TLS' ? 'SIMPLE' : undefined;
      const matchHost = l.protocol === 'TLS' || l.protocol === 'HTTPS' ? sni : plainHost;
      out.push({
        describe: `Gateway ${gw!.namespace}/${gw!.name} listener ${l.name}`,
        hostMatches: !l.hostname || hostMatches(l.hostname, matchHost),
        httpsRedirect: false,
        tlsMode: tls,
        protocol: l.protocol === 'TLS' && l.tls?.mode === 'Passthrough' ? 'TLS' : l.protocol,
        routeKey: `${gw!.namespace}/${gw!.name}`,
      });
    }
    return out;
  }
  for (const gw of inv.of('Gateway').filter((g) => String(g.json.apiVersion).startsWith('networking.istio.io/'))) {
    if (!selects(gw.json.spec?.selector, pod.labels) || !gw.json.spec?.selector) continue;
    (gw.json.spec?.servers ?? []).forEach((s: any, i: number) => {
      if (s.port?.number !== servicePort) return;
      const protocol = String(s.port?.protocol ?? 'HTTP').toUpperCase();
      const passthrough = s.tls?.mode === 'PASSTHROUGH' || s.tls?.mode === 'AUTO_PASSTHROUGH';
      const matchHost = protocol === 'HTTPS' || protocol === 'TLS' ? sni : plainHost;
      out.push({
        describe: `Gateway ${gw.namespace}/${gw.name} server ${s.name ?? i} (${protocol} ${servicePort})`,
        hostMatches: (s.hosts ?? []).some((h: string) => hostMatches(h.includes('/') ? h.slice(h.indexOf('/') + 1) : h, matchHost)),
        httpsRedirect: s.tls?.httpsRedirect === true,
        tlsMode: passthrough ? undefined : protocol === 'HTTPS' || protocol === 'TLS' ? s.tls?.mode : undefined,
        protocol: passthrough ? 'TLS' : protocol,
        routeKey: `${gw.namespace}/${gw.name}`,
      });
    });
  }
  return out;
}
