import { isIP } from 'node:net';
import { IConstruct } from 'constructs';
import { hostProblem } from '../../../../private/hosts';
import { checkDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue } from '../../../../private/k8s-names';
import { checkRange, invalid } from '../../../../private/validate';
import { ServiceEntryEndpoint } from '../service-entry-endpoint';

/** How an endpoint address may be written where it is used. */
export interface EndpointRules {
  /** Whether a DNS name is allowed (ServiceEntry DNS resolution, WorkloadEntry). */
  readonly allowHostname: boolean;
}

/** Checks an endpoint as Istio's webhook does (`validateWorkloadEntry`) and returns its wire form. */
export function renderEndpoint(where: IConstruct, field: string, endpoint: ServiceEntryEndpoint, rules: EndpointRules): any {
  const address = endpoint.address;
  if (address === undefined || address === '') {
    if (!endpoint.network) invalid(where, `${field} address`, address, 'an address (IP, DNS name or unix:// path), unless the endpoint has a network');
  } else if (address.startsWith('unix://')) {
    if (address.length <= 'unix://'.length || !address.slice(7).startsWith('/')) invalid(where, `${field} address`, address, 'unix://<absolute path>');
    if (endpoint.ports && Object.keys(endpoint.ports).length > 0) invalid(where, `${field} ports`, endpoint.ports, 'no ports on a unix:// endpoint');
  } else if (isIP(address) === 0) {
    if (!rules.allowHostname) invalid(where, `${field} address`, address, 'an IP address (or unix:// path): STATIC resolution does not resolve names');
    const problem = hostProblem(address, { allowWildcard: false });
    if (problem) invalid(where, `${field} address`, address, `an IP address or a DNS name: ${problem}`);
  }
  for (const [name, port] of Object.entries(endpoint.ports ?? {})) {
    checkDnsLabel(where, `${field} ports`, name, 'port names as RFC 1123 labels');
    checkRange(where, `${field} ports "${name}"`, port, 1, 65535, true);
  }
  for (const [key, value] of Object.entries(endpoint.labels ?? {})) {
    if (!isLabelKey(key)) invalid(where, `${field} labels`, key, 'label keys: [prefix/]name');
    if (!isLabelValue(value)) invalid(where, `${field} labels "${key}"`, value, 'label values: at most 63 letters, digits, \'-\', \'_\' or \'.\'');
  }
  if (endpoint.weight !== undefined) checkRange(where, `${field} weight`, endpoint.weight, 0, 4294967295, true);
  if (endpoint.serviceAccount !== undefined && !isDnsSubdomain(endpoint.serviceAccount)) {
    invalid(where, `${field} serviceAccount`, endpoint.serviceAccount, 'a service account name');
  }
  if (endpoint.locality !== undefined && (endpoint.locality.length === 0 || endpoint.locality.split('/').length > 3)) {
    invalid(where, `${field} locality`, endpoint.locality, 'region[/zone[/subzone]]');
  }
  return {
    address: endpoint.address,
    ports: endpoint.ports ? { ...endpoint.ports } : undefined,
    labels: endpoint.labels ? { ...endpoint.labels } : undefined,
    network: endpoint.network,
    locality: endpoint.locality,
    weight: endpoint.weight,
    serviceAccount: endpoint.serviceAccount,
  };
}
