/**
 * How Delta types appear to clients: the Delta type as text (`decimal(10,2)`, `array<string>`) and the GraphQL
 * type a typed table field gets. 64-bit integers and decimals map to string-serialized scalars so that values
 * stay exact; maps and variants to JSON.
 */
import type { DataType, StructField } from '../delta/index.ts';

/** Delta type as text, in the protocol's spelling. */
export function deltaTypeText(type: DataType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${deltaTypeText(type.elementType)}>`;
    case 'map':
      return `map<${deltaTypeText(type.keyType)},${deltaTypeText(type.valueType)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${deltaTypeText(f.type)}`).join(',')}>`;
  }
}

/** GraphQL scalar for a primitive or decimal Delta type; undefined for struct/array/map. */
export function graphqlScalarFor(type: DataType): 'String' | 'Int' | 'Float' | 'Boolean' | 'Long' | 'Decimal' | 'Date' | 'DateTime' | 'JSON' | undefined {
  if (type.kind === 'decimal') return 'Decimal';
  if (type.kind === 'map') return 'JSON';
  if (type.kind !== 'primitive') return undefined;
  switch (type.name) {
    case 'string':
    case 'binary':
      return 'String';
    case 'integer':
    case 'short':
    case 'byte':
      return 'Int';
    case 'long':
      return 'Long';
    case 'float':
    case 'double':
      return 'Float';
    case 'boolean':
      return 'Boolean';
    case 'date':
      return 'Date';
    case 'timestamp':
    case 'timestamp_ntz':
      return 'DateTime';
    case 'variant':
      return 'JSON';
  }
}

/** GraphQL type as text for the `schema` field, e.g. `[Long]`, `LogsRow_payload`. */
export function graphqlTypeText(type: DataType, structName: string): string {
  if (type.kind === 'array') return `[${graphqlTypeText(type.elementType, structName)}]`;
  if (type.kind === 'struct') return structName;
  return graphqlScalarFor(type) ?? 'JSON';
}

export interface ColumnInfo {
  name: string;
  deltaType: string;
  graphqlType: string;
  nullable: boolean;
  partition: boolean;
  metadata: Record<string, unknown>;
  fields: ColumnInfo[];
}

/** The `schema` field's column tree. */
export function describeColumns(fields: readonly StructField[], partitionColumns: readonly string[], typePrefix: string): ColumnInfo[] {
  return fields.map((f) => {
    const nested = f.type.kind === 'struct' ? f.type.fields : f.type.kind === 'array' && f.type.elementType.kind === 'struct' ? f.type.elementType.fields : [];
    const structName = `${typePrefix}_${f.name}`;
    return {
      name: f.name,
      deltaType: deltaTypeText(f.type),
      graphqlType: graphqlTypeText(f.type, structName),
      nullable: f.nullable,
      partition: partitionColumns.includes(f.name),
      metadata: f.metadata,
      fields: describeColumns(nested, [], structName),
    };
  });
}
