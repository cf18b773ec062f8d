/**
 * Every corpus table with data files is exported through the gateway's reader; the row count must equal
 * INDEX.md's "Live … N rows" figure (parquet rows minus deletion-vector cardinality), or the table must be refused
 * with a DeltaError (never a wrong count or a raw engine error): only unknown reader features, reader version 5
 * and the `void` type are refused. Typed values are spot-checked on tables chosen for their types and encodings.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isDeltaError } from '../../src/delta/errors.ts';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createScanExecutor } from '../../src/sources/duckdb/scan-executor.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { corpusRoot, corpusTable, describeCorpus, hasCorpus } from '../support/corpus.ts';
import { canonicalRows, readTable } from '../support/scan-helpers.ts';

interface IndexEntry {
  path: string;
  rows?: number;
  logOnly: boolean;
}

/** INDEX.md rows: table folder, the live row count (files' or stats' estimate) and whether data files are absent. */
function indexEntries(): IndexEntry[] {
  if (!hasCorpus) return [];
  const entries: IndexEntry[] = [];
  let group = '';
  for (const line of readFileSync(join(corpusRoot, 'INDEX.md'), 'utf8').split('\n')) {
    group = /^## (\S+)/.exec(line)?.[1] ?? group;
    if (!line.startsWith('| ') || line.startsWith('| Table')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const live = cells.find((c) => /^\d+ files/.test(c)) ?? '';
    const rows = /, (\d+) rows/.exec(live)?.[1];
    entries.push({
      path: group === 'dat-early' ? `${group}/${cells[0]}/delta` : `${group}/${cells[0]}`,
      rows: rows === undefined ? undefined : Number(rows),
      logOnly: line.includes('LOG-ONLY'),
    });
  }
  return entries;
}

/**
 * delta-spark's table-with-dv-special-char names its DV by absolute path with a `{{FOLDER_WITH_SPECIAL_CHAR}}`
 * placeholder its own test fills in; a copy gets the real `file:` URL of the folder holding the DV file.
 */
function specialCharCopy(outDir: string): string {
  const copy = join(outDir, 'table-with-dv-special-char');
  cpSync(corpusTable('delta-spark/table-with-dv-special-char'), copy, { recursive: true });
  const folder = pathToFileURL(join(copy, 'folder&with%special char')).href;
  for (const name of readdirSync(join(copy, '_delta_log'))) {
    const file = join(copy, '_delta_log', name);
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('file:{{FOLDER_WITH_SPECIAL_CHAR}}', folder));
  }
  return copy;
}

describeCorpus('corpus tables export with the indexed row counts', () => {
  let engine: DuckDbEngine;
  let outDir: string;
  const outcomes = { loaded: 0, refused: new Map<string, number>() };
  beforeAll(async () => {
    engine = await createDuckDbEngine();
    outDir = mkdtempSync(join(tmpdir(), 'delta-scan-corpus-'));
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(outDir, { recursive: true, force: true });
    console.info(`corpus: ${outcomes.loaded} exported with the indexed count; refused ${JSON.stringify(Object.fromEntries(outcomes.refused))}`);
  });

  const entries = indexEntries().filter((e) => !e.logOnly);
  it('finds the data-bearing tables in INDEX.md', () => {
    expect(entries.length).toBeGreaterThan(100);
  });

  for (const [i, entry] of entries.entries()) {
    it(`${entry.path}: ${entry.rows ?? '?'} rows or a DeltaError`, async () => {
      const storage = createLocalStorage(entry.path.endsWith('dv-special-char') ? specialCharCopy(outDir) : corpusTable(entry.path));
      try {
        const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader });
        const result = await createScanExecutor({ engine }).export({ storage, snapshot }, { format: 'parquet', output: join(outDir, `${i}.parquet`) });
        expect(result.rowsWritten).toBe(entry.rows);
        outcomes.loaded++;
      } catch (e) {
        if (!isDeltaError(e)) throw e;
        outcomes.refused.set(e.code, (outcomes.refused.get(e.code) ?? 0) + 1);
        expect(e.code).toMatch(/UNSUPPORTED_FEATURE|TABLE_NOT_FOUND/);
        expect(e.message).toMatch(/unknown to this reader|reader version 5|"void"|no commit or checkpoint/);
      }
    });
  }
});

describeCorpus('typed values of selected corpus tables', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await createDuckDbEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('basic-decimal-table: decimal partition and data values are exact strings', async () => {
    const { rows } = await readTable(engine, corpusTable('delta-kernel-rs/basic-decimal-table'));
    expect(canonicalRows(rows)).toEqual(
      canonicalRows([
        { part: '2342222.23454', col1: '111.11', col2: '22222.22222', col3: '3333333333.3333333333' },
        { part: '234.00000', col1: '1.00', col2: '2.00000', col3: '3.0000000000' },
        { part: '0.00004', col1: '0.00', col2: '0.00000', col3: '0.0000000000' },
        { part: '-2342342.23423', col1: '-999.99', col2: '-99999.99999', col3: '-9999999999.9999999999' },
      ]),
    );
  });

  it('data-reader-timestamp_ntz: wall-clock timestamps with microseconds, null partitions', async () => {
    const { rows } = await readTable(engine, corpusTable('delta-kernel-rs/data-reader-timestamp_ntz'));
    const a = '2013-07-05T17:01:00.123456';
    const b = '2021-11-18T02:30:00.123456';
    const expected = ([
      [0, b, b], [1, a, b], [2, null, b], [3, b, a], [4, a, a], [5, null, a], [6, b, null], [7, a, null], [8, null, null],
    ] as [number, string | null, string | null][]).map(([id, tsNtz, tsNtzPartition]) => ({ id, tsNtz, tsNtzPartition }));
    expect(canonicalRows(rows)).toEqual(canonicalRows(expected));
  });

  it('mixed-nulls: all-null, mixed and non-null files per partition', async () => {
    const { rows } = await readTable(engine, corpusTable('delta-kernel-rs/mixed-nulls'));
    expect(rows).toHaveLength(15);
    for (const row of rows) {
      const id = Number(row.id);
      expect(row.part).toBe(String(id % 3));
      expect(row.value).toBe(`value-${id}`);
      const n = id % 3 === 0 ? null : id % 3 === 1 ? 'non-null' : id % 6 === 5 ? 'non-null-mix' : null;
      expect(row.n).toBe(n);
    }
  });

  it('multi_partitioned: %-encoded paths, escaped and non-ASCII partition values, binary partitions', async () => {
    const { rows } = await readTable(engine, corpusTable('dat-early/multi_partitioned/delta'));
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    expect(canonicalRows(rows)).toEqual(
      canonicalRows([
        { letter: '/%20%f', date: '1970-01-01', data: b64('hello'), number: '6' },
        { letter: 'b', date: '1970-01-01', data: b64('😈'), number: '7' },
      ]),
    );
    const v1 = await readTable(engine, corpusTable('dat-early/multi_partitioned/delta'), 1);
    expect(v1.rows.filter((r) => r.letter === null && r.date === null && r.data === null)).toHaveLength(1);
  });

  it('delta-0.8.0-special-partition: partition values with spaces and slashes', async () => {
    const { rows } = await readTable(engine, corpusTable('delta-rs/delta-0.8.0-special-partition'));
    expect(canonicalRows(rows)).toEqual(canonicalRows([{ x: 'A/A', y: '1' }, { x: 'B B', y: '2' }]));
  });

  it('type-widening: older files with narrower types read as the widened types', async () => {
    const { rows } = await readTable(engine, corpusTable('delta-kernel-rs/type-widening'));
    const old = rows.find((r) => r.byte_long === '1')!;
    expect(old).toMatchObject({ int_long: '2', byte_double: 5, decimal_decimal_greater_scale: '67.89000', int_decimal: '3.0', date_timestamp_ntz: '2024-09-09T00:00:00.000000' });
    expect(rows.find((r) => r.byte_long === '9223372036854775807')).toMatchObject({ long_decimal: '123456789012345678.9' });
  });

  it('column mapping: physical names and field ids read under logical names (nested and partitions too)', async () => {
    const { rows } = await readTable(engine, corpusTable('delta-rs/table_with_column_mapping'));
    expect(rows).toContainEqual({ 'Company Very Short': 'BME', 'Super Name': 'Timothy Lamb' });
    const byId = await readTable(engine, corpusTable('delta-kernel-java/column-mapping-id'));
    expect(byId.rows.map((r) => Number(r.value)).sort((a, b) => a - b)).toHaveLength(20);
    const parts = await readTable(engine, corpusTable('delta-kernel-java/data-reader-partition-values-column-mapping-name'));
    expect(parts.rows.filter((r) => r.as_int === null)).toHaveLength(1);
    expect(parts.rows.some((r) => r.as_string === '0' && r.as_date !== null)).toBe(true);
  });

  it('variants: binary {metadata, value} pairs and DuckDB-annotated files read as JSON text', async () => {
    const basic = await readTable(engine, corpusTable('duckdb-delta/variant__basic'));
    expect(JSON.parse(String(basic.rows[0]!.data))).toEqual({ a: 'test', b: [21, 'test', true, { c: 42 }] });
    const spark = await readTable(engine, corpusTable('delta-rs/spark-variant-checkpoint'));
    const zero = spark.rows.find((r) => r.id === '0')!;
    expect(JSON.parse(String(zero.v))).toEqual({ key: 0 });
    expect((zero.array_of_variants as unknown[]).map((v) => (v === null ? null : JSON.parse(String(v))))).toEqual([{ key: 0 }, null, { key: 0 }, null, { key: 0 }]);
  });
});
