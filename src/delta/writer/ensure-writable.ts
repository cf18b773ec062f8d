/**
 * Writer protocol checks (PROTOCOL.md "Writer Version Requirements", "Append-only Tables", "Column Invariants",
 * "Column Mapping"): this writer implements writer version 2 without invariants, and no column mapping, so it
 * refuses tables that need more rather than writing them wrongly. It honours `delta.appendOnly`.
 */
import { DeltaError } from '../errors.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import type { StructType } from '../snapshot/schema-types.ts';

function hasInvariants(schema: StructType): boolean {
  return schema.fields.some((f) => 'delta.invariants' in f.metadata || (f.type.kind === 'struct' && hasInvariants(f.type)));
}

/**
 * Ensures this writer may commit to the table.
 * @param removesData true for commits that remove data (overwrite, restore), refused on append-only tables
 * @throws DeltaError UNSUPPORTED_FEATURE for writer versions above 2, column mapping or invariants;
 * INVALID_ARGUMENT for removing data from an append-only table
 */
export function ensureWritable(snapshot: Snapshot, removesData: boolean): void {
  const { protocol, metadata } = snapshot;
  if (protocol.minWriterVersion > 2) {
    throw new DeltaError('UNSUPPORTED_FEATURE', `the table needs writer version ${protocol.minWriterVersion}; this writer implements version 2`);
  }
  const mapping = metadata.configuration['delta.columnMapping.mode'];
  if (mapping && mapping !== 'none') throw new DeltaError('UNSUPPORTED_FEATURE', `the writer does not support column mapping (mode ${mapping})`);
  if (hasInvariants(snapshot.schema)) throw new DeltaError('UNSUPPORTED_FEATURE', 'the writer does not enforce column invariants');
  if (removesData && metadata.configuration['delta.appendOnly'] === 'true') {
    throw new DeltaError('INVALID_ARGUMENT', 'the table is append-only (delta.appendOnly=true): data cannot be removed');
  }
}
