/**
 * Schema serialization for writers (PROTOCOL.md "Schema Serialization Format"): a StructType becomes the JSON
 * string stored in `metaData.schemaString`, and each Delta type maps to the DuckDB type whose parquet encoding
 * the protocol expects ("Delta Data Type to Parquet Type Mappings"; timestamp is isAdjustedToUTC=true).
 */
import { DeltaError } from '../errors.ts';
import type { DataType, StructField, StructType } from '../schema-types.ts';

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

/** Quotes an identifier for DuckDB SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for DuckDB SQL. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const DUCKDB_PRIMITIVES: Record<string, string> = {
  string: 'VARCHAR',
  long: 'BIGINT',
  integer: 'INTEGER',
  short: 'SMALLINT',
  byte: 'TINYINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  binary: 'BLOB',
  date: 'DATE',
  timestamp: 'TIMESTAMPTZ',
};

/**
 * The DuckDB type that writes `type` to parquet as the protocol requires.
 * @throws DeltaError UNSUPPORTED_FEATURE for timestamp_ntz and variant (they need table features we do not write)
 */
export function toDuckDbType(type: DataType): string {
  switch (type.kind) {
    case 'primitive': {
      const t = DUCKDB_PRIMITIVES[type.name];
      if (!t) throw new DeltaError('UNSUPPORTED_FEATURE', `the writer does not support the ${type.name} type`);
      return t;
    }
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `${quoteIdent(f.name)} ${toDuckDbType(f.type)}`).join(', ')})`;
    case 'array':
      return `${toDuckDbType(type.elementType)}[]`;
    case 'map':
      return `MAP(${toDuckDbType(type.keyType)}, ${toDuckDbType(type.valueType)})`;
  }
}

/** Shorthand for building schemas in code: a nullable field with empty metadata unless told. */
export function field(name: string, type: DataType | StructField['type'], nullable = true): StructField {
  return { name, type, nullable, metadata: {} };
}

/** Shorthand for a primitive type. */
export function primitive(name: Extract<DataType, { kind: 'primitive' }>['name']): DataType {
  return { kind: 'primitive', name };
}
