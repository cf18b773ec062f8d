/**
 * The Delta schema model (PROTOCOL.md "Schema Serialization Format"): primitive types, decimal(p,s),
 * struct, array and map, with nullability and field metadata (column mapping ids and physical names live there).
 */

export type PrimitiveTypeName =
  | 'string'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'float'
  | 'double'
  | 'boolean'
  | 'binary'
  | 'date'
  | 'timestamp'
  | 'timestamp_ntz'
  | 'variant';

export interface PrimitiveType {
  kind: 'primitive';
  name: PrimitiveTypeName;
}

export interface DecimalType {
  kind: 'decimal';
  precision: number;
  scale: number;
}

export interface StructField {
  name: string;
  type: DataType;
  nullable: boolean;
  metadata: Record<string, unknown>;
}

export interface StructType {
  kind: 'struct';
  fields: StructField[];
}

export interface ArrayType {
  kind: 'array';
  elementType: DataType;
  containsNull: boolean;
}

export interface MapType {
  kind: 'map';
  keyType: DataType;
  valueType: DataType;
  valueContainsNull: boolean;
}

export type DataType = PrimitiveType | DecimalType | StructType | ArrayType | MapType;
