/**
 * Append throughput of our writer against delta-rs `write_deltalake`, same input: demo log rows (10k and 100k)
 * generated once into a parquet file under .cache/bench/. Both sides append the rows from memory: delta-rs a
 * pyarrow table read from that file before its timer starts, ours a DuckDB in-memory table loaded from it (SQL
 * source); ours also appends the same rows as JS objects (the ingest sink's path). delta-rs is timed inside
 * Python. Rounds alternate ours from SQL with delta-rs (a fresh Python process), each timing one append
 * right after an untimed warm-up append, so load from other jobs on a shared machine hits both alike; the
 * JS-object rounds follow. Medians
 * over 7 rounds. Our writer keeps its snapshot between appends (WriterContext.snapshots), as a long-lived
 * writer such as the ingest sink does.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { appendRows, writeTable } from '../src/delta/writer/write/write-table.ts';
import { demoLogsDaySql, LOGS_SCHEMA } from '../src/demo/demo-logs.ts';
import { createDuckDbEngine } from '../src/sources/duckdb/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../src/sources/duckdb/duckdb-sql-engine.ts';
import { createLocalStorage } from '../src/sources/storage/local-storage.ts';
import { performance } from 'node:perf_hooks';
import { median, type BenchResult, repoRoot, runPythonJson } from './support.ts';

const RUNS = 7;
const CACHE = join(repoRoot, '.cache/bench');

const PY_APPEND = `
import time, shutil, pyarrow.parquet as pq
from deltalake import write_deltalake, WriterProperties
t = pq.read_table(INPUT["input"])
shutil.rmtree(INPUT["path"], ignore_errors=True)
# Default (snappy), or the codec our writer uses (zstd) for a same-codec comparison.
props = WriterProperties(compression=INPUT["compression"]) if INPUT["compression"] else None
write_deltalake(INPUT["path"], t, mode="append", partition_by=["date"], writer_properties=props)
times = []
for _ in range(INPUT["runs"]):
    t0 = time.perf_counter()
    write_deltalake(INPUT["path"], t, mode="append", partition_by=["date"], writer_properties=props)
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps(times))
`;

async function elapsed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function run(): Promise<BenchResult[]> {
  mkdirSync(CACHE, { recursive: true });
  const engine = await createDuckDbEngine();
  const sql = createDuckDbSqlEngine(engine);
  const results: BenchResult[] = [];
  try {
    for (const n of [10_000, 100_000]) {
      const input = join(CACHE, `append-input-${n}.parquet`);
      await engine.query(`COPY (${demoLogsDaySql({ date: '2024-01-01', rows: n, users: 1000, anomalies: [] })}) TO '${input}' (FORMAT parquet, COMPRESSION zstd)`);
      const mb = statSync(input).size / 1e6;
      const jsRows = (await engine.query(`SELECT * FROM read_parquet('${input}')`));
      // The rows in memory, as delta-rs gets them (a pyarrow table read before its timer starts): a table in
      // DuckDB's in-memory catalog. Reading the parquet file inside the timed append costs ours 7-11 ms more.
      const memoryTable = `append_input_${n}`;
      await engine.query(`CREATE OR REPLACE TABLE ${memoryTable} AS SELECT * FROM read_parquet('${input}')`);
      const tables = { sql: join(CACHE, `append-ours-sql-${n}`), js: join(CACHE, `append-ours-js-${n}`), rs: join(CACHE, `append-delta-rs-${n}`) };
      for (const t of Object.values(tables)) rmSync(t, { recursive: true, force: true });
      const snapshots = new Map();
      const ctx = (path: string) => ({ storage: createLocalStorage(path), sql, parquetReader: engine.parquetReader, snapshots });
      const opts = { schema: LOGS_SCHEMA, partitionBy: ['date'] };
      const appendSql = () => writeTable(ctx(tables.sql), { sql: `SELECT * FROM ${memoryTable}` }, opts);
      const appendJs = () => appendRows(ctx(tables.js), jsRows, opts);
      await appendSql(); // warm-ups; delta-rs warms up inside each Python run
      await appendJs();
      const oursSql: number[] = [];
      const oursJs: number[] = [];
      const rs: number[] = [];
      const rsZstd: number[] = [];
      for (let round = 0; round < RUNS; round++) {
        // Both sides time one append right after an untimed one, as the Python side warms up in its fresh
        // process: after the other side's run, our DuckDB threads and caches are cold too (about 8 ms at 10k rows).
        await appendSql();
        oursSql.push(await elapsed(appendSql));
        rs.push(...runPythonJson<number[]>(PY_APPEND, { input, path: tables.rs, runs: 1, compression: null }));
        rsZstd.push(...runPythonJson<number[]>(PY_APPEND, { input, path: tables.rs, runs: 1, compression: 'ZSTD' }));
      }
      // The JS-object appends run after: their garbage (a JS object per row) would otherwise be collected during
      // the next SQL-source append and charge it for another path's work.
      for (let round = 0; round < RUNS; round++) oursJs.push(await elapsed(appendJs));
      const rate = (ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en')} rows/s, ${(mb / (ms / 1000)).toFixed(1)} MB/s`;
      results.push({ case: `append ${n / 1000}k log rows (in memory)`, ours: oursSql, baselineName: 'delta-rs write_deltalake', baseline: rs, note: `ours ${rate(median(oursSql))}; delta-rs ${rate(median(rs))}` });
      results.push({ case: `append ${n / 1000}k log rows (in memory), same codec`, ours: oursSql, baselineName: 'delta-rs, zstd', baseline: rsZstd, note: `delta-rs ${rate(median(rsZstd))}` });
      results.push({ case: `append ${n / 1000}k log rows (JS objects)`, ours: oursJs, baselineName: 'delta-rs write_deltalake', baseline: rs, note: `ours ${rate(median(oursJs))}` });
    }
  } finally {
    await engine.close();
  }
  return results;
}
