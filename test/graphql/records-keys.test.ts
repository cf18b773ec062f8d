/**
 * `record` / `records` without Redis: every key comes from the scan fallback, whose predicate is `key IN (...)`
 * with the keys as bound parameters coerced to the key column's type. Hostile keys (quotes, backslashes, LIKE
 * wildcards, unicode, control characters, NUL, SQL) find exactly their row or null; a key that cannot be of the
 * column's type matches nothing without a scan; and the key predicate prunes files by the column's stats.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTable } from '../../src/delta/writer/write/write-table.ts';
import { field, primitive } from '../../src/delta/writer/write/schema-json.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../../src/sources/duckdb/duckdb-sql-engine.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { appendItems } from '../support/items-table.ts';
import { startGateway, stopGateways, type TestGateway } from '../support/gateway.ts';

/** Keys present in the `codes` table, with their row numbers. */
const HOSTILE = ["it's", 'back\\slash', '100%', 'a_b', 'ünïcode 😈', '"quoted"', "'); DROP TABLE t; --", 'tab\tnew\nline', '$1'];
/** Keys that look like one of them to a careless filter (doubled quotes, LIKE patterns, case, trimming) but are absent. */
const ABSENT = ["it''s", 'back\\\\slash', 'back\\', '100', '%', 'a%b', 'a.b', '_', 'ÜNÏCODE 😈', 'quoted', 'a\u0000b', '', ' $1', '$2'];

let lake: string;
let engine: DuckDbEngine;
let gw: TestGateway;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-record-keys-'));
  engine = await createDuckDbEngine();
  const ctx = { storage: createLocalStorage(join(lake, 'codes')), sql: createDuckDbSqlEngine(engine), parquetReader: engine.parquetReader };
  const schema = { kind: 'struct' as const, fields: [field('code', primitive('string')), field('n', primitive('long'))] };
  // Two commits, so two files: the hostile keys split between them.
  const rows = HOSTILE.map((code, n) => ({ code, n: BigInt(n) }));
  await writeTable(ctx, { rows: rows.slice(0, 4) }, { schema });
  await writeTable(ctx, { rows: rows.slice(4) });
  for (const [from, to] of [[0, 300], [300, 600], [600, 900]] as const) await appendItems(engine, lake, 'items', from, to);
  const tablesFile = join(lake, 'tables.json');
  await writeFile(tablesFile, JSON.stringify({ tables: [
    { name: 'codes', location: join(lake, 'codes'), roles: { key: 'code' } },
    { name: 'items', location: join(lake, 'items'), roles: { key: 'id' } },
  ] }));
  gw = await startGateway({ LAKE_ROOT: lake, TABLES_FILE: tablesFile, CACHE_ENABLED: 'false' }, { engine });
});

afterAll(async () => {
  await stopGateways();
  await engine?.close();
  if (lake) await rm(lake, { recursive: true, force: true });
});

type Row = Record<string, unknown> | null;

async function records(table: string, keys: string[]) {
  const res = await gw.gql<{ records: Row[] }>('query($table: String!, $keys: [String!]!) { records(table: $table, keys: $keys) }', { table, keys });
  expect(res.errors).toBeUndefined();
  return { rows: res.data!.records, scan: res.extensions!.delta.scan as { filesTotal: number; filesScanned: number; filesSkipped: number } };
}

describe('record keys as bound parameters', () => {
  it('finds each hostile key exactly, and nothing for look-alikes', async () => {
    const { rows } = await records('codes', [...HOSTILE, ...ABSENT]);
    expect(rows.slice(0, HOSTILE.length)).toEqual(HOSTILE.map((code, n) => ({ code, n: String(n) })));
    expect(rows.slice(HOSTILE.length)).toEqual(ABSENT.map(() => null));
    for (const [n, code] of HOSTILE.entries()) {
      const one = await gw.gql<{ record: Row }>('query($key: String!) { record(table: "codes", key: $key) }', { key: code });
      expect(one.data!.record, code).toEqual({ code, n: String(n) });
    }
  });

  it('matches nothing, without a scan, for keys that cannot be values of a numeric key column', async () => {
    const { rows, scan } = await records('items', ['4x', 'nope', '1e3', '42.0', "42' OR '1'='1", '99999999999999999999']);
    expect(rows).toEqual([null, null, null, null, null, null]);
    expect(scan.filesTotal).toBe(0); // no scan ran
    const mixed = await records('items', ['42', 'nope', '0', '-0', ' 42']);
    expect(mixed.rows.map((r) => r?.id ?? null)).toEqual(['42', null, '0', null, null]);
    expect(mixed.rows[0]).toMatchObject({ id: '42', name: 'item-42', qty: 42 });
  });

  it('prunes files by the key column stats', async () => {
    const { rows, scan } = await records('items', ['450', '451']);
    expect(rows.map((r) => r?.id)).toEqual(['450', '451']);
    expect(scan).toMatchObject({ filesTotal: 3, filesScanned: 1, filesSkipped: 2 });
    const strings = await records('codes', ['ünïcode 😈']);
    expect(strings.rows).toEqual([{ code: 'ünïcode 😈', n: '4' }]);
    expect(strings.scan.filesScanned).toBeLessThan(strings.scan.filesTotal);
  });
});
