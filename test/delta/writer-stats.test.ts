/**
 * The writer's fast paths against the slow ones they replaced: per-file stats read from the parquet footer
 * (COPY ... RETURN_STATS) must equal the aggregate stats query over the same file, for every type and edge
 * (NaN, infinities, longs past 2^53, long and non-ASCII strings, microsecond timestamps, nested structs, arrays,
 * maps, all-null columns); JS rows staged through bulk appends read back exactly as the same rows given as SQL;
 * oversized partitions split evenly; and a bad SQL source is rejected with the row at fault and nothing stored.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import type { StructType } from '../../src/delta/snapshot/schema-types.ts';
import { buildStatsQuery } from '../../src/delta/writer/write/file-stats.ts';
import { timestampBound } from '../../src/delta/writer/write/parquet-stats.ts';
import { field, primitive } from '../../src/delta/writer/write/schema-json.ts';
import { quoteString } from '../../src/delta/scan/sql-text.ts';
import { appendRows, writeTable } from '../../src/delta/writer/write/write-table.ts';
import { parseColumnPath } from '../../src/sources/duckdb/duckdb-sql-engine.ts';
import { canonRows, createWriterFixture, readOurs, type WriterFixture } from './writer-fixture.ts';

const TYPES: StructType = {
  kind: 'struct',
  fields: [
    field('l', primitive('long')),
    field('i', primitive('integer')),
    field('s', primitive('short')),
    field('b', primitive('byte')),
    field('f', primitive('float')),
    field('d', primitive('double')),
    field('dec', { kind: 'decimal', precision: 10, scale: 2 }),
    field('big', { kind: 'decimal', precision: 30, scale: 5 }),
    field('str', primitive('string')),
    field('day', primitive('date')),
    field('ts', primitive('timestamp')),
    field('flag', primitive('boolean')),
    field('bin', primitive('binary')),
    field('st', { kind: 'struct', fields: [field('x', primitive('integer')), field('y', { kind: 'struct', fields: [field('z', primitive('string'))] })] }),
    field('none', primitive('string')),
    field('part', primitive('string')),
  ],
};

const TYPES_SQL = `
  SELECT CASE WHEN i = 3 THEN 9007199254740993 ELSE i * 1000 END AS l, i AS i, i AS s, i AS b,
         CASE WHEN i = 2 THEN 'nan'::FLOAT ELSE i / 3 END AS f,
         CASE WHEN i = 4 THEN 'inf'::DOUBLE WHEN i = 5 THEN -0.0 ELSE i / 7 END AS d,
         i * 1.25 AS dec, '12345678901234567890.12345'::DECIMAL(30,5) - i AS big,
         CASE WHEN i % 4 = 0 THEN repeat('é', 40) || i WHEN i % 4 = 1 THEN NULL ELSE 'v' || i END AS str,
         DATE '2024-02-28' + i::INTEGER AS day,
         TIMESTAMPTZ '2024-01-01 00:00:00.000001+00' + to_microseconds(i * 1234567) AS ts,
         i % 2 = 0 AS flag, '\\x01'::BLOB AS bin,
         CASE WHEN i % 3 = 0 THEN NULL ELSE {'x': CASE WHEN i = 1 THEN NULL ELSE i END, 'y': {'z': 'z' || i}} END AS st,
         NULL AS none, CASE WHEN i < 6 THEN 'p1' ELSE 'p2' END AS part
  FROM range(12) r(i)`;

let f: WriterFixture;
beforeAll(async () => {
  f = await createWriterFixture();
});
afterAll(async () => {
  await f?.close();
});

async function statsPairs(table: string, schema: StructType, partitionColumns: string[]) {
  const ctx = f.ctx(table);
  const snapshot = await loadSnapshot(ctx.storage, { parquetReader: f.engine.parquetReader });
  const dataSchema: StructType = { kind: 'struct', fields: schema.fields.filter((x) => !partitionColumns.includes(x.name)) };
  const pairs: Array<{ footer: unknown; query: unknown }> = [];
  for (const file of snapshot.files) {
    const q = buildStatsQuery(dataSchema, `read_parquet(${quoteString(ctx.storage.resolve(file.path))}, hive_partitioning = false)`, 'true');
    const [row] = await f.engine.query(q.sql);
    pairs.push({ footer: JSON.parse(file.stats!), query: q.toStats(JSON.parse(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v)))) });
  }
  return pairs;
}

describe('footer statistics', () => {
  it('equal the aggregate stats query for every type and edge case', async () => {
    await writeTable(f.ctx('types'), { sql: TYPES_SQL }, { schema: TYPES, partitionBy: ['part'] });
    const pairs = await statsPairs('types', TYPES, ['part']);
    expect(pairs).toHaveLength(2);
    for (const { footer, query } of pairs) expect(footer).toEqual(query);
    const all = pairs.map((p) => p.footer as { maxValues: Record<string, unknown>; minValues: Record<string, unknown> });
    expect(all.every((s) => s.maxValues.f === undefined || typeof s.maxValues.f === 'number')).toBe(true);
    expect(all.map((s) => s.minValues.ts)).toContain('2024-01-01T00:00:00.000Z');
  });

  it('fall back to the stats query when arrays or maps are among the indexed columns', async () => {
    const schema: StructType = {
      kind: 'struct',
      fields: [field('id', primitive('long')), field('tags', { kind: 'array', elementType: primitive('string'), containsNull: true }), field('m', { kind: 'map', keyType: primitive('string'), valueType: primitive('integer'), valueContainsNull: true })],
    };
    const sql = `SELECT i AS id, CASE WHEN i % 2 = 0 THEN NULL ELSE ['a', NULL] END AS tags, CASE WHEN i = 0 THEN NULL ELSE MAP {'k': i} END AS m FROM range(5) r(i)`;
    await writeTable(f.ctx('lists'), { sql }, { schema });
    const [{ footer, query }] = (await statsPairs('lists', schema, [])) as [{ footer: unknown; query: unknown }];
    expect(footer).toEqual(query);
    expect(footer).toMatchObject({ numRecords: 5, nullCount: { id: 0, tags: 3, m: 1 } });
  });

  it('round timestamps outward to whole milliseconds and parse column paths', () => {
    expect(timestampBound('2024-01-01 00:00:00.123456+00', false)).toBe('2024-01-01T00:00:00.123Z');
    expect(timestampBound('2024-01-01 00:00:00.123456+00', true)).toBe('2024-01-01T00:00:00.124Z');
    expect(timestampBound('2024-01-01 00:00:00.123+00', true)).toBe('2024-01-01T00:00:00.123Z');
    expect(timestampBound('2024-01-01 02:00:00+02', false)).toBe('2024-01-01T00:00:00.000Z');
    expect(timestampBound('infinity', false)).toBeUndefined();
    expect(parseColumnPath('"st.x"."a"')).toEqual(['st.x', 'a']);
    expect(parseColumnPath('"p""q"')).toEqual(['p"q']);
  });
});

describe('JS rows', () => {
  it('read back exactly, dates and timestamps given as Date or as text (microseconds kept)', async () => {
    const schema: StructType = {
      kind: 'struct',
      fields: [
        field('id', primitive('long'), false), field('ts', primitive('timestamp')), field('day', primitive('date')),
        field('amount', { kind: 'decimal', precision: 12, scale: 3 }), field('bin', primitive('binary')), field('i8', primitive('byte')),
        field('m', { kind: 'map', keyType: primitive('string'), valueType: primitive('long'), valueContainsNull: true }),
      ],
    };
    const dated = Array.from({ length: 3000 }, (_, i) => ({
      id: BigInt(i), ts: new Date(Date.UTC(1969, 11, 31, 23, 59, 59, i)), day: new Date(Date.UTC(1960, 0, 1) + i * 86_400_000),
      amount: i % 7 === 0 ? null : (i / 8).toFixed(3), bin: new Uint8Array([i % 256, 0]), i8: (i % 256) - 128, m: i % 5 ? { k: i } : new Map([['z', null]]),
    }));
    const texted = dated.map((r, i) => ({ ...r, id: BigInt(i + 3000), ts: i % 2 ? `2024-03-01T10:00:00.${String(i).padStart(6, '0')}Z` : r.ts, day: r.day.toISOString().slice(0, 10) }));
    await appendRows(f.ctx('js'), dated, { schema });
    await appendRows(f.ctx('js'), texted, { schema });
    const got = canonRows(await readOurs(f, 'js'));
    expect(got).toHaveLength(6000);
    expect(got[1]).toMatchObject({ id: '1', ts: '1969-12-31T23:59:59.001Z', day: '1960-01-02', amount: '0.125', i8: '-127' });
    const micro = await f.engine.query(`SELECT strftime(ts, '%f') AS us FROM read_parquet('${join(f.dir, 'js')}/*.parquet') WHERE id = 3001`);
    expect(micro).toEqual([{ us: '000001' }]);
  });
});

describe('SQL sources', () => {
  it('split a partition over maxRowsPerFile evenly', async () => {
    const schema: StructType = { kind: 'struct', fields: [field('id', primitive('long')), field('p', primitive('string'))] };
    const r = await writeTable(f.ctx('split'), { sql: `SELECT i AS id, CASE WHEN i < 5 THEN 'a' ELSE 'b' END AS p FROM range(25) r(i)` }, { schema, partitionBy: ['p'], maxRowsPerFile: 8 });
    const snapshot = await loadSnapshot(f.ctx('split').storage, { parquetReader: f.engine.parquetReader });
    const counts = snapshot.files.map((x) => [x.partitionValues.p, JSON.parse(x.stats!).numRecords]).sort();
    expect(counts).toEqual([['a', 5], ['b', 7], ['b', 7], ['b', 6]].sort());
    expect(r.numOutputRows).toBe(25);
    expect((await readOurs(f, 'split')).length).toBe(25);
  });

  it('write a one-partition batch as one file (null partition too), re-checking a source that changes between reads', async () => {
    const schema: StructType = { kind: 'struct', fields: [field('id', primitive('long')), field('p', primitive('string'))] };
    const parts = async (table: string) =>
      (await loadSnapshot(f.ctx(table).storage, { parquetReader: f.engine.parquetReader })).files
        .map((x) => [x.path.split('/')[0], x.partitionValues.p, JSON.parse(x.stats!).numRecords])
        .sort();
    await writeTable(f.ctx('one'), { sql: `SELECT i AS id, 'a' AS p FROM range(5) r(i)` }, { schema, partitionBy: ['p'] });
    await writeTable(f.ctx('one'), { sql: `SELECT i AS id, '' AS p FROM range(3) r(i)` }, { schema, partitionBy: ['p'] });
    await appendRows(f.ctx('one'), [{ id: 9, p: null }], { schema, partitionBy: ['p'] });
    expect(await parts('one')).toEqual([['p=__HIVE_DEFAULT_PARTITION__', null, 1], ['p=__HIVE_DEFAULT_PARTITION__', null, 3], ['p=a', 'a', 5]]);
    // Typed partition columns: a timestamp with microseconds; 0.0 and -0.0 (equal, but serialized apart).
    const typed: StructType = { kind: 'struct', fields: [field('id', primitive('long')), field('ts', primitive('timestamp')), field('d', primitive('double'))] };
    await writeTable(f.ctx('typed'), { sql: `SELECT i AS id, TIMESTAMPTZ '2024-01-01 00:00:00.000001+00' AS ts, 1.5 AS d FROM range(2) r(i)` }, { schema: typed, partitionBy: ['ts', 'd'] });
    await writeTable(f.ctx('typed'), { sql: `SELECT i AS id, NULL AS ts, CASE WHEN i = 0 THEN '-0.0'::DOUBLE ELSE 0.0 END AS d FROM range(4) r(i)` }, { schema: typed, partitionBy: ['ts', 'd'] });
    const typedParts = (await loadSnapshot(f.ctx('typed').storage, { parquetReader: f.engine.parquetReader })).files.map((x) => [x.partitionValues.ts, x.partitionValues.d, JSON.parse(x.stats!).numRecords]).sort();
    expect(typedParts).toEqual([[null, '-0.0', 1], [null, '0.0', 3], ['2024-01-01T00:00:00.000001Z', '1.5', 2]]);
    // The partition probe sees only 'a'; the COPY then meets 'b' and the write falls back to partitioned output.
    await f.engine.query('CREATE SEQUENCE IF NOT EXISTS drift_seq');
    const drift = `SELECT i AS id, CASE WHEN nextval('drift_seq') <= 9 THEN 'a' ELSE 'b' END AS p FROM range(6) r(i)`;
    expect((await writeTable(f.ctx('drift'), { sql: drift }, { schema, partitionBy: ['p'] })).numOutputRows).toBe(6);
    expect(await parts('drift')).toEqual([['p=b', 'b', 6]]);
  });

  it('reject a null in a non-nullable column with its row, storing no data file', async () => {
    const schema: StructType = { kind: 'struct', fields: [field('id', primitive('long'), false), field('p', primitive('string'), false)] };
    const sql = `SELECT CASE WHEN i = 4 THEN NULL ELSE i END AS id, 'x' AS p FROM range(6) r(i)`;
    await expect(writeTable(f.ctx('nn'), { sql }, { schema, partitionBy: ['p'] })).rejects.toThrow(/^row 4, column id: null in a non-nullable column/);
    const nullPart = `SELECT i AS id, CASE WHEN i = 2 THEN NULL ELSE 'x' END AS p FROM range(6) r(i)`;
    await expect(writeTable(f.ctx('nn'), { sql: nullPart }, { schema, partitionBy: ['p'] })).rejects.toThrow(/^row 2, column p: null in a non-nullable column/);
    expect(await readdir(join(f.dir)).then((d) => d.includes('nn'))).toBe(false);
  });
});

describe('snapshot cache', () => {
  it('refreshes with commits other writers made in between, so versions and txns stay right', async () => {
    const schema: StructType = { kind: 'struct', fields: [field('id', primitive('long'))] };
    const snapshots = new Map();
    const cached = { ...f.ctx('cached'), snapshots };
    expect((await appendRows(cached, [{ id: 1 }], { schema })).version).toBe(0);
    expect((await appendRows(cached, [{ id: 2 }], { txns: [{ appId: 'sink', version: 1 }] })).version).toBe(1);
    expect((await appendRows(f.ctx('cached'), [{ id: 3 }], { txns: [{ appId: 'sink', version: 2 }] })).version).toBe(2);
    expect((await appendRows(cached, [{ id: 3 }], { txns: [{ appId: 'sink', version: 2 }] })).status).toBe('alreadyCommitted');
    expect((await appendRows(cached, [{ id: 4 }])).version).toBe(3);
    expect(snapshots.get(cached.storage.root)?.version).toBe(2); // what the last write read; the next one refreshes
    expect(canonRows(await readOurs(f, 'cached')).map((r) => r.id)).toEqual(['1', '2', '3', '4']);
  });
});
