import { describe, expect, it } from 'vitest';
import type { Metadata, Protocol } from '../../src/delta/log/actions.ts';
import { DeltaError } from '../../src/delta/errors.ts';
import { ensureFilesSupported, ensureProtocolSupported } from '../../src/delta/snapshot/table-features.ts';

const meta = (configuration: Record<string, string> = {}): Metadata => ({
  id: 'x', format: { provider: 'parquet' }, schemaString: '{}', partitionColumns: [], configuration,
});
const p = (minReaderVersion: number, readerFeatures?: string[]): Protocol => ({ minReaderVersion, minWriterVersion: 7, readerFeatures });

function messageOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect((e as DeltaError).code).toBe('UNSUPPORTED_FEATURE');
    return (e as DeltaError).message;
  }
  return undefined;
}

describe('reader protocol and features', () => {
  it('reads reader versions 1-3 with supported features', () => {
    expect(messageOf(() => ensureProtocolSupported(p(1), meta()))).toBeUndefined();
    expect(messageOf(() => ensureProtocolSupported(p(3, ['timestampNtz', 'v2Checkpoint', 'vacuumProtocolCheck']), meta()))).toBeUndefined();
  });

  it('refuses newer reader versions and unknown or unsupported features by name', () => {
    expect(messageOf(() => ensureProtocolSupported(p(4), meta()))).toMatch(/reader version 4/);
    expect(messageOf(() => ensureProtocolSupported(p(3, ['catalogManaged']), meta()))).toMatch(/catalogManaged/);
    expect(messageOf(() => ensureProtocolSupported(p(3, ['geospatial']), meta()))).toMatch(/geospatial/);
  });

  it('reads type widening, variants, deletion vectors and column mapping', () => {
    const features = ['typeWidening', 'typeWidening-preview', 'variantType', 'variantType-preview', 'variantShredding-preview', 'deletionVectors', 'columnMapping'];
    expect(messageOf(() => ensureProtocolSupported(p(3, features), meta()))).toBeUndefined();
  });

  it('reads column mapping modes none, name and id (reader version 2 implies the feature)', () => {
    expect(messageOf(() => ensureProtocolSupported(p(2), meta()))).toBeUndefined();
    expect(messageOf(() => ensureProtocolSupported(p(2), meta({ 'delta.columnMapping.mode': 'name' })))).toBeUndefined();
    expect(messageOf(() => ensureProtocolSupported(p(3, ['columnMapping']), meta({ 'delta.columnMapping.mode': 'id' })))).toBeUndefined();
    expect(messageOf(() => ensureProtocolSupported(p(3, ['columnMapping']), meta({ 'delta.columnMapping.mode': 'fancy' })))).toMatch(/columnMapping/);
    // The property is only honoured when the protocol supports column mapping.
    expect(messageOf(() => ensureProtocolSupported(p(1), meta({ 'delta.columnMapping.mode': 'name' })))).toBeUndefined();
  });

  it('reads live files carrying deletion vectors', () => {
    const plain = { path: 'a', partitionValues: {}, size: 1, modificationTime: 1, dataChange: true };
    const withDv = { ...plain, deletionVector: { storageType: 'i' as const, pathOrInlineDv: 'x', sizeInBytes: 1, cardinality: 1 } };
    expect(messageOf(() => ensureFilesSupported(p(3, ['deletionVectors']), [plain, withDv]))).toBeUndefined();
  });
});
