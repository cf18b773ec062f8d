/**
 * The append-only refresh fast path agrees with a full load (Action Reconciliation over the whole log) in every
 * case: plain appends, a re-add of a live file (stats update), a remove, and more refreshes than index layers.
 */
import { describe, expect, it } from 'vitest';
import { loadSnapshot, refreshSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import { commitPath } from '../../src/delta/log/log-path.ts';
import type { Snapshot } from '../../src/delta/snapshot/snapshot.ts';
import { createMemoryStorage, type MemoryStorage } from '../support/memory-storage.ts';

const noParquet = { readRows: async () => [] };
const schemaString = JSON.stringify({ type: 'struct', fields: [{ name: 'x', type: 'long', nullable: true, metadata: {} }] });
const add = (path: string, stats = '{"numRecords":1}') => ({ add: { path, partitionValues: {}, size: 1, modificationTime: 1, dataChange: true, stats } });
const remove = (path: string) => ({ remove: { path, dataChange: true } });

function newTable(): MemoryStorage {
  const s = createMemoryStorage();
  s.put(commitPath(0), [
    { commitInfo: { timestamp: 1 } },
    { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
    { metaData: { id: 't', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration: {} } },
    add('a.parquet'),
    add('b.parquet'),
  ]);
  return s;
}

const view = (snap: Snapshot) => snap.files.map((f) => `${f.path}:${f.stats}`);

async function refreshAndCompare(s: MemoryStorage, prev: Snapshot, version: number, actions: object[]): Promise<Snapshot> {
  s.put(commitPath(version), [{ commitInfo: { timestamp: version + 1 } }, ...actions]);
  const refreshed = await refreshSnapshot(prev, s, { parquetReader: noParquet });
  const full = await loadSnapshot(s, { parquetReader: noParquet });
  expect(refreshed.version).toBe(version);
  expect(view(refreshed)).toEqual(view(full));
  expect(refreshed.schema).toEqual(full.schema);
  return refreshed;
}

describe('append-only refresh', () => {
  it('matches a full load for appends, re-adds and removes, in file order', async () => {
    const s = newTable();
    let snap = await loadSnapshot(s, { parquetReader: noParquet });
    snap = await refreshAndCompare(s, snap, 1, [add('c.parquet'), add('d.parquet')]);
    expect(view(snap)).toEqual(['d.parquet:{"numRecords":1}', 'c.parquet:{"numRecords":1}', 'b.parquet:{"numRecords":1}', 'a.parquet:{"numRecords":1}']);
    snap = await refreshAndCompare(s, snap, 2, [add('a.parquet', '{"numRecords":7}')]);
    expect(snap.files.filter((f) => f.path === 'a.parquet')).toHaveLength(1);
    snap = await refreshAndCompare(s, snap, 3, [remove('b.parquet'), add('e.parquet')]);
    expect(snap.files.map((f) => f.path)).not.toContain('b.parquet');
    snap = await refreshAndCompare(s, snap, 4, [add('e.parquet', '{"numRecords":2}'), add('f.parquet')]);
    expect(snap.files.filter((f) => f.path === 'e.parquet')).toHaveLength(1);
  });

  it('stays correct past the index layer limit', async () => {
    const s = newTable();
    let snap = await loadSnapshot(s, { parquetReader: noParquet });
    for (let v = 1; v <= 40; v++) snap = await refreshAndCompare(s, snap, v, [add(`p${v}.parquet`)]);
    snap = await refreshAndCompare(s, snap, 41, [add('p3.parquet', '{"numRecords":9}')]);
    expect(snap.files).toHaveLength(42);
    expect(snap.files.find((f) => f.path === 'p3.parquet')?.stats).toBe('{"numRecords":9}');
  });
});
