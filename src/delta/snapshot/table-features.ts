/**
 * Protocol versions and table features (PROTOCOL.md "Table Features", "Reader Version Requirements"): a reader
 * must implement every feature in `readerFeatures` (reader version 3), and column mapping at reader version 2.
 * Known reader features are a data table the compiler checks for completeness; anything else is refused.
 */
import type { Add, Metadata, Protocol } from '../log/actions.ts';
import { DeltaError } from '../errors.ts';

/** The highest reader version this reader understands. */
export const MAX_READER_VERSION = 3;

/**
 * How we read a table that lists a feature:
 * - `supported`: read correctly whatever the table holds;
 * - `whenInactive`: read correctly only while the feature is not in use (see isFeatureActive), else refused;
 * - `unsupported`: refused as soon as the table lists it.
 */
export type ReadSupport = 'supported' | 'whenInactive' | 'unsupported';

export type KnownReaderFeature =
  | 'columnMapping'
  | 'deletionVectors'
  | 'timestampNtz'
  | 'v2Checkpoint'
  | 'vacuumProtocolCheck'
  | 'typeWidening'
  | 'typeWidening-preview'
  | 'variantType'
  | 'variantType-preview'
  | 'variantShredding-preview';

/** Reader features we know, and how far we read them today. */
export const READER_FEATURES = {
  // Modes none, name and id: physical names / field ids projected to logical names (column-projection.ts).
  columnMapping: 'supported',
  // Deleted rows removed by an anti-join on file_row_number (deletion-vector.ts, scan-source-sql.ts).
  deletionVectors: 'supported',
  timestampNtz: 'supported',
  v2Checkpoint: 'supported',
  // Restricts VACUUM only; no effect on reads.
  vacuumProtocolCheck: 'supported',
  // Older files hold narrower types; every column is cast to its current Delta type on read.
  typeWidening: 'supported',
  'typeWidening-preview': 'supported',
  // Unshredded variants ({metadata, value} binaries) are decoded to JSON text.
  variantType: 'supported',
  'variantType-preview': 'supported',
  // Shredded variants: DuckDB re-assembles files that carry the parquet variant annotation; unannotated
  // shredded files are refused at scan time (sources/duckdb/scan-context.ts).
  'variantShredding-preview': 'supported',
} as const satisfies Record<KnownReaderFeature, ReadSupport>;

/** The reader features a protocol requires (column mapping is implied by reader version 2). */
export function requiredReaderFeatures(protocol: Protocol): string[] {
  if (protocol.minReaderVersion === 2) return ['columnMapping'];
  if (protocol.minReaderVersion >= 3) return protocol.readerFeatures ?? [];
  return [];
}

/**
 * Refuses protocols this reader cannot read, before any file list is used.
 * @throws DeltaError UNSUPPORTED_FEATURE naming the reader version or the first unsupported/unknown feature.
 */
export function ensureProtocolSupported(protocol: Protocol, metadata: Metadata): void {
  if (protocol.minReaderVersion > MAX_READER_VERSION) {
    throw new DeltaError('UNSUPPORTED_FEATURE', `reader version ${protocol.minReaderVersion} is not supported (max ${MAX_READER_VERSION})`);
  }
  for (const feature of requiredReaderFeatures(protocol)) {
    const support = (READER_FEATURES as Record<string, ReadSupport | undefined>)[feature];
    if (support === undefined) throw unsupported(feature, 'is unknown to this reader');
    if (support === 'unsupported') throw unsupported(feature, 'is not supported yet');
  }
  const mode = columnMappingMode(metadata);
  if (mode !== 'none' && mode !== 'name' && mode !== 'id') throw unsupported('columnMapping', `mode ${JSON.stringify(mode)} is unknown to this reader`);
}

/**
 * Refuses a file list that uses a feature we only read while inactive. No reader feature is `whenInactive`
 * today; kept so a future partial feature has its hook.
 * @throws DeltaError UNSUPPORTED_FEATURE naming the feature and one file using it.
 */
export function ensureFilesSupported(protocol: Protocol, files: readonly Add[]): void {
  const inactiveOnly = requiredReaderFeatures(protocol).filter(
    (f) => (READER_FEATURES as Record<string, ReadSupport | undefined>)[f] === 'whenInactive',
  );
  if (!inactiveOnly.includes('deletionVectors')) return;
  const withDv = files.find((f) => f.deletionVector != null);
  if (withDv) throw unsupported('deletionVectors', `is not supported yet (file ${withDv.path} has a deletion vector)`);
}

/** `delta.columnMapping.mode` from the table properties: none (the default), id or name. */
export function columnMappingMode(metadata: Metadata): string {
  return metadata.configuration?.['delta.columnMapping.mode'] ?? 'none';
}

function unsupported(feature: string, why: string): DeltaError {
  return new DeltaError('UNSUPPORTED_FEATURE', `reader feature ${feature} ${why}`);
}
