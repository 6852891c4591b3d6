import { isIP as netIsIp } from 'node:net';
import type { CelFunc } from '@bufbuild/cel';
import { celExtModule, celModule } from './cel-module';

/**
 * The Kubernetes CEL extension functions the Istio and Gateway API CRDs use, on top of the CEL
 * standard library and the strings extension. A URL is represented as its string form; the
 * accessor methods re-parse it, which keeps the values plain.
 */

/** Go's `url.ParseRequestURI` rules, as Kubernetes' `isURL`/`url` apply them. */
export function parseRequestUri(text: string): URL | undefined {
  if (text.length === 0 || /[\u0000-\u0020\u007f]/.test(text)) return undefined;
  if (/%(?![0-9a-fA-F]{2})/.test(text)) return undefined;
  if (text.startsWith('/')) {
    try {
      return new URL(`path-only:${text}`);
    } catch {
      return undefined;
    }
  }
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text)) return undefined;
  try {
    const url = new URL(text);
    // Go rejects a non-numeric port, which WHATWG would also reject; nothing more to check.
    return url;
  } catch {
    return undefined;
  }
}

function schemeOf(text: string): string {
  const url = parseRequestUri(text);
  if (!url || url.protocol === 'path-only:') return '';
  return url.protocol.slice(0, -1);
}

function requireUrl(text: string): string {
  if (!parseRequestUri(text)) throw new Error(`URL parse error during conversion from string: ${text}`);
  return text;
}

/** `isIP` as Kubernetes defines it: IPv4 or IPv6, no zone, no IPv4 octets with leading zeros. */
export function isKubernetesIp(text: string): boolean {
  if (text.includes('%')) return false;
  const family = netIsIp(text);
  if (family === 4) return !text.split('.').some((octet) => octet.length > 1 && octet.startsWith('0'));
  return family === 6;
}

/** Every function the gate adds to CEL's standard library (built on first use, with the CEL module). */
export function kubernetesCelFunctions(): readonly CelFunc[] {
  const { celFunc, celMethod, CelScalar } = celModule();
  const S = CelScalar.STRING;
  return [
    ...celExtModule().strings,
    celFunc('isURL', [S], CelScalar.BOOL, (s) => parseRequestUri(s) !== undefined),
    celFunc('url', [S], S, (s) => requireUrl(s)),
    celMethod('getScheme', S, [], S, function () {
      return schemeOf(this);
    }),
    celMethod('getHost', S, [], S, function () {
      const url = parseRequestUri(this);
      return url && url.protocol !== 'path-only:' ? url.host : '';
    }),
    celMethod('getHostname', S, [], S, function () {
      const url = parseRequestUri(this);
      return url && url.protocol !== 'path-only:' ? url.hostname.replace(/^\[|\]$/g, '') : '';
    }),
    celMethod('getEscapedPath', S, [], S, function () {
      const url = parseRequestUri(this);
      return url ? url.pathname : '';
    }),
    celFunc('isIP', [S], CelScalar.BOOL, (s) => isKubernetesIp(s)),
  ];
}
