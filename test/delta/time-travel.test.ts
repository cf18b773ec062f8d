import { describe, expect, it } from 'vitest';
import { loadHistory } from '../../src/delta/log/history.ts';
import { loadSnapshot, refreshSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import { commitPath } from '../../src/delta/log/log-path.ts';
import { createMemoryStorage } from '../support/memory-storage.ts';
import { codeOfAsync as codeOf } from '../support/error-codes.ts';

const noParquet = { readRows: async () => [] };
const schemaString = JSON.stringify({ type: 'struct', fields: [{ name: 'x', type: 'long', nullable: true, metadata: {} }] });
const protocol = { protocol: { minReaderVersion: 1, minWriterVersion: 2 } };
const metaData = (configuration: Record<string, string> = {}) => ({
  metaData: { id: 't', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration },
});
const add = (path: string) => ({ add: { path, partitionValues: {}, size: 1, modificationTime: 1, dataChange: true } });

/** A table with commits at the given commitInfo timestamps (file mtimes deliberately far off). */
function table(timestamps: (number | undefined)[], opts: { ict?: number[] } = {}) {
  const s = createMemoryStorage();
  timestamps.forEach((ts, v) => {
    const info: Record<string, unknown> = { operation: v === 0 ? 'CREATE TABLE' : 'WRITE' };
    if (ts !== undefined) info.timestamp = ts;
    if (opts.ict) info.inCommitTimestamp = opts.ict[v];
    const actions: object[] = [{ commitInfo: info }];
    if (v === 0) actions.push(protocol, metaData(opts.ict ? { 'delta.enableInCommitTimestamps': 'true' } : {}));
    actions.push(add(`f${v}.parquet`));
    s.put(commitPath(v), actions, 9_000_000 + v);
  });
  return s;
}

describe('time travel by timestamp', () => {
  const storage = table([1000, 2000, 3000, 4000]);

  it('picks the latest commit at or before the time, by commitInfo timestamps', async () => {
    const at = async (t: number | Date) => (await loadSnapshot(storage, { parquetReader: noParquet, timestamp: t })).version;
    expect(await at(1000)).toBe(0);
    expect(await at(2999)).toBe(1);
    expect(await at(3000)).toBe(2);
    expect(await at(new Date(3500))).toBe(2);
    expect(await at(99_999)).toBe(3);
  });

  it('refuses a time before the first commit with TIMESTAMP_OUT_OF_RANGE', async () => {
    expect(await codeOf(loadSnapshot(storage, { parquetReader: noParquet, timestamp: 999 }))).toBe('TIMESTAMP_OUT_OF_RANGE');
    expect(await codeOf(loadSnapshot(storage, { parquetReader: noParquet, timestamp: 1, version: 1 }))).toBe('INVALID_ARGUMENT');
  });

  it('uses in-commit timestamps when enabled, and file mtimes only without any commitInfo time', async () => {
    const ict = table([50, 60, 70], { ict: [1000, 2000, 3000] });
    expect((await loadSnapshot(ict, { parquetReader: noParquet, timestamp: 2500 })).version).toBe(1);
    expect((await loadSnapshot(ict, { parquetReader: noParquet })).timestamp).toBe(3000);
    const bare = table([undefined, undefined]);
    expect((await loadSnapshot(bare, { parquetReader: noParquet })).timestamp).toBe(9_000_001);
    expect((await loadSnapshot(storage, { parquetReader: noParquet, version: 1 })).timestamp).toBe(2000);
  });
});

describe('refresh and history', () => {
  it('refreshSnapshot returns the same snapshot when nothing is new, else replays only new commits', async () => {
    const s = table([1000, 2000]);
    const first = await loadSnapshot(s, { parquetReader: noParquet });
    expect(await refreshSnapshot(first, s, { parquetReader: noParquet })).toBe(first);
    s.put(commitPath(2), [{ commitInfo: { timestamp: 3000 } }, { remove: { path: 'f0.parquet', dataChange: true } }, add('g.parquet')]);
    s.put(commitPath(3), [{ commitInfo: { timestamp: 4000 } }, { txn: { appId: 'app', version: 9 } }]);
    const next = await refreshSnapshot(first, s, { parquetReader: noParquet });
    expect(next.version).toBe(3);
    expect(next.files.map((f) => f.path).sort()).toEqual(['f1.parquet', 'g.parquet']);
    expect(next.appTransactions.get('app')?.version).toBe(9);
    expect(next.timestamp).toBe(4000);
    const full = await loadSnapshot(s, { parquetReader: noParquet });
    expect(full.files.map((f) => f.path).sort()).toEqual(next.files.map((f) => f.path).sort());
  });

  it('loadHistory lists commits newest first with their commitInfo, skipping cleaned-up ones', async () => {
    const s = table([1000, 2000, 3000]);
    s.files.delete(commitPath(1));
    const h = await loadHistory(s);
    expect(h.map((e) => [e.version, e.timestamp, e.operation])).toEqual([[2, 3000, 'WRITE'], [0, 1000, 'CREATE TABLE']]);
    expect((await loadHistory(s, { limit: 1 })).map((e) => e.version)).toEqual([2]);
    expect((await loadHistory(s, { before: 2 })).map((e) => e.version)).toEqual([0]);
  });
});
