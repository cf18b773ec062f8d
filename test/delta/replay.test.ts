import { describe, expect, it } from 'vitest';
import type { Action, Add, DeletionVectorDescriptor } from '../../src/delta/log/actions.ts';
import { fileStats } from '../../src/delta/values/file-stats.ts';
import { deletionVectorUniqueId, LogReplay } from '../../src/delta/snapshot/replay.ts';

const add = (path: string, dv?: DeletionVectorDescriptor, extra: Partial<Add> = {}): Action => ({
  add: { path, partitionValues: {}, size: 1, modificationTime: 1, dataChange: true, deletionVector: dv, ...extra },
});
const remove = (path: string, dv?: DeletionVectorDescriptor): Action => ({ remove: { path, dataChange: true, deletionVector: dv } });
const dv = (id: string, offset?: number): DeletionVectorDescriptor => ({ storageType: 'u', pathOrInlineDv: id, offset, sizeInBytes: 1, cardinality: 1 });

/** Replays commits given oldest first (the order they were committed), like a reader would see them. */
function replay(commits: Action[][], checkpoint: Action[] = []) {
  const r = new LogReplay();
  for (let i = commits.length - 1; i >= 0; i--) r.applyCommit(commits[i]!);
  r.applyBase(checkpoint);
  return r.finish();
}
const paths = (s: ReturnType<typeof replay>) => s.files.map((f) => f.path).sort();

// PROTOCOL.md "Action Reconciliation": keep only the newest reference to each (path, DV unique id).
describe('log replay', () => {
  it('drops removed files and keeps a file re-added after its remove', () => {
    expect(paths(replay([[add('a'), add('b')], [remove('a')]]))).toEqual(['b']);
    expect(paths(replay([[add('a')], [remove('a')], [add('a')]]))).toEqual(['a']);
  });

  it('keeps one entry, the newest, for a file added twice', () => {
    const s = replay([[add('a', undefined, { size: 1 })], [add('a', undefined, { size: 2 })]]);
    expect(s.files).toHaveLength(1);
    expect(s.files[0]!.size).toBe(2);
  });

  it('treats a later action in the same commit as newer', () => {
    expect(paths(replay([[add('a')], [remove('a'), add('a')]]))).toEqual(['a']);
    expect(paths(replay([[add('a'), remove('a')]]))).toEqual([]);
  });

  it('identifies logical files by path and deletion vector unique id', () => {
    expect(deletionVectorUniqueId(dv('abc'))).toBe('uabc');
    expect(deletionVectorUniqueId(dv('abc', 4))).toBe('uabc@4');
    // A DELETE replaces (a, no DV) with (a, dv1): only the new logical file is live.
    const s = replay([[add('a')], [remove('a'), add('a', dv('d1', 1))]]);
    expect(s.files.map((f) => f.deletionVector?.pathOrInlineDv)).toEqual(['d1']);
    // Removing a different DV of the same path leaves the live one alone.
    expect(replay([[add('a', dv('d1', 1))], [remove('a', dv('d1', 2))]]).files).toHaveLength(1);
    expect(replay([[add('a', dv('d1', 1))], [remove('a', dv('d1', 1))]]).files).toHaveLength(0);
  });

  it('applies commits over a checkpoint whose removes are tombstones only', () => {
    const s = replay([[remove('a'), add('c')]], [add('a'), add('b'), remove('z')]);
    expect(paths(s)).toEqual(['b', 'c']);
  });

  it('keeps the newest protocol, metadata and txn per appId; domain tombstones hide older domains', () => {
    const meta = (id: string): Action => ({ metaData: { id, format: { provider: 'parquet' }, schemaString: '{}', partitionColumns: [], configuration: {} } });
    const s = replay([
      [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }, meta('m1'), { txn: { appId: 'x', version: 1 } }, { txn: { appId: 'y', version: 7 } },
        { domainMetadata: { domain: 'd1', configuration: '{}', removed: false } }, { domainMetadata: { domain: 'd2', configuration: '{"a":1}', removed: false } }],
      [meta('m2'), { txn: { appId: 'x', version: 2 } }, { domainMetadata: { domain: 'd1', configuration: '{}', removed: true } }],
    ]);
    expect(s.metadata?.id).toBe('m2');
    expect(s.protocol?.minWriterVersion).toBe(2);
    expect(s.appTransactions.get('x')?.version).toBe(2);
    expect(s.appTransactions.get('y')?.version).toBe(7);
    expect([...s.domainMetadata.keys()]).toEqual(['d2']);
  });

  it('parses stats lazily and prefers stats_parsed', () => {
    const a = (add('a', undefined, { stats: '{"numRecords":3,"minValues":{"x":1}}' }) as { add: Add }).add;
    expect(fileStats(a)).toEqual({ numRecords: 3, minValues: { x: 1 } });
    expect(fileStats(a)).toBe(fileStats(a));
    const parsed = (add('b', undefined, { stats: '{"numRecords":1}', statsParsed: { numRecords: 9 } }) as { add: Add }).add;
    expect(fileStats(parsed)?.numRecords).toBe(9);
    expect(fileStats((add('c', undefined, { stats: '{oops' }) as { add: Add }).add)).toBeUndefined();
  });
});
