/**
 * The writer end to end: what we write reads the same through our reader and through delta-rs at every
 * version (append, mergeSchema, overwrite, checkpoint), partition values with awkward characters, txn
 * exactly-once, and schema enforcement that commits nothing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeltaError } from '../../src/delta/errors.ts';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import type { StructType } from '../../src/delta/snapshot/schema-types.ts';
import { field, primitive } from '../../src/delta/writer/write/schema-json.ts';
import { appendRows, writeTable } from '../../src/delta/writer/write/write-table.ts';
import { canonRows, createWriterFixture, deltaRsHistory, readDeltaRs, readOurs, type WriterFixture } from './writer-fixture.ts';

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    field('id', primitive('long'), false),
    field('name', primitive('string')),
    field('amount', { kind: 'decimal', precision: 10, scale: 2 }),
    field('score', primitive('double')),
    field('flag', primitive('boolean')),
    field('ts', primitive('timestamp')),
    field('day', primitive('date')),
    field('tags', { kind: 'array', elementType: primitive('string'), containsNull: true }),
    field('nested', { kind: 'struct', fields: [field('a', primitive('integer')), field('b', primitive('string'))] }),
    field('part', primitive('string')),
  ],
};

const PARTS = ['plain', 'a b/c:d=e', 'ü%#?', null];

function rows(from: number, n: number) {
  return Array.from({ length: n }, (_, i) => {
    const id = from + i;
    return {
      id,
      name: id % 5 === 0 ? null : `name-${id}`,
      amount: (id * 1.25).toFixed(2),
      score: id / 3,
      flag: id % 2 === 0,
      ts: new Date(Date.UTC(2024, 0, 1, 0, 0, id)),
      day: `2024-01-${String(1 + (id % 28)).padStart(2, '0')}`,
      tags: [`t${id % 3}`, 'x'],
      nested: { a: id, b: `b${id}` },
      part: PARTS[id % PARTS.length],
    };
  });
}

let f: WriterFixture;
beforeAll(async () => {
  f = await createWriterFixture();
});
afterAll(async () => {
  await f?.close();
});

describe('append, mergeSchema, overwrite', () => {
  const expected = new Map<number, Record<string, unknown>[]>();

  beforeAll(async () => {
    const ctx = f.ctx('rich');
    const v0 = rows(0, 40);
    expect((await writeTable(ctx, { rows: v0 }, { schema: SCHEMA, partitionBy: ['part'] })).version).toBe(0);
    expected.set(0, v0);
    const v1 = rows(40, 20);
    expect((await appendRows(ctx, v1)).version).toBe(1);
    expected.set(1, [...v0, ...v1]);
    const evolved: StructType = { kind: 'struct', fields: [...SCHEMA.fields, field('extra', primitive('string'))] };
    const v2 = rows(60, 8).map((r) => ({ ...r, extra: `e${r.id}` }));
    expect((await appendRows(ctx, v2, { schema: evolved, mergeSchema: true })).version).toBe(2);
    expected.set(2, [...expected.get(1)!.map((r) => ({ ...r, extra: null })), ...v2]);
    const v3 = rows(100, 12).map((r) => ({ ...r, extra: 'over' }));
    expect((await writeTable(ctx, { rows: v3 }, { mode: 'overwrite' })).version).toBe(3);
    expected.set(3, v3);
  });

  it('reads identically through our reader at every version', async () => {
    for (const [version, want] of expected) {
      const got = await readOurs(f, 'rich', version);
      expect(canonRows(got), `version ${version}`).toEqual(canonRows(want));
    }
  });

  it('reads identically through delta-rs at every version', async () => {
    for (const [version, want] of expected) {
      const got = await readDeltaRs(join(f.dir, 'rich'), version);
      expect(got.version).toBe(version);
      expect(canonRows(got.rows), `version ${version}`).toEqual(canonRows(want));
    }
  });

  it('writes Hive-escaped partition folders, URL-encoded add paths and full stats', async () => {
    const folders = (await readdir(join(f.dir, 'rich'))).sort();
    expect(folders).toEqual(['_delta_log', 'part=__HIVE_DEFAULT_PARTITION__', 'part=a b%2Fc%3Ad%3De', 'part=plain', 'part=ü%25%23%3F']);
    const snapshot = await loadSnapshot(f.ctx('rich').storage, { parquetReader: f.engine.parquetReader, version: 0 });
    const odd = snapshot.files.find((x) => x.partitionValues.part === 'a b/c:d=e')!;
    expect(odd.path).toMatch(/^part=a%20b%252Fc%253Ad%253De\//);
    const stats = JSON.parse(odd.stats!);
    expect(stats.numRecords).toBe(10);
    expect(stats.minValues).toMatchObject({ id: 1, name: 'name-1', amount: 1.25, nested: { a: 1, b: 'b1' }, day: '2024-01-02' });
    expect(stats.maxValues).toMatchObject({ id: 37, ts: '2024-01-01T00:00:37.000Z' });
    expect(stats.nullCount).toMatchObject({ id: 0, name: 2, tags: 0, nested: { a: 0, b: 0 } });
    expect(snapshot.files.find((x) => x.partitionValues.part === null)).toBeDefined();
  });

  it('records commitInfo, protocol and metaData as delta-rs expects', async () => {
    const history = await deltaRsHistory(join(f.dir, 'rich'));
    expect(history.map((h) => h.operation)).toEqual(['WRITE', 'WRITE', 'WRITE', 'CREATE TABLE']);
    expect(history[0]).toMatchObject({ operationParameters: { mode: 'Overwrite' }, isBlindAppend: false, engineInfo: expect.stringMatching(/^delta-gateway\//) });
    expect(history[2]).toMatchObject({ operationParameters: { mode: 'Append', partitionBy: '["part"]' }, operationMetrics: { numFiles: 4, numOutputRows: 20 }, isBlindAppend: true });
    const first = (await readFile(join(f.dir, 'rich/_delta_log/00000000000000000000.json'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(first[1]).toEqual({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } });
    expect(first[2].metaData.partitionColumns).toEqual(['part']);
  });
});

describe('checkpoints', () => {
  it('writes a classic checkpoint every delta.checkpointInterval commits that we and delta-rs read', async () => {
    const ctx = f.ctx('cp');
    let result;
    for (let i = 0; i < 8; i++) {
      result = await writeTable(ctx, { rows: rows(i * 10, 10) }, { schema: SCHEMA, partitionBy: ['part'], configuration: { 'delta.checkpointInterval': '3' } });
      if (i === 3 || i === 6) expect(result.checkpointVersion).toBe(i);
    }
    const log = await readdir(join(f.dir, 'cp/_delta_log'));
    expect(log.filter((n) => n.endsWith('.checkpoint.parquet')).sort()).toEqual(['00000000000000000003.checkpoint.parquet', '00000000000000000006.checkpoint.parquet']);
    const hint = JSON.parse(await readFile(join(f.dir, 'cp/_delta_log/_last_checkpoint'), 'utf8'));
    expect(hint).toMatchObject({ version: 6, size: 2 + 7 * 4, numOfAddFiles: 28 });
    for (const version of [3, 4, 6, 7]) {
      const want = canonRows(rows(0, (version + 1) * 10));
      expect(canonRows(await readOurs(f, 'cp', version))).toEqual(want);
      const rs = await readDeltaRs(join(f.dir, 'cp'), version);
      expect(rs.version).toBe(version);
      expect(canonRows(rs.rows)).toEqual(want);
    }
  });
});

describe('txn actions (exactly-once)', () => {
  it('skips a batch whose appId is already at its version or later', async () => {
    const ctx = f.ctx('txn');
    const a = await writeTable(ctx, { rows: rows(0, 3) }, { schema: SCHEMA, txns: [{ appId: 'orders-0', version: 5 }] });
    expect(a).toMatchObject({ status: 'committed', version: 0 });
    expect(await appendRows(ctx, rows(0, 3), { txns: [{ appId: 'orders-0', version: 5 }] })).toMatchObject({ status: 'alreadyCommitted' });
    expect(await appendRows(ctx, rows(0, 3), { txns: [{ appId: 'orders-0', version: 4 }] })).toMatchObject({ status: 'alreadyCommitted' });
    expect(await appendRows(ctx, rows(3, 3), { txns: [{ appId: 'orders-0', version: 6 }, { appId: 'orders-1', version: 0 }] })).toMatchObject({ status: 'committed', version: 1 });
    const snapshot = await loadSnapshot(ctx.storage, { parquetReader: f.engine.parquetReader });
    expect(snapshot.version).toBe(1);
    expect(snapshot.appTransactions.get('orders-0')?.version).toBe(6);
    expect(snapshot.appTransactions.get('orders-1')?.version).toBe(0);
    expect(canonRows(await readOurs(f, 'txn'))).toEqual(canonRows(rows(0, 6)));
  });
});

describe('schema enforcement', () => {
  const logFiles = async (t: string) => (await readdir(join(f.dir, t, '_delta_log'))).sort();
  const dataFolders = async (t: string) => (await readdir(join(f.dir, t))).filter((n) => n !== '_delta_log');

  beforeAll(async () => {
    await writeTable(f.ctx('strict'), { rows: rows(0, 4) }, { schema: SCHEMA });
  });

  it.each([
    ['a wrong type', { id: 'seven' }, /^row 2, column id: expected long/],
    ['a null in a non-nullable column', { id: null }, /^row 2, column id: null in a non-nullable column/],
    ['a nested wrong type', { nested: { a: 'x', b: 'y' } }, /^row 2, column nested\.a: expected integer/],
    ['an unknown column', { colour: 'red' }, /^row 2, column colour: column is not in the table schema/],
    ['an out-of-range integer', { nested: { a: 2 ** 31, b: null } }, /^row 2, column nested\.a: value 2147483648 is out of range/],
  ])('rejects %s with row and column, committing nothing', async (_name, patch, message) => {
    const before = await logFiles('strict');
    const batch: Record<string, unknown>[] = rows(10, 4);
    batch[2] = { ...batch[2], ...patch };
    const err = await appendRows(f.ctx('strict'), batch).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeltaError);
    expect((err as DeltaError).code).toBe('SCHEMA_MISMATCH');
    expect((err as DeltaError).message).toMatch(message);
    expect(await logFiles('strict')).toEqual(before);
    expect(await dataFolders('strict')).toHaveLength(1);
  });

  it('rejects a SQL source value that does not fit, naming the row', async () => {
    const sql = `SELECT CAST(range AS BIGINT) AS id, CASE WHEN range = 3 THEN 'not-a-date' ELSE '2024-01-01' END AS day FROM range(5)`;
    await expect(writeTable(f.ctx('strict'), { sql })).rejects.toThrow(/^row 3, column day: value does not fit DATE/);
  });

  it('rejects a new column without mergeSchema and a type change always', async () => {
    const extra: StructType = { kind: 'struct', fields: [...SCHEMA.fields, field('extra', primitive('string'))] };
    await expect(appendRows(f.ctx('strict'), rows(20, 1), { schema: extra })).rejects.toThrow(/column "extra" is not in the table schema/);
    const changed: StructType = { kind: 'struct', fields: SCHEMA.fields.map((x) => (x.name === 'score' ? field('score', primitive('string')) : x)) };
    await expect(appendRows(f.ctx('strict'), rows(20, 1), { schema: changed, mergeSchema: true })).rejects.toThrow(/column "score" does not match/);
  });
});
