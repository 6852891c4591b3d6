import { AuthorizationSource } from '../../resources/security/authorization-source';
import { Principal } from '../../resources/security/principal';
import { ZeroTrustCaller } from '../zero-trust/zero-trust-caller';

/**
 * The `from` sources admitting `callers`: service accounts as principals of `trustDomain`,
 * namespaces, and end users as request principals (one source per kind, OR-ed). A caller that
 * also needs a token (`withToken`) is a source of its own, its identity and token ANDed.
 */
export function callerSources(callers: ZeroTrustCaller[], trustDomain: string): AuthorizationSource[] {
  const plain = callers.filter((c) => c.kind === 'requestPrincipal' || !c.requiresToken);
  const principal = (c: ZeroTrustCaller) => Principal.of(c.sourceNamespace, c.serviceAccountName!, trustDomain);
  const principals = plain.filter((c) => c.kind === 'principal').map(principal);
  const namespaces = plain.filter((c) => c.kind === 'namespace').map((c) => c.sourceNamespace);
  const users = plain.filter((c) => c.kind === 'requestPrincipal').map((c) => c._requestPrincipal!);
  const sources: AuthorizationSource[] = [];
  if (principals.length > 0) sources.push(AuthorizationSource.principals(...principals));
  if (namespaces.length > 0) sources.push(AuthorizationSource.namespaces(...namespaces));
  if (users.length > 0) sources.push(AuthorizationSource.requestPrincipals(...users));
  for (const c of callers.filter((x) => x.kind !== 'requestPrincipal' && x.requiresToken)) {
    sources.push(AuthorizationSource.of(c.kind === 'principal'
      ? { principals: [principal(c)], requestPrincipals: [c._requestPrincipal!] }
      : { namespaces: [c.sourceNamespace], requestPrincipals: [c._requestPrincipal!] }));
  }
  return sources;
}
