/**
 * Acceptance against tables other implementations wrote: every table folder of the shared corpus either loads with
 * the live file count INDEX.md gives, or is refused with the DeltaError code its INDEX row implies. Never a wrong
 * answer, never another kind of error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeltaError } from '../../src/delta/errors.ts';
import { fileStats } from '../../src/delta/values/file-stats.ts';
import { loadHistory } from '../../src/delta/log/history.ts';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { corpusRoot, describeCorpus, hasCorpus, listCorpusTables, readCorpusIndex, type CorpusIndexRow } from '../support/corpus.ts';

/** Reader features we read today. */
const READABLE = new Set([
  'timestampNtz', 'v2Checkpoint', 'vacuumProtocolCheck', 'deletionVectors', 'columnMapping', 'typeWidening',
  'typeWidening-preview', 'variantType', 'variantType-preview', 'variantShredding-preview',
]);

/** Tables broken on purpose, whose refusal INDEX.md's columns do not show. */
const BROKEN: Record<string, { code: string; message: RegExp }> = {
  'delta-kernel-rs/crc-malformed': { code: 'TABLE_NOT_FOUND', message: /no commit or checkpoint/ },
  'delta-rs/data_err_logs__table_c': { code: 'CORRUPT_LOG', message: /00000000000000000012\.json/ },
};

/** The refusal code a row implies, or undefined when the table must load. */
function expectedRefusal(table: string, row: CorpusIndexRow | undefined): string | undefined {
  if (BROKEN[table]) return BROKEN[table].code;
  if (!row) return undefined;
  const protocol = row.cells.Protocol ?? '';
  const readerVersion = Number(/^(\d+)\//.exec(protocol)?.[1] ?? 1);
  const readerFeatures = /R\[([^\]]*)\]/.exec(protocol)?.[1]?.split(',') ?? [];
  if (readerVersion > 3) return 'UNSUPPORTED_FEATURE';
  if (readerFeatures.some((f) => !READABLE.has(f))) return 'UNSUPPORTED_FEATURE';
  if (/\bvoid\b/.test(row.cells.Types ?? '')) return 'UNSUPPORTED_FEATURE';
  return undefined;
}

const index = hasCorpus ? readCorpusIndex(readFileSync(join(corpusRoot, 'INDEX.md'), 'utf8')) : [];
const rowFor = (table: string) => {
  const [group, name] = table.split('/');
  return index.find((r) => r.group === group && r.table === name);
};
const tables = listCorpusTables();
let engine: DuckDbEngine;
const load = (table: string, version?: number) =>
  loadSnapshot(createLocalStorage(join(corpusRoot, table)), { parquetReader: engine.parquetReader, version });

describeCorpus('Delta corpus', () => {
  beforeAll(async () => {
    engine = await createDuckDbEngine({ threads: 2 });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('finds every table of INDEX.md', () => {
    expect(tables.length).toBeGreaterThanOrEqual(160);
    for (const t of tables) expect(rowFor(t), t).toBeDefined();
  });

  it.each(tables)('%s', async (table) => {
    const row = rowFor(table);
    const refusal = expectedRefusal(table, row);
    let outcome: Awaited<ReturnType<typeof load>> | DeltaError;
    try {
      outcome = await load(table);
    } catch (e) {
      if (!(e instanceof DeltaError)) throw e;
      outcome = e;
    }
    if (refusal) {
      expect(outcome, `${table} should be refused`).toBeInstanceOf(DeltaError);
      expect((outcome as DeltaError).code).toBe(refusal);
      if (BROKEN[table]) expect((outcome as DeltaError).message).toMatch(BROKEN[table].message);
    } else {
      if (outcome instanceof DeltaError) throw outcome;
      if (row?.liveFiles !== undefined) expect(outcome.files.length).toBe(row.liveFiles);
    }
  });

  it('keeps the latest txn version per application', async () => {
    const txns = async (t: string) => Object.fromEntries([...(await load(t)).appTransactions].map(([k, v]) => [k, v.version]));
    expect(await txns('delta-kernel-rs/app-txn-checkpoint')).toEqual({ 'my-app': 3, 'my-app2': 2 });
    expect(await txns('delta-kernel-rs/app-txn-no-checkpoint')).toEqual({ 'my-app': 3, 'my-app2': 2 });
    expect(Object.keys(await txns('delta-kernel-rs/app-txn-with-last-updated')).sort()).toEqual(['new_app_0', 'new_app_1', 'new_app_2', 'old_app']);
    expect(await txns('delta-kernel-rs/parquet_row_group_skipping')).toEqual({
      '3ae45b72-24e1-865a-a211-34987ae02f2a': 4390, 'b42b951f-f5d1-4f6e-be2a-0d11d1543029': 1235,
    });
  });

  it('reads checkpoint stats (stats_parsed or stats) for every file', async () => {
    for (const t of ['delta-kernel-rs/parsed-stats', 'delta-kernel-rs/app-txn-checkpoint', 'delta-rs/delta-1.2.1-only-struct-stats']) {
      const s = await load(t);
      for (const f of s.files) expect(fileStats(f)?.numRecords, `${t} ${f.path}`).toBeTypeOf('number');
    }
    const rows = (await load('delta-kernel-rs/parsed-stats')).files.reduce((n, f) => n + (fileStats(f)?.numRecords ?? 0), 0);
    expect(rows).toBe(600);
  });

  it('reads multi-part, v2 (JSON and parquet, with sidecars) checkpoints', async () => {
    const multi = await load('delta-kernel-rs/parquet_row_group_skipping');
    expect(multi.version).toBe(1);
    for (const t of ['delta-kernel-java/kernel-pagination-v2-checkpoint-json', 'delta-kernel-java/kernel-pagination-v2-checkpoint-parquet']) {
      const s = await load(t);
      expect([s.version, s.files.length]).toEqual([4, 6]);
      expect((await load(t, 2)).version).toBe(2);
    }
    expect((await load('delta-kernel-rs/v2-checkpoints-parquet-with-sidecars')).files).toHaveLength(101);
  });

  it('trusts the listing over a stale _last_checkpoint', async () => {
    const s = await load('delta-rs/table_failed_last_checkpoint_update');
    expect([s.version, s.files.length]).toEqual([3, 4]);
  });

  it('gives the versions and protocols of the DAT expected folders', async () => {
    for (const name of ['basic_append', 'basic_partitioned', 'multi_partitioned', 'with_schema_change']) {
      const dir = join(corpusRoot, 'dat-early', name, 'expected');
      for (const v of ['latest', 'v0', 'v1', 'v2']) {
        let expected: { version: number; min_reader_version: number; min_writer_version: number };
        try {
          expected = JSON.parse(readFileSync(join(dir, v, 'table_version_metadata.json'), 'utf8'));
        } catch {
          continue;
        }
        const s = await load(`dat-early/${name}/delta`, v === 'latest' ? undefined : Number(v.slice(1)));
        expect([s.version, s.protocol.minReaderVersion, s.protocol.minWriterVersion], `${name} ${v}`).toEqual([
          expected.version, expected.min_reader_version, expected.min_writer_version,
        ]);
      }
    }
  });

  it('reads pretty-printed commits and %-encoded partition paths', async () => {
    expect((await load('duckdb-delta/null_constraints_lists')).files).toHaveLength(1);
    // Paths are URL-encoded once: `x=A%252FA` names the folder `x=A%2FA` on disk.
    for (const t of ['delta-rs/delta-0.8.0-special-partition', 'dat-early/multi_partitioned/delta', 'delta-kernel-rs/data-reader-timestamp_ntz']) {
      const storage = createLocalStorage(join(corpusRoot, t));
      for (const f of (await load(t)).files) expect(existsSync(storage.resolve(f.path)), f.path).toBe(true);
    }
  });

  it('reads history newest first', async () => {
    const h = await loadHistory(createLocalStorage(join(corpusRoot, 'delta-rs/simple_table')));
    expect(h.map((e) => e.version)).toEqual([4, 3, 2, 1, 0]);
    expect(h[0]!.operation).toBeTypeOf('string');
  });
});
