import { ManifestValidator } from '../../src';

/**
 * Istio objects for the webhook-rule tests, each admitted by its CRD and by istiod's webhook as
 * built (name `x`, namespace `shop`), and how the gate speaks of them: `<stage> <path>: <message>`.
 */

export const validator = new ManifestValidator();

export function object(apiVersion: string, kind: string, spec: any, metadata: any = {}): any {
  return { apiVersion, kind, metadata: { name: 'x', namespace: 'shop', ...metadata }, spec };
}
export const vs = (spec: any, metadata?: any) => object('networking.istio.io/v1', 'VirtualService', spec, metadata);
export const dr = (spec: any, metadata?: any) => object('networking.istio.io/v1', 'DestinationRule', spec, metadata);
export const gw = (spec: any, metadata?: any) => object('networking.istio.io/v1', 'Gateway', spec, metadata);
export const se = (spec: any, metadata?: any) => object('networking.istio.io/v1', 'ServiceEntry', spec, metadata);
export const sc = (spec: any) => object('networking.istio.io/v1', 'Sidecar', spec);
export const ap = (spec: any, metadata?: any) => object('security.istio.io/v1', 'AuthorizationPolicy', spec, metadata);
export const ra = (spec: any) => object('security.istio.io/v1', 'RequestAuthentication', spec);
export const pa = (spec: any) => object('security.istio.io/v1', 'PeerAuthentication', spec);

export const route = (extra: any = {}) => ({ route: [{ destination: { host: 'reviews' } }], ...extra });
export const server = (extra: any = {}) => ({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop/*.example.com'], ...extra });
export const httpsServer = (tls: any) => ({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*.example.com'], tls });

export function problemsOf(o: any): string[] {
  return validator.validateObject(o).map((p) => `${p.stage} ${p.path}: ${p.message}`);
}
