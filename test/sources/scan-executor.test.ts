/**
 * The scan executor's rows and export against handmade tables: predicates (bound, pruned) give exactly the rows the same
 * filter gives as plain SQL over all files; partition values with nulls and special characters; schema evolution;
 * ordering and paging; exports; refusals and deadlines.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import type { Predicate } from '../../src/delta/scan/predicate.ts';
import { createDuckDbEngine, type DuckDbEngine, QueryTimeoutError } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createScanExecutor, type ScanExecutor } from '../../src/sources/duckdb/scan-executor.ts';
import type { TableScanRequest } from '../../src/sources/duckdb/scan-request.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { writeHandmadeTable } from '../support/handmade-table.ts';
import { canonicalRows } from '../support/scan-helpers.ts';

const SPECIAL = "a'b/ c%3A😈";
const specialDir = `kind=${encodeURIComponent(SPECIAL).replace(/'/g, '%27')}`;

function dataSelect(from: number, extra = ''): string {
  return `SELECT i::BIGINT AS id, CASE WHEN i % 2 = 0 AND i BETWEEN 10 AND 19 THEN NULL ELSE 'n' || i END AS name,
    CASE WHEN i = 25 THEN 'NaN'::DOUBLE ELSE i * 1.5 END AS score,
    TIMESTAMPTZ '2021-01-01 00:00:00+00' + to_microseconds(i * 1000001) AS at, (i * 1.25)::DECIMAL(10,2) AS amount ${extra}
    FROM range(${from}, ${from + 10}) t(i)`;
}

describe('scans of a handmade partitioned table', () => {
  let engine: DuckDbEngine;
  let scans: ScanExecutor;
  let dir: string;
  let base: TableScanRequest;
  /** The request's rows as JSON-safe values. */
  const readJson = (request: TableScanRequest, timeoutMs?: number) => scans.rows(request, { values: 'json', timeoutMs });
  beforeAll(async () => {
    engine = await createDuckDbEngine();
    scans = createScanExecutor({ engine });
    dir = mkdtempSync(join(tmpdir(), 'delta-scan-'));
    const root = join(dir, 'events');
    const stats = ['id', 'name', 'score', 'at', 'amount'];
    await writeHandmadeTable(engine, root, [
      {
        schema: [
          { name: 'id', type: 'long' },
          { name: 'name', type: 'string' },
          { name: 'score', type: 'double' },
          { name: 'at', type: 'timestamp' },
          { name: 'amount', type: 'decimal(10,2)' },
          { name: 'day', type: 'date' },
          { name: 'kind', type: 'string' },
        ],
        partitionColumns: ['day', 'kind'],
        files: [
          { diskPath: 'day=2021-01-01/kind=a/f0.parquet', logPath: 'day=2021-01-01/kind=a/f0.parquet', select: dataSelect(0), partitionValues: { day: '2021-01-01', kind: 'a' }, statsColumns: stats },
          { diskPath: `day=2021-01-02/${specialDir}/f1.parquet`, logPath: `day=2021-01-02/${encodeURIComponent(specialDir)}/f1.parquet`, select: dataSelect(10), partitionValues: { day: '2021-01-02', kind: SPECIAL }, statsColumns: stats },
          { diskPath: 'nulls/f2.parquet', logPath: 'nulls/f2.parquet', select: dataSelect(20), partitionValues: { day: null, kind: '' }, statsColumns: stats },
          { diskPath: 'f3.parquet', logPath: 'f3.parquet', select: dataSelect(30), partitionValues: { day: '2021-01-02', kind: 'a' } },
        ],
      },
    ]);
    const storage = createLocalStorage(root);
    base = { storage, snapshot: await loadSnapshot(storage, { parquetReader: engine.parquetReader }) };
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, Predicate, string, number?][] = [
    ['eq on a data column', { op: 'eq', column: 'id', value: 15 }, 'id = 15', 2],
    ['gt', { op: 'gt', column: 'id', value: 25 }, 'id > 25', 2],
    ['eq on a special-character partition', { op: 'eq', column: 'kind', value: SPECIAL }, `kind = 'a''b/ c%3A😈'`, 1],
    ['isNull on a null partition', { op: 'isNull', column: 'day' }, 'day IS NULL', 1],
    ['empty-string partition is null', { op: 'isNull', column: 'kind' }, 'kind IS NULL', 1],
    ['ne skips null partitions', { op: 'ne', column: 'kind', value: 'a' }, `kind <> 'a'`, 1],
    ['not in', { not: { op: 'in', column: 'id', values: [1, 2, 3] } }, 'NOT (id IN (1, 2, 3))'],
    ['or with isNull', { or: [{ op: 'lt', column: 'score', value: 3 }, { op: 'isNull', column: 'name' }] }, 'score < 3 OR name IS NULL'],
    ['timestamps', { op: 'gte', column: 'at', value: '2021-01-01T00:00:35Z' }, `"at" >= TIMESTAMPTZ '2021-01-01 00:00:35+00'`, 1],
    ['decimals', { op: 'lte', column: 'amount', value: '5.00' }, 'amount <= 5.00', 2],
    ['and across partition and data', { and: [{ op: 'eq', column: 'day', value: '2021-01-02' }, { op: 'gt', column: 'id', value: 12 }] }, `day = DATE '2021-01-02' AND id > 12`],
    ['NaN is above every number', { op: 'gt', column: 'score', value: 1000 }, 'score > 1000'],
    ['eq on strings', { op: 'eq', column: 'name', value: 'n5' }, `name = 'n5'`],
    ['lt on dates', { op: 'lt', column: 'day', value: '2021-01-02' }, `day < DATE '2021-01-02'`, 1],
    ['startsWith on data', { op: 'startsWith', column: 'name', value: 'n3' }, `starts_with(name, 'n3')`, 2],
    ['contains on a partition', { op: 'contains', column: 'kind', value: '😈' }, `contains(kind, '😈')`, 1],
    ['not startsWith', { not: { op: 'startsWith', column: 'kind', value: 'a' } }, `NOT starts_with(kind, 'a')`, 0],
    ['not and', { not: { and: [{ op: 'gte', column: 'id', value: 5 }, { op: 'lte', column: 'id', value: 34 }] } }, 'NOT (id >= 5 AND id <= 34)'],
  ];

  for (const [name, predicate, sql, scanned] of cases) {
    it(`${name}: same rows as the plain SQL filter over every file`, async () => {
      const pruned = await readJson({ ...base, predicate });
      const plain = await readJson({ ...base, rawWhere: sql });
      expect(plain.figures.filesScanned).toBe(4);
      expect(canonicalRows(pruned.rows)).toEqual(canonicalRows(plain.rows));
      if (scanned !== undefined) expect(pruned.figures.filesScanned).toBe(scanned);
    });
  }

  it('returns typed partition values, JSON-safe', async () => {
    const { rows, columns } = await readJson({ ...base, predicate: { op: 'in', column: 'id', values: [1, 11, 21] }, orderBy: [{ column: 'id' }] });
    expect(columns.map((c) => c.name)).toEqual(['id', 'name', 'score', 'at', 'amount', 'day', 'kind']);
    expect(rows).toEqual([
      { id: '1', name: 'n1', score: 1.5, at: '2021-01-01T00:00:01.000001Z', amount: '1.25', day: '2021-01-01', kind: 'a' },
      { id: '11', name: 'n11', score: 16.5, at: '2021-01-01T00:00:11.000011Z', amount: '13.75', day: '2021-01-02', kind: SPECIAL },
      { id: '21', name: 'n21', score: 31.5, at: '2021-01-01T00:00:21.000021Z', amount: '26.25', day: null, kind: null },
    ]);
  });

  it('projects, orders and pages', async () => {
    const { rows } = await readJson({ ...base, columns: ['kind', 'id'], orderBy: [{ column: 'id', direction: 'desc' }], limit: 3, offset: 2 });
    expect(rows).toEqual([{ kind: 'a', id: '37' }, { kind: 'a', id: '36' }, { kind: 'a', id: '35' }]);
  });

  it('pages stably with stableOrder', async () => {
    const pages = [];
    for (let offset = 0; offset < 40; offset += 7) {
      pages.push(...(await readJson({ ...base, columns: ['id'], stableOrder: true, limit: 7, offset })).rows.map((r) => r.id));
    }
    expect(new Set(pages).size).toBe(40);
    const again = await readJson({ ...base, columns: ['id'], stableOrder: true, limit: 7, offset: 14 });
    expect(again.rows.map((r) => r.id)).toEqual(pages.slice(14, 21));
  });

  it('refuses unknown columns with INVALID_ARGUMENT', async () => {
    await expect(readJson({ ...base, columns: ['nope'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(readJson({ ...base, predicate: { op: 'eq', column: 'nope', value: 1 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('interrupts a query at its deadline', async () => {
    const slow = readJson({ ...base, rawWhere: '(SELECT count(*) FROM range(10000000000) a) > 0' }, 100);
    await expect(slow).rejects.toBeInstanceOf(QueryTimeoutError);
    expect((await readJson({ ...base, columns: ['id'] })).rows).toHaveLength(40); // connection still usable
  });

  it('exports parquet, csv and JSON lines', async () => {
    for (const format of ['parquet', 'csv', 'jsonl'] as const) {
      const output = join(dir, `out.${format}`);
      const result = await scans.export({ ...base, predicate: { op: 'lt', column: 'id', value: 15 } }, { format, output });
      expect(result.rowsWritten).toBe(15);
      if (format === 'jsonl') {
        const lines = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
        expect(lines).toHaveLength(15);
        expect(lines.find((l) => l.id === 11)).toMatchObject({ kind: SPECIAL, day: '2021-01-02' });
      }
      if (format === 'csv') expect(readFileSync(output, 'utf8').split('\n')[0]).toBe('id,name,score,at,amount,day,kind');
      if (format === 'parquet') expect((await engine.query(`SELECT count(*) AS n FROM read_parquet('${output}')`))[0]!.n).toBe(15n);
    }
  });
});

describe('scans across schema evolution', () => {
  let engine: DuckDbEngine;
  let dir: string;
  beforeAll(async () => {
    engine = await createDuckDbEngine();
    dir = mkdtempSync(join(tmpdir(), 'delta-scan-evo-'));
    const v0 = [{ name: 'id', type: 'long' }];
    const v1 = [...v0, { name: 'extra', type: 'string' }, { name: 'when', type: 'timestamp_ntz' }];
    await writeHandmadeTable(engine, join(dir, 't'), [
      { schema: v0, files: [{ diskPath: 'a.parquet', logPath: 'a.parquet', select: 'SELECT 1::BIGINT AS id' }] },
      { schema: v1 },
      { files: [{ diskPath: 'b.parquet', logPath: 'b.parquet', select: `SELECT 2::BIGINT AS id, 'x' AS extra` }] },
      { remove: ['a.parquet', 'b.parquet'] },
    ]);
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function read(version: number, predicate?: Predicate) {
    const storage = createLocalStorage(join(dir, 't'));
    const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader, version });
    return createScanExecutor({ engine }).rows({ storage, snapshot, predicate, orderBy: [{ column: 'id' }] }, { values: 'json' });
  }

  it('reads a column no file has yet as NULL of its type', async () => {
    expect((await read(0)).rows).toEqual([{ id: '1' }]);
    expect((await read(1)).rows).toEqual([{ id: '1', extra: null, when: null }]);
    expect((await read(1, { op: 'isNull', column: 'extra' })).rows).toHaveLength(1);
  });

  it('reads older files without the column as NULL next to newer files with it', async () => {
    expect((await read(2)).rows).toEqual([{ id: '1', extra: null, when: null }, { id: '2', extra: 'x', when: null }]);
  });

  it('reads a column stored with different physical types in different files', async () => {
    const root = join(dir, 'mixed-types');
    await writeHandmadeTable(engine, root, [
      {
        schema: [{ name: 'id', type: 'long' }],
        files: [
          { diskPath: 'a.parquet', logPath: 'a.parquet', select: 'SELECT 1::INTEGER AS id' },
          { diskPath: 'b.parquet', logPath: 'b.parquet', select: 'SELECT 5000000000::BIGINT AS id' },
        ],
      },
    ]);
    const storage = createLocalStorage(root);
    const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader });
    const { rows } = await createScanExecutor({ engine }).rows({ storage, snapshot, orderBy: [{ column: 'id' }] }, { values: 'json' });
    expect(rows).toEqual([{ id: '1' }, { id: '5000000000' }]);
  });

  it('gives an empty result with the right columns when no file is live', async () => {
    const result = await read(3);
    expect(result.rows).toEqual([]);
    expect(result.columns.map((c) => c.name)).toEqual(['id', 'extra', 'when']);
    expect(result.figures).toEqual({ filesTotal: 0, filesScanned: 0, filesSkipped: 0, bytesScanned: 0, rowsScanned: 0 });
  });
});
