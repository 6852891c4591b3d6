/**
 * The protocol of a port, as Istio's Gateway servers, ServiceEntry ports and Sidecar listeners
 * name it. It decides how the proxy treats the traffic: HTTP-family protocols get L7 routing
 * (VirtualService `http` routes), TLS gets SNI routing (`tls` routes), TCP is opaque.
 */
export enum PortProtocol {
  /** HTTP/1.1 (and HTTP/2 with prior knowledge, negotiated by the proxy). */
  HTTP = 'HTTP',
  /** HTTP over TLS. On a Gateway, the gateway terminates TLS (server `tls` required). */
  HTTPS = 'HTTPS',
  /** HTTP/2. */
  HTTP2 = 'HTTP2',
  /** gRPC (HTTP/2). */
  GRPC = 'GRPC',
  /** gRPC-Web. */
  GRPC_WEB = 'GRPC-Web',
  /** Opaque TCP: routed by port and address only (VirtualService `tcp` routes). */
  TCP = 'TCP',
  /** TLS: routed by SNI (VirtualService `tls` routes); not terminated unless a Gateway's server TLS mode says so. */
  TLS = 'TLS',
  /** MongoDB wire protocol. */
  MONGO = 'MONGO',
}
