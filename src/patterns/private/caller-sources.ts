import { AuthorizationSource } from '../../resources/security/authorization-source';
import { Principal } from '../../resources/security/principal';
import { ZeroTrustCaller } from '../zero-trust/zero-trust-caller';

/**
 * The `from` sources admitting `callers`: service accounts as principals of `trustDomain`,
 * namespaces, and end users as request principals (one source per kind, OR-ed).
 */
export function callerSources(callers: ZeroTrustCaller[], trustDomain: string): AuthorizationSource[] {
  const principals = callers.filter((c) => c.kind === 'principal').map((c) => Principal.of(c.sourceNamespace, c.serviceAccountName!, trustDomain));
  const namespaces = callers.filter((c) => c.kind === 'namespace').map((c) => c.sourceNamespace);
  const users = callers.filter((c) => c.kind === 'requestPrincipal').map((c) => c._requestPrincipal!);
  const sources: AuthorizationSource[] = [];
  if (principals.length > 0) sources.push(AuthorizationSource.principals(...principals));
  if (namespaces.length > 0) sources.push(AuthorizationSource.namespaces(...namespaces));
  if (users.length > 0) sources.push(AuthorizationSource.requestPrincipals(...users));
  return sources;
}
