/**
 * Schema evolution on write (PROTOCOL.md "Change Metadata"): a batch's schema must match the table's, except
 * that with `mergeSchema` new top-level nullable columns are appended, which the commit records as a new
 * metaData action. Column names are unique regardless of case, as the schema format requires.
 */
import { DeltaError } from '../../errors.ts';
import type { DataType, StructType } from '../../snapshot/schema-types.ts';

function sameType(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'primitive':
      return a.name === (b as typeof a).name;
    case 'decimal':
      return a.precision === (b as typeof a).precision && a.scale === (b as typeof a).scale;
    case 'array':
      return sameType(a.elementType, (b as typeof a).elementType);
    case 'map':
      return sameType(a.keyType, (b as typeof a).keyType) && sameType(a.valueType, (b as typeof a).valueType);
    case 'struct': {
      const bs = b as typeof a;
      return a.fields.length === bs.fields.length && a.fields.every((f, i) => f.name === bs.fields[i]!.name && sameType(f.type, bs.fields[i]!.type));
    }
  }
}

/**
 * Checks that column names are unique ignoring case.
 * @throws DeltaError SCHEMA_MISMATCH naming the duplicate
 */
export function ensureUniqueColumns(schema: StructType): void {
  const seen = new Set<string>();
  for (const f of schema.fields) {
    const key = f.name.toLowerCase();
    if (seen.has(key)) throw new DeltaError('SCHEMA_MISMATCH', `column "${f.name}" appears twice (names are case-insensitive)`);
    seen.add(key);
  }
}

/** The result of reconciling a batch schema with the table schema. */
export interface SchemaReconciliation {
  /** The schema rows are validated against and the table has after the commit. */
  schema: StructType;
  /** True when the table schema grows (the commit carries a metaData action). */
  changed: boolean;
}

/**
 * Reconciles the schema of incoming data with the table's.
 * Columns of the table missing from the batch read as null (and are checked for nullability per row).
 * @throws DeltaError SCHEMA_MISMATCH for a type change, for a new column without `mergeSchema`, or for a new
 * non-nullable column
 */
export function reconcileSchema(table: StructType, incoming: StructType | undefined, mergeSchema: boolean): SchemaReconciliation {
  if (!incoming) return { schema: table, changed: false };
  ensureUniqueColumns(incoming);
  const byName = new Map(table.fields.map((f) => [f.name.toLowerCase(), f]));
  const added = [];
  for (const f of incoming.fields) {
    const existing = byName.get(f.name.toLowerCase());
    if (existing) {
      if (existing.name !== f.name || !sameType(existing.type, f.type)) {
        throw new DeltaError('SCHEMA_MISMATCH', `column "${f.name}" does not match the table column "${existing.name}" (type or case differs)`);
      }
      continue;
    }
    if (!mergeSchema) throw new DeltaError('SCHEMA_MISMATCH', `column "${f.name}" is not in the table schema (set mergeSchema to add it)`);
    if (!f.nullable) throw new DeltaError('SCHEMA_MISMATCH', `new column "${f.name}" must be nullable: existing rows have no value for it`);
    added.push(f);
  }
  if (added.length === 0) return { schema: table, changed: false };
  return { schema: { kind: 'struct', fields: [...table.fields, ...added] }, changed: true };
}
