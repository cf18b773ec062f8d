/**
 * OPTIMIZE, RESTORE and VACUUM on tables we wrote, checked through our reader and delta-rs; a crash between
 * writing parquet and committing leaves only unreferenced files that vacuum later removes.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommit } from '../../src/delta/log/commit-reader.ts';
import { DeltaError } from '../../src/delta/errors.ts';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import { commitPath } from '../../src/delta/log/log-path.ts';
import type { StructType } from '../../src/delta/snapshot/schema-types.ts';
import { optimizeTable } from '../../src/delta/writer/maintenance/optimize.ts';
import { restoreTable } from '../../src/delta/writer/maintenance/restore.ts';
import { field, primitive } from '../../src/delta/writer/write/schema-json.ts';
import { vacuumTable } from '../../src/delta/writer/maintenance/vacuum.ts';
import { appendRows, writeTable } from '../../src/delta/writer/write/write-table.ts';
import { canonRows, createWriterFixture, deltaRsHistory, readDeltaRs, readOurs, type WriterFixture } from './writer-fixture.ts';

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [field('id', primitive('long'), false), field('msg', primitive('string')), field('date', primitive('date'))],
};
const DAY = 86_400_000;
const rows = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, msg: `m${from + i}`, date: (from + i) % 2 ? '2024-01-02' : '2024-01-01' }));

let f: WriterFixture;
beforeAll(async () => {
  f = await createWriterFixture();
});
afterAll(async () => {
  await f?.close();
});

const dataFiles = async (table: string) => {
  const out: string[] = [];
  for (const d of await readdir(join(f.dir, table))) if (d !== '_delta_log') for (const n of await readdir(join(f.dir, table, d))) out.push(`${d}/${n}`);
  return out.sort();
};

describe('optimize', () => {
  it('compacts small files per partition with dataChange=false, honouring --where', async () => {
    const ctx = f.ctx('opt');
    await writeTable(ctx, { rows: rows(0, 10) }, { schema: SCHEMA, partitionBy: ['date'] });
    for (let i = 1; i < 6; i++) await appendRows(ctx, rows(i * 10, 10));
    const before = await loadSnapshot(ctx.storage, { parquetReader: f.engine.parquetReader });
    expect(before.files).toHaveLength(12);

    const one = await optimizeTable(ctx, { where: "date='2024-01-01'" });
    expect(one).toMatchObject({ version: 6, numRemovedFiles: 6, numAddedFiles: 1 });
    const all = await optimizeTable(ctx, {});
    expect(all).toMatchObject({ version: 7, numRemovedFiles: 6, numAddedFiles: 1 });
    expect((await optimizeTable(ctx, {})).version).toBeUndefined();

    const actions = await readCommit(ctx.storage, commitPath(7));
    for (const a of actions) {
      if ('add' in a) expect(a.add.dataChange).toBe(false);
      if ('remove' in a) expect(a.remove.dataChange).toBe(false);
    }
    const want = canonRows(rows(0, 60));
    expect(canonRows(await readOurs(f, 'opt'))).toEqual(want);
    const rs = await readDeltaRs(join(f.dir, 'opt'));
    expect(rs).toMatchObject({ version: 7, files: 2 });
    expect(canonRows(rs.rows)).toEqual(want);
    expect(canonRows((await readDeltaRs(join(f.dir, 'opt'), 5)).rows)).toEqual(want);
    expect((await deltaRsHistory(join(f.dir, 'opt')))[0]).toMatchObject({ operation: 'OPTIMIZE' });
  });

  it('refuses a filter on a non-partition column', async () => {
    await expect(optimizeTable(f.ctx('opt'), { where: "msg='x'" })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('restore', () => {
  it('brings back the files of an earlier version', async () => {
    const ctx = f.ctx('rest');
    await writeTable(ctx, { rows: rows(0, 8) }, { schema: SCHEMA, partitionBy: ['date'] });
    await appendRows(ctx, rows(8, 8));
    await writeTable(ctx, { rows: rows(100, 4) }, { mode: 'overwrite' });
    const r = await restoreTable(ctx, 1);
    expect(r).toMatchObject({ version: 3, numRestoredFiles: 4, numRemovedFiles: 2 });
    const want = canonRows(rows(0, 16));
    expect(canonRows(await readOurs(f, 'rest'))).toEqual(want);
    const rs = await readDeltaRs(join(f.dir, 'rest'));
    expect(rs.version).toBe(3);
    expect(canonRows(rs.rows)).toEqual(want);
    expect((await deltaRsHistory(join(f.dir, 'rest')))[0]).toMatchObject({ operation: 'RESTORE', operationParameters: { version: 1 } });
    await expect(restoreTable(ctx, 9)).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
  });
});

describe('vacuum', () => {
  it('deletes only unreferenced files past retention; time travel to a vacuumed version fails clearly', async () => {
    const ctx = f.ctx('vac');
    await writeTable(ctx, { rows: rows(0, 8) }, { schema: SCHEMA, partitionBy: ['date'] });
    await appendRows(ctx, rows(8, 8));
    await writeTable(ctx, { rows: rows(100, 4) }, { mode: 'overwrite' });
    const live = (await loadSnapshot(ctx.storage, { parquetReader: f.engine.parquetReader })).files.map((x) => decodeURIComponent(x.path)).sort();
    expect(await dataFiles('vac')).toHaveLength(6);

    // Within retention nothing goes; below the table's retention needs force.
    expect((await vacuumTable(ctx)).files).toHaveLength(0);
    await expect(vacuumTable(ctx, { retainMs: 3_600_000 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/below the table's/) });

    const later = f.ctx('vac', () => Date.now() + 8 * DAY);
    const dry = await vacuumTable(later, { dryRun: true });
    expect(dry.files).toHaveLength(4);
    expect(await dataFiles('vac')).toHaveLength(6);
    const done = await vacuumTable(later);
    expect(done).toMatchObject({ version: 3 });
    expect(await dataFiles('vac')).toEqual(live);
    expect((await readdir(join(f.dir, 'vac/_delta_log'))).filter((n) => n.endsWith('.json'))).toHaveLength(4);

    expect(canonRows(await readOurs(f, 'vac'))).toEqual(canonRows(rows(100, 4)));
    expect(canonRows((await readDeltaRs(join(f.dir, 'vac'))).rows)).toEqual(canonRows(rows(100, 4)));
    const err = await readOurs(f, 'vac', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeltaError);
    expect((err as DeltaError).code).toBe('IO_ERROR');
    await expect(restoreTable(ctx, 1)).rejects.toThrow(/was vacuumed/);
  });

  it('a crash between writing parquet and committing leaves only unreferenced files, which vacuum removes', async () => {
    const ctx = f.ctx('crash');
    await writeTable(ctx, { rows: rows(0, 4) }, { schema: SCHEMA, partitionBy: ['date'] });
    const crashing = {
      ...ctx,
      storage: {
        ...ctx.storage,
        writeIfAbsent: async (path: string, data: Uint8Array) => {
          if (path.startsWith('_delta_log/')) throw new Error('simulated crash before commit');
          return ctx.storage.writeIfAbsent(path, data);
        },
      },
    };
    await expect(appendRows(crashing, [...rows(4, 4), { id: 50, msg: 'new partition', date: '2024-03-03' }])).rejects.toThrow(/simulated crash/);
    expect(await dataFiles('crash')).toHaveLength(5);
    const snapshot = await loadSnapshot(ctx.storage, { parquetReader: f.engine.parquetReader });
    expect(snapshot.version).toBe(0);
    expect(canonRows(await readOurs(f, 'crash'))).toEqual(canonRows(rows(0, 4)));
    expect(canonRows((await readDeltaRs(join(f.dir, 'crash'))).rows)).toEqual(canonRows(rows(0, 4)));
    const removed = await vacuumTable(f.ctx('crash', () => Date.now() + 8 * DAY));
    expect(removed.files.map((x) => x.path).sort()).toHaveLength(3);
    expect(await dataFiles('crash')).toEqual(snapshot.files.map((x) => decodeURIComponent(x.path)).sort());
  });
});
