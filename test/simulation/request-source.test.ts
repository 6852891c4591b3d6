import { RequestSource, RequestSourceKind } from '../../src';

describe('RequestSource', () => {
  test.each([
    ['shop/frontend', RequestSourceKind.SERVICE_ACCOUNT, 'shop', 'frontend', 'serviceAccount shop/frontend'],
    ['workload:shop/web', RequestSourceKind.WORKLOAD, 'shop', 'web', 'workload shop/web'],
    ['ingress:istio-system/istio-ingressgateway', RequestSourceKind.INGRESS_GATEWAY, 'istio-system', 'istio-ingressgateway', 'ingressGateway istio-system/istio-ingressgateway'],
    ['namespace:shop', RequestSourceKind.NAMESPACE, 'shop', 'default', 'namespace shop'],
    ['outside', RequestSourceKind.OUTSIDE, undefined, undefined, 'outside the mesh'],
  ])('parse(%j) reads the CLI form', (text, kind, ns, name, shown) => {
    const source = RequestSource.parse(text);
    expect(source.kind).toBe(kind);
    expect(source.namespaceName).toBe(ns);
    expect(source.name).toBe(name);
    expect(source.toString()).toBe(shown);
  });

  test.each(['shop', 'shop/', '/frontend', 'a/b/c', 'workload:shop', 'ingress:/gw', ''])('parse(%j) is refused with the forms it takes', (text) => {
    expect(() => RequestSource.parse(text)).toThrow(/RequestSource\.parse.*<namespace>\/<serviceaccount>, workload:<namespace>\/<name>/s);
  });

  test.each([
    ['workload', () => RequestSource.workload('Shop', 'web'), /RequestSource\.workload.*namespace.*"Shop"/s],
    ['workload', () => RequestSource.workload('shop', 'web_1'), /RequestSource\.workload.*name.*"web_1"/s],
    ['serviceAccount', () => RequestSource.serviceAccount('', 'sa'), /RequestSource\.serviceAccount.*namespace/s],
    ['namespace', () => RequestSource.namespace('-x'), /RequestSource\.namespace.*"-x"/s],
    ['ingressGateway', () => RequestSource.ingressGateway('istio-system', 'GW'), /RequestSource\.ingressGateway.*name.*"GW"/s],
  ])('%s refuses a name Kubernetes would refuse', (_factory, make, message) => {
    expect(make).toThrow(message);
  });
});
