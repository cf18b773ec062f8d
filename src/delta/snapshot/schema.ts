/**
 * Schema serialization (PROTOCOL.md "Schema Serialization Format"): `metaData.schemaString` is JSON for a struct
 * type whose fields carry a type (a primitive name such as `long` or `decimal(10,2)`, or a nested struct, array
 * or map object), nullability and metadata. Parsed once per snapshot into the StructType model.
 */
import { DeltaError } from '../errors.ts';
import type { DataType, PrimitiveTypeName, StructField, StructType } from './schema-types.ts';

const PRIMITIVES = new Set<string>([
  'string', 'long', 'integer', 'short', 'byte', 'float', 'double', 'boolean', 'binary', 'date', 'timestamp',
  'timestamp_ntz', 'variant',
] satisfies PrimitiveTypeName[]);

const DECIMAL = /^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

/**
 * Parses a schema string into the logical schema.
 * @throws DeltaError CORRUPT_LOG when it is not JSON or not a well-formed struct type; UNSUPPORTED_FEATURE for a
 *   type name this reader does not know (for example `void`, `geometry`).
 */
export function parseSchema(schemaString: string): StructType {
  let raw: unknown;
  try {
    raw = JSON.parse(schemaString);
  } catch (e) {
    throw new DeltaError('CORRUPT_LOG', `metaData.schemaString is not valid JSON: ${(e as Error).message}`);
  }
  const type = parseType(raw, 'schema');
  if (type.kind !== 'struct') throw corrupt('schema', 'the top-level type must be a struct');
  return type;
}

/** Parses one type: a primitive name string or a struct/array/map object. `at` names the position for errors. */
export function parseType(raw: unknown, at: string): DataType {
  if (typeof raw === 'string') return parseTypeName(raw, at);
  if (typeof raw !== 'object' || raw === null) throw corrupt(at, 'a type must be a string or an object');
  const o = raw as Record<string, unknown>;
  switch (o.type) {
    case 'struct': {
      if (!Array.isArray(o.fields)) throw corrupt(at, 'struct without a fields array');
      const names = new Set<string>();
      const fields = o.fields.map((f, i) => parseField(f, `${at}.fields[${i}]`));
      for (const f of fields) {
        if (names.has(f.name)) throw corrupt(at, `duplicate field name ${JSON.stringify(f.name)}`);
        names.add(f.name);
      }
      return { kind: 'struct', fields };
    }
    case 'array':
      return {
        kind: 'array',
        elementType: parseType(o.elementType, `${at}.elementType`),
        containsNull: o.containsNull !== false,
      };
    case 'map':
      return {
        kind: 'map',
        keyType: parseType(o.keyType, `${at}.keyType`),
        valueType: parseType(o.valueType, `${at}.valueType`),
        valueContainsNull: o.valueContainsNull !== false,
      };
    default:
      if (typeof o.type === 'string') return parseTypeName(o.type, at);
      throw corrupt(at, `unknown complex type ${JSON.stringify(o.type)}`);
  }
}

function parseField(raw: unknown, at: string): StructField {
  if (typeof raw !== 'object' || raw === null) throw corrupt(at, 'a struct field must be an object');
  const f = raw as Record<string, unknown>;
  if (typeof f.name !== 'string') throw corrupt(at, 'a struct field needs a string name');
  const where = `field ${JSON.stringify(f.name)}`;
  const metadata = f.metadata;
  if (metadata !== undefined && metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata))) {
    throw corrupt(where, 'metadata must be an object');
  }
  return {
    name: f.name,
    type: parseType(f.type, where),
    nullable: f.nullable !== false,
    metadata: (metadata as Record<string, unknown> | null | undefined) ?? {},
  };
}

function parseTypeName(name: string, at: string): DataType {
  if (PRIMITIVES.has(name)) return { kind: 'primitive', name: name as PrimitiveTypeName };
  if (name === 'decimal') return { kind: 'decimal', precision: 10, scale: 0 };
  const m = DECIMAL.exec(name);
  if (m) {
    const precision = Number(m[1]);
    const scale = Number(m[2]);
    if (precision < 1 || precision > 38 || scale > precision) throw corrupt(at, `invalid ${name}`);
    return { kind: 'decimal', precision, scale };
  }
  throw new DeltaError('UNSUPPORTED_FEATURE', `data type ${JSON.stringify(name)} (at ${at}) is not supported`);
}

function corrupt(at: string, why: string): DeltaError {
  return new DeltaError('CORRUPT_LOG', `invalid schema at ${at}: ${why}`);
}
