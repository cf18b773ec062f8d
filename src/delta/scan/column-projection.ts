/**
 * Column mapping and physical-to-logical projection (PROTOCOL.md "Column Mapping", "Variant Data Type"): data
 * files name columns by physical name (mode `name`), by parquet field id (mode `id`, resolved to the file's
 * names) or by display name (mode `none`). This builds the DuckDB expression that turns a physical column into
 * its logical value: nested struct fields renamed with struct_pack, lists and maps remapped element-wise, and
 * variants (a {metadata, value} binary pair in parquet) decoded to JSON text.
 */
import { DeltaError } from '../errors.ts';
import type { Metadata } from '../log/actions.ts';
import { physicalName } from '../values/partition-values.ts';
import type { DataType, StructField, StructType } from '../snapshot/schema-types.ts';
import { quoteIdent } from './sql-text.ts';

export type ColumnMappingMode = 'none' | 'name' | 'id';

/** How a schema field is found in the data files. */
export interface PhysicalNaming {
  readonly mode: ColumnMappingMode;
  /** The field's name in the data files. */
  nameOf(field: StructField): string;
  /**
   * How DuckDB reads the files' variants: `binary` as STRUCT(value BLOB, metadata BLOB) (decoded here), `native`
   * as DuckDB VARIANT (when the file's metadata marks the column as a variant). Default binary.
   */
  readonly variants?: 'binary' | 'native';
}

/**
 * The table's column mapping mode.
 * @throws DeltaError UNSUPPORTED_FEATURE for a mode other than none, name or id
 */
export function columnMappingModeOf(metadata: Metadata): ColumnMappingMode {
  const mode = metadata.configuration?.['delta.columnMapping.mode'] ?? 'none';
  if (mode === 'none' || mode === 'name' || mode === 'id') return mode;
  throw new DeltaError('UNSUPPORTED_FEATURE', `column mapping mode ${JSON.stringify(mode)} is not supported`);
}

/** The field's `delta.columnMapping.id`, if any. */
export function fieldIdOf(field: StructField): number | undefined {
  const id = field.metadata?.['delta.columnMapping.id'];
  return typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : undefined;
}

/**
 * Naming for mode none/name (physical names from the schema), or for mode id from the files' field ids
 * (`idNames`: field id → name in the files, as one name every file agrees on).
 */
export function physicalNaming(mode: ColumnMappingMode, idNames?: ReadonlyMap<number, string>, variants?: 'binary' | 'native'): PhysicalNaming {
  if (mode === 'none') return { mode, variants, nameOf: (f) => f.name };
  if (mode === 'name' || !idNames) return { mode, variants, nameOf: physicalName };
  return {
    mode,
    variants,
    nameOf: (f) => {
      const id = fieldIdOf(f);
      return (id !== undefined ? idNames.get(id) : undefined) ?? physicalName(f);
    },
  };
}

/** True when the type is or holds a variant. */
export function hasVariant(type: DataType): boolean {
  switch (type.kind) {
    case 'primitive': return type.name === 'variant';
    case 'decimal': return false;
    case 'array': return hasVariant(type.elementType);
    case 'map': return hasVariant(type.keyType) || hasVariant(type.valueType);
    case 'struct': return type.fields.some((f) => hasVariant(f.type));
  }
}

function needsRemap(type: DataType, naming: PhysicalNaming): boolean {
  switch (type.kind) {
    case 'primitive':
      return type.name === 'variant';
    case 'decimal':
      return false;
    case 'array':
      return needsRemap(type.elementType, naming);
    case 'map':
      return needsRemap(type.keyType, naming) || needsRemap(type.valueType, naming);
    case 'struct':
      return type.fields.some((f) => naming.nameOf(f) !== f.name || needsRemap(f.type, naming));
  }
}

function structExpr(source: string, type: StructType, naming: PhysicalNaming, depth: number): string {
  const parts = type.fields.map((f) => `${quoteIdent(f.name)} := ${logicalExpr(`${source}.${quoteIdent(naming.nameOf(f))}`, f.type, naming, depth)}`);
  return `CASE WHEN ${source} IS NULL THEN NULL ELSE struct_pack(${parts.join(', ')}) END`;
}

/**
 * The logical value of `source` (a SQL expression over the physical column) for a Delta type: `source` itself
 * when nothing needs renaming or decoding. Lambda variables are named by nesting depth, so the text is stable.
 */
export function logicalExpr(source: string, type: DataType, naming: PhysicalNaming, depth = 0): string {
  if (!needsRemap(type, naming)) return source;
  switch (type.kind) {
    case 'primitive':
      // Variant: parquet holds {metadata, value}; DuckDB decodes the concatenated binary encoding.
      if (naming.variants === 'native') return `CAST(${source} AS JSON)`;
      return `CAST(variant_bytes_to_variant(${source}.metadata || ${source}."value") AS JSON)`;
    case 'struct':
      return structExpr(source, type, naming, depth);
    case 'array': {
      const x = `__e${depth}`;
      return `list_transform(${source}, lambda ${x}: ${logicalExpr(x, type.elementType, naming, depth + 1)})`;
    }
    case 'map': {
      const x = `__m${depth}`;
      const key = logicalExpr(`${x}."key"`, type.keyType, naming, depth + 1);
      const value = logicalExpr(`${x}."value"`, type.valueType, naming, depth + 1);
      return `map_from_entries(list_transform(map_entries(${source}), lambda ${x}: struct_pack("key" := ${key}, "value" := ${value})))`;
    }
    default:
      return source;
  }
}
