/**
 * Turns protobuf definitions (the `.proto` files of Istio's MeshConfig and operator Values) into
 * structural schemas of their JSON form, for the conformance gate's IstioOperator check: field
 * names (JSON name and proto name, as protojson accepts both), scalar types, enums, maps,
 * repeated fields and well-known types. Pure functions over the proto text, tested in
 * test/import/proto-schema.test.ts.
 */
import { SchemaNode } from '../../src/private/schema/schema-node';

/** A field of a message. */
interface ProtoField {
  readonly name: string;
  readonly jsonName: string;
  readonly type: string;
  readonly repeated: boolean;
  readonly mapKey?: string;
}

/** A message or enum, by fully qualified name. */
type ProtoType = { kind: 'message'; fields: ProtoField[] } | { kind: 'enum'; values: string[] };

/** Every message and enum of a set of proto files, by fully qualified name (`istio.mesh.v1alpha1.MeshConfig`). */
export class ProtoRegistry {
  private readonly types = new Map<string, ProtoType>();

  /** Adds the definitions of one file. */
  public addFile(text: string): void {
    const tokens = tokenize(text);
    let pos = 0;
    let pkg = '';
    const next = () => tokens[pos++];
    const peek = () => tokens[pos];
    const expect = (t: string) => {
      const got = next();
      if (got !== t) throw new Error(`proto: expected '${t}', got '${got}' (token ${pos})`);
    };
    const skipStatement = () => {
      let depth = 0;
      for (;;) {
        const t = next();
        if (t === undefined) return;
        if (t === '{') depth++;
        if (t === '}') depth--;
        if (t === ';' && depth === 0) return;
        if (t === '}' && depth === 0) return;
      }
    };
    const skipOptions = (): { jsonName?: string } => {
      const out: { jsonName?: string } = {};
      if (peek() !== '[') return out;
      next();
      let depth = 1;
      while (depth > 0) {
        const t = next();
        if (t === '[') {depth++;} else if (t === ']') {depth--;} else if (t === 'json_name' && peek() === '=') {
          next();
          out.jsonName = unquote(next());
        }
      }
      return out;
    };
    const parseEnum = (scope: string) => {
      const name = next();
      expect('{');
      const values: string[] = [];
      while (peek() !== '}') {
        const t = next();
        if (t === 'option' || t === 'reserved') {
          skipStatement();
          continue;
        }
        expect('=');
        next();
        skipOptions();
        expect(';');
        values.push(t);
      }
      expect('}');
      this.types.set(`${scope}.${name}`, { kind: 'enum', values });
    };
    const parseField = (first: string, fields: ProtoField[]) => {
      let repeated = false;
      let type = first;
      let mapKey: string | undefined;
      if (type === 'repeated' || type === 'optional') {
        repeated = type === 'repeated';
        type = next();
      }
      if (type === 'map') {
        expect('<');
        mapKey = next();
        expect(',');
        type = next();
        expect('>');
      }
      const name = next();
      expect('=');
      next();
      const { jsonName } = skipOptions();
      expect(';');
      fields.push({ name, jsonName: jsonName ?? lowerCamel(name), type, repeated, mapKey });
    };
    const parseMessage = (scope: string) => {
      const name = next();
      const full = `${scope}.${name}`;
      const fields: ProtoField[] = [];
      // Register early so nested types resolve against this scope.
      this.types.set(full, { kind: 'message', fields });
      expect('{');
      while (peek() !== '}') {
        const t = next();
        if (t === 'message') {parseMessage(full);} else if (t === 'enum') {parseEnum(full);} else if (t === 'option' || t === 'reserved' || t === 'extensions') {skipStatement();} else if (t === 'oneof') {
          next();
          expect('{');
          while (peek() !== '}') {
            const f = next();
            if (f === 'option') skipStatement();
            else parseField(f, fields);
          }
          expect('}');
        } else if (t === ';') {continue;} else {parseField(t, fields);}
      }
      expect('}');
    };
    while (pos < tokens.length) {
      const t = next();
      if (t === 'package') {
        pkg = next();
        expect(';');
      } else if (t === 'message') {parseMessage(pkg);} else if (t === 'enum') {parseEnum(pkg);} else if (t === 'service') {skipStatement();} else if (t === 'syntax' || t === 'import' || t === 'option') {skipStatement();} else if (t === ';') {continue;} else {throw new Error(`proto: unexpected '${t}' at top level`);}
    }
  }

  /** The JSON schema of a message (by fully qualified name). */
  public schemaOf(message: string): SchemaNode {
    return this.messageSchema(message, []);
  }

  private resolve(type: string, from: string): string {
    if (type.startsWith('.')) return type.slice(1);
    // Protobuf scoping: innermost scope first, then outwards.
    let scope = from;
    for (;;) {
      const candidate = scope ? `${scope}.${type}` : type;
      if (this.types.has(candidate) || WELL_KNOWN[candidate] !== undefined) return candidate;
      if (!scope) break;
      scope = scope.includes('.') ? scope.slice(0, scope.lastIndexOf('.')) : '';
    }
    if (WELL_KNOWN[type] !== undefined) return type;
    throw new Error(`proto: cannot resolve type '${type}' from '${from}'`);
  }

  private messageSchema(full: string, stack: string[]): SchemaNode {
    const known = WELL_KNOWN[full];
    if (known) return known;
    const type = this.types.get(full);
    if (!type) throw new Error(`proto: unknown type '${full}'`);
    if (type.kind === 'enum') return { anyOf: [{ type: 'string', enum: type.values }, { type: 'integer' }] } as SchemaNode;
    if (stack.includes(full)) return { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const properties: { [name: string]: SchemaNode } = {};
    for (const field of type.fields) {
      const value = this.fieldSchema(field, full, [...stack, full]);
      properties[field.jsonName] = value;
      if (field.name !== field.jsonName) properties[field.name] = value;
    }
    return { type: 'object', properties };
  }

  private fieldSchema(field: ProtoField, owner: string, stack: string[]): SchemaNode {
    const scalar = SCALARS[field.type];
    const element = scalar ?? this.messageSchema(this.resolve(field.type, owner), stack);
    if (field.mapKey) return { type: 'object', additionalProperties: element };
    if (field.repeated) return { type: 'array', items: element };
    return element;
  }
}

const INT: SchemaNode = { type: 'integer' };
const INT64: SchemaNode = { 'x-kubernetes-int-or-string': true };
const NUMBER: SchemaNode = { type: 'number' };
/** Go duration syntax (istioctl reads durations with `time.ParseDuration`): `30s`, `1.5s`, `500ms`, `1m30s`. */
const DURATION: SchemaNode = { type: 'string', pattern: '^-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|ms|s|m|h)(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|ms|s|m|h))*$' };
const ANY_VALUE: SchemaNode = { 'x-kubernetes-preserve-unknown-fields': true };

const SCALARS: { [type: string]: SchemaNode } = {
  string: { type: 'string' },
  bytes: { type: 'string' },
  bool: { type: 'boolean' },
  int32: INT,
  uint32: INT,
  sint32: INT,
  fixed32: INT,
  sfixed32: INT,
  int64: INT64,
  uint64: INT64,
  sint64: INT64,
  fixed64: INT64,
  sfixed64: INT64,
  float: NUMBER,
  double: NUMBER,
};

const WELL_KNOWN: { [type: string]: SchemaNode } = {
  'google.protobuf.BoolValue': { type: 'boolean' },
  'google.protobuf.StringValue': { type: 'string' },
  'google.protobuf.Int32Value': INT,
  'google.protobuf.UInt32Value': INT,
  'google.protobuf.Int64Value': INT64,
  'google.protobuf.UInt64Value': INT64,
  'google.protobuf.DoubleValue': NUMBER,
  'google.protobuf.FloatValue': NUMBER,
  'google.protobuf.Duration': DURATION,
  'google.protobuf.Struct': { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
  'google.protobuf.Value': ANY_VALUE,
  'google.protobuf.Any': { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
  'google.protobuf.Empty': { type: 'object', properties: {} },
  // The operator's own IntOrString message decodes a JSON number or string (value_types_json.go).
  'istio.operator.v1alpha1.IntOrString': { 'x-kubernetes-int-or-string': true },
};

function lowerCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function unquote(token: string): string {
  return token.replace(/^["']|["']$/g, '');
}

/** Proto tokens: identifiers (dotted), numbers, strings and punctuation; comments dropped. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_.][A-Za-z0-9_.]*)|(-?[0-9][0-9a-fA-Fx.]*)|([{}[\]<>=;,():])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const token = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (token !== undefined) tokens.push(token);
  }
  return tokens;
}
