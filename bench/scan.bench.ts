/**
 * An aggregate over a 5M-row table written by delta-rs (10 appends of 500k rows, cached in .cache/bench/):
 * ours end to end (loadSnapshot + the scan executor: plan, scan context, DuckDB over the scan) against raw DuckDB read_parquet on the same
 * files (goal: ratio <= 1.15; the two alternate run by run) and against delta-rs QueryBuilder (DataFusion) on the same SQL. Medians of 5.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot } from '../src/delta/snapshot/load-snapshot.ts';
import { quoteString } from '../src/delta/scan/sql-text.ts';
import { createScanExecutor } from '../src/sources/duckdb/scan-executor.ts';
import { createDuckDbEngine } from '../src/sources/duckdb/duckdb-engine.ts';
import { createLocalStorage } from '../src/sources/storage/local-storage.ts';
import { type BenchResult, repoRoot, runPythonJson, timeInterleaved } from './support.ts';

const RUNS = 5;
const TABLE = join(repoRoot, '.cache/bench/scan-5m');
const AGG = (from: string) =>
  `SELECT category, sum(value) AS total, avg(qty) AS avg_qty, count(*) AS n FROM ${from} GROUP BY category ORDER BY category`;

const PY_GENERATE = `
import pyarrow as pa, pyarrow.compute as pc
from deltalake import write_deltalake
cats = pa.array([f"cat_{i:02d}" for i in range(20)])
for part in range(10):
    n = 500_000
    ids = pa.array(range(part * n, (part + 1) * n), pa.int64())
    index = pc.cast(pc.floor(pc.multiply(pc.random(n), 20)), pa.int32())
    t = pa.table({
        "id": ids,
        "category": pc.take(cats, index),
        "value": pc.multiply(pc.random(n), 100),
        "qty": pc.cast(pc.add(pc.floor(pc.multiply(pc.random(n), 9)), 1), pa.int32()),
        "ts": pc.cast(pc.multiply(ids, 1_000_000), pa.timestamp("us", tz="UTC")),
    })
    write_deltalake(INPUT["path"], t, mode="append")
print(json.dumps({"ok": True}))
`;

const PY_QUERY = `
import time
from deltalake import DeltaTable, QueryBuilder
times, rows = [], 0
for i in range(INPUT["runs"] + 1):
    t = time.perf_counter()
    qb = QueryBuilder().register("t", DeltaTable(INPUT["path"]))
    result = qb.execute(INPUT["sql"]).read_all()
    rows = result.num_rows
    if i > 0: times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"times": times, "rows": rows}))
`;

export async function run(): Promise<BenchResult[]> {
  if (!existsSync(join(TABLE, '_delta_log'))) {
    process.stderr.write(`generating ${TABLE} with delta-rs (once)\n`);
    runPythonJson(PY_GENERATE, { path: TABLE });
  }
  const engine = await createDuckDbEngine();
  try {
    const storage = createLocalStorage(TABLE);
    const scans = createScanExecutor({ engine });
    let groups = 0;
    const files = readdirSync(TABLE).filter((f) => f.endsWith('.parquet')).map((f) => quoteString(join(TABLE, f)));
    const [ours, raw] = await timeInterleaved(RUNS, [
      async () => {
        const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader });
        const { rows } = await scans.aggregate({ storage, snapshot, columns: ['category', 'value', 'qty'] }, (scan) => ({ sql: AGG(`(${scan.sql}) AS s`), params: scan.params }));
        groups = rows.length;
      },
      () => engine.query(AGG(`read_parquet([${files.join(', ')}])`)),
    ]) as [number[], number[]];
    const theirs = runPythonJson<{ times: number[]; rows: number }>(PY_QUERY, { path: TABLE, runs: RUNS, sql: AGG('t') });
    if (groups !== 20 || theirs.rows !== 20) throw new Error(`unexpected group counts: ours ${groups}, delta-rs ${theirs.rows}`);
    return [
      { case: 'aggregate 5M rows (group by 20 categories)', ours, baselineName: 'raw DuckDB read_parquet', baseline: raw, note: 'goal <= 1.15' },
      { case: 'aggregate 5M rows (group by 20 categories)', ours, baselineName: 'delta-rs QueryBuilder', baseline: theirs.times },
    ];
  } finally {
    await engine.close();
  }
}
