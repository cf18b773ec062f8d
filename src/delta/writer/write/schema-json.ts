/**
 * Schema serialization for writers (PROTOCOL.md "Schema Serialization Format"): a StructType becomes the JSON
 * string stored in `metaData.schemaString`, and each Delta type maps to the DuckDB type whose parquet encoding
 * the protocol expects ("Delta Data Type to Parquet Type Mappings"; timestamp is isAdjustedToUTC=true).
 */
import { DeltaError } from '../../errors.ts';
import { duckDbType } from '../../scan/sql-text.ts';
import type { DataType, StructField, StructType } from '../../snapshot/schema-types.ts';

function typeJson(type: DataType): unknown {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'struct':
      return structJson(type);
    case 'array':
      return { type: 'array', elementType: typeJson(type.elementType), containsNull: type.containsNull };
    case 'map':
      return {
        type: 'map',
        keyType: typeJson(type.keyType),
        valueType: typeJson(type.valueType),
        valueContainsNull: type.valueContainsNull,
      };
  }
}

function structJson(struct: StructType): unknown {
  return {
    type: 'struct',
    fields: struct.fields.map((f) => ({ name: f.name, type: typeJson(f.type), nullable: f.nullable, metadata: f.metadata })),
  };
}

/** Serializes a schema to the protocol's JSON form (the inverse of parseSchema in schema.ts). */
export function serializeSchema(schema: StructType): string {
  return JSON.stringify(structJson(schema));
}

// Quoting lives in sql-text.ts; re-exported here for the writer modules that import it from this file.
export { quoteIdent, quoteString as quoteLiteral } from '../../scan/sql-text.ts';

/** Primitive types the writer refuses: they need table features we do not write. */
const NOT_WRITTEN = new Set<string>(['timestamp_ntz', 'variant']);

function ensureWritableType(type: DataType): void {
  switch (type.kind) {
    case 'primitive':
      if (NOT_WRITTEN.has(type.name)) throw new DeltaError('UNSUPPORTED_FEATURE', `the writer does not support the ${type.name} type`);
      return;
    case 'decimal':
      return;
    case 'struct':
      for (const f of type.fields) ensureWritableType(f.type);
      return;
    case 'array':
      return ensureWritableType(type.elementType);
    case 'map':
      ensureWritableType(type.keyType);
      return ensureWritableType(type.valueType);
  }
}

/**
 * The DuckDB type that writes `type` to parquet as the protocol requires (sql-text.ts duckDbType, whose
 * timestamp is TIMESTAMPTZ, i.e. isAdjustedToUTC=true).
 * @throws DeltaError UNSUPPORTED_FEATURE for timestamp_ntz and variant (they need table features we do not write)
 */
export function toDuckDbType(type: DataType): string {
  ensureWritableType(type);
  return duckDbType(type);
}

/** Shorthand for building schemas in code: a nullable field with empty metadata unless told. */
export function field(name: string, type: DataType | StructField['type'], nullable = true): StructField {
  return { name, type, nullable, metadata: {} };
}

/** Shorthand for a primitive type. */
export function primitive(name: Extract<DataType, { kind: 'primitive' }>['name']): DataType {
  return { kind: 'primitive', name };
}
