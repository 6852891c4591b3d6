import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProtoRegistry } from '../../projenrc/import/proto-schema';

const PROTO = `
syntax = "proto3";
// A comment with { braces } and "quotes".
package demo.v1;
import "google/protobuf/wrappers.proto";
option go_package = "x";

message Config {
  /* block comment */
  string access_log_file = 1;
  google.protobuf.BoolValue enabled = 2 [deprecated = true];
  repeated Provider providers = 3;
  map<string, string> labels = 4;
  Mode mode = 5;
  Gateways gateways = 6;
  Config parent = 7;
  int64 big = 8;
  google.protobuf.Duration drain = 9;
  oneof choice {
    string text = 10;
    Nested nested = 11;
  }
  message Nested { double ratio = 1; }
  enum Mode { MODE_UNSPECIFIED = 0; STRICT = 1 [deprecated = true]; reserved 2; }
  reserved 20 to 30;
}
message Provider { string name = 1; }
message Gateways { Provider istio_ingressgateway = 1 [json_name = "istio-ingressgateway"]; }
`;

describe('proto to JSON schema', () => {
  const registry = new ProtoRegistry();
  registry.addFile(PROTO);
  const schema: any = registry.schemaOf('demo.v1.Config');

  test('fields are named as protojson reads them: lowerCamelCase and the proto name, or the json_name', () => {
    expect(Object.keys(schema.properties)).toEqual([
      'accessLogFile', 'access_log_file', 'enabled', 'providers', 'labels', 'mode', 'gateways', 'parent', 'big', 'drain', 'text', 'nested',
    ]);
    expect(Object.keys(schema.properties.gateways.properties)).toEqual(['istio-ingressgateway', 'istio_ingressgateway']);
  });

  test('types: scalars, wrappers, repeated, maps, enums, 64-bit integers, durations, nested and oneof members', () => {
    const p = schema.properties;
    expect(p.accessLogFile).toEqual({ type: 'string' });
    expect(p.enabled).toEqual({ type: 'boolean' });
    expect(p.providers).toEqual({ type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } });
    expect(p.labels).toEqual({ type: 'object', additionalProperties: { type: 'string' } });
    expect(p.mode).toEqual({ anyOf: [{ type: 'string', enum: ['MODE_UNSPECIFIED', 'STRICT'] }, { type: 'integer' }] });
    expect(p.big).toEqual({ 'x-kubernetes-int-or-string': true });
    expect(p.drain.type).toBe('string');
    expect(new RegExp(p.drain.pattern).test('1m30s')).toBe(true);
    expect(new RegExp(p.drain.pattern).test('30 seconds')).toBe(false);
    expect(p.nested).toEqual({ type: 'object', properties: { ratio: { type: 'number' } } });
  });

  test('a recursive message is left open below its first level', () => {
    expect(schema.properties.parent).toEqual({ 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });

  test('an unresolvable type is an error, not a silent hole', () => {
    const r = new ProtoRegistry();
    r.addFile('syntax = "proto3"; package p; message A { Missing m = 1; }');
    expect(() => r.schemaOf('p.A')).toThrow(/cannot resolve type 'Missing'/);
  });

  test('the committed schemas cover MeshConfig and Values of Istio 1.30.3', () => {
    const file = path.join(__dirname, '..', '..', 'imports', 'schemas', 'istio-operator-schemas.json');
    const bundle = JSON.parse(fs.readFileSync(file, 'utf-8'));
    expect(bundle.sources).toContain('istio-api@1.30.3:mesh/v1alpha1/config.proto');
    expect(Object.keys(bundle.meshConfig.properties)).toEqual(expect.arrayContaining(['accessLogFile', 'defaultConfig', 'extensionProviders', 'outboundTrafficPolicy', 'trustDomain']));
    expect(Object.keys(bundle.values.properties.global.properties)).toEqual(expect.arrayContaining(['meshID', 'multiCluster', 'network', 'proxy', 'remotePilotAddress', 'externalIstiod']));
    expect(Object.keys(bundle.values.properties.gateways.properties)).toEqual(expect.arrayContaining(['istio-ingressgateway', 'istio-egressgateway']));
  });
});
