/**
 * Scan of a deletion-vector table: 5M rows in 5 parquet files with 1M rows deleted (every 5th row, so bitmap
 * containers) through DVs in one UUID-named DV file, built by hand (DuckDB parquet + our DV encoder + a
 * hand-made commit) and cached in .cache/bench/ (deltalake 1.6.6 writes no DVs: its delete rewrites files).
 * count + sum against delta-rs QueryBuilder (kernel scan, reads DVs) on the same table, and on the same 4M live
 * rows stored without DVs (the table a rewrite leaves). Ours warm (DVs registered in DuckDB once) and cold (fresh
 * engine: DVs decoded and registered in the timed query).
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeDeletionVectorFile } from '../src/delta/deletion-vectors/deletion-vector-encoder.ts';
import { loadSnapshot } from '../src/delta/snapshot/load-snapshot.ts';
import { encodeZ85 } from '../src/delta/deletion-vectors/z85.ts';
import { createScanExecutor } from '../src/sources/duckdb/scan-executor.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../src/sources/duckdb/duckdb-engine.ts';
import { createLocalStorage } from '../src/sources/storage/local-storage.ts';
import { type BenchResult, repoRoot, runPythonJson, timeRuns } from './support.ts';

const RUNS = 5;
const FILES = 5;
const ROWS = 1_000_000;
const DV_TABLE = join(repoRoot, '.cache/bench/dv-5m');
const PLAIN_TABLE = join(repoRoot, '.cache/bench/dv-5m-rewritten');
const UUID = Uint8Array.from({ length: 16 }, (_, i) => 17 * i + 3);
const UUID_TEXT = Buffer.from(UUID).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
const AGG = (from: string) => `SELECT count(*) AS n, sum(value) AS total FROM ${from}`;
const SCHEMA = JSON.stringify({ type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }, { name: 'value', type: 'double', nullable: true, metadata: {} }] });

function writeLog(root: string, adds: object[], dv: boolean): void {
  mkdirSync(join(root, '_delta_log'), { recursive: true });
  const protocol = dv ? { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] } : { minReaderVersion: 1, minWriterVersion: 2 };
  const lines = [{ protocol }, { metaData: { id: 'bench', format: { provider: 'parquet', options: {} }, schemaString: SCHEMA, partitionColumns: [], configuration: {}, createdTime: 0 } }, ...adds.map((add) => ({ add }))];
  writeFileSync(join(root, '_delta_log', '00000000000000000000.json'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

async function generate(engine: DuckDbEngine): Promise<void> {
  rmSync(DV_TABLE, { recursive: true, force: true });
  rmSync(PLAIN_TABLE, { recursive: true, force: true });
  mkdirSync(DV_TABLE, { recursive: true });
  mkdirSync(PLAIN_TABLE, { recursive: true });
  const deleted = Array.from({ length: ROWS / 5 }, (_, i) => i * 5);
  const { bytes, dvs } = encodeDeletionVectorFile(Array.from({ length: FILES }, () => deleted));
  writeFileSync(join(DV_TABLE, `deletion_vector_${UUID_TEXT}.bin`), bytes);
  const dvAdds: object[] = [];
  const plainAdds: object[] = [];
  await engine.withConnection(async (c) => {
    for (let f = 0; f < FILES; f++) {
      const rows = `SELECT ${f * ROWS} + range AS id, (range % 1000) / 10.0 AS value FROM range(${ROWS})`;
      await c.run(`COPY (${rows}) TO '${join(DV_TABLE, `part-${f}.parquet`)}' (FORMAT parquet)`);
      await c.run(`COPY (SELECT * FROM (${rows}) WHERE (id - ${f * ROWS}) % 5 <> 0) TO '${join(PLAIN_TABLE, `part-${f}.parquet`)}' (FORMAT parquet)`);
      const base = { path: `part-${f}.parquet`, partitionValues: {}, modificationTime: 0, dataChange: true };
      const size = (root: string) => statSync(join(root, `part-${f}.parquet`)).size;
      dvAdds.push({ ...base, size: size(DV_TABLE), stats: JSON.stringify({ numRecords: ROWS }), deletionVector: { storageType: 'u', pathOrInlineDv: encodeZ85(UUID), ...dvs[f] } });
      plainAdds.push({ ...base, size: size(PLAIN_TABLE), stats: JSON.stringify({ numRecords: ROWS * 0.8 }) });
    }
  });
  writeLog(DV_TABLE, dvAdds, true);
  writeLog(PLAIN_TABLE, plainAdds, false);
}

const PY_QUERY = `
import time, pyarrow as pa
from deltalake import DeltaTable, QueryBuilder
times, out = [], None
for i in range(INPUT["runs"] + 1):
    t = time.perf_counter()
    out = pa.table(QueryBuilder().register("t", DeltaTable(INPUT["path"])).execute(INPUT["sql"]).read_all()).to_pylist()
    if i > 0: times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"times": times, "n": out[0]["n"], "total": out[0]["total"]}))
`;

async function query(engine: DuckDbEngine): Promise<{ n: number; total: number }> {
  const storage = createLocalStorage(DV_TABLE);
  const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader });
  const { rows } = await createScanExecutor({ engine }).aggregate({ storage, snapshot, columns: ['value'] }, (scan) => ({ sql: AGG(`(${scan.sql}) AS s`), params: scan.params }));
  return { n: Number(rows[0]!.n), total: Number(rows[0]!.total) };
}

export async function run(): Promise<BenchResult[]> {
  const engine = await createDuckDbEngine();
  try {
    if (!existsSync(join(DV_TABLE, '_delta_log')) || !existsSync(join(PLAIN_TABLE, '_delta_log'))) {
      process.stderr.write(`generating ${DV_TABLE} (5M rows, 1M deleted by DVs) once\n`);
      await generate(engine);
    }
    const cold: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const fresh = await createDuckDbEngine();
      try {
        cold.push(...(await timeRuns(1, () => query(fresh), 0)));
      } finally {
        await fresh.close();
      }
    }
    let result = { n: 0, total: 0 };
    const warm = await timeRuns(RUNS, async () => (result = await query(engine)));
    const theirs = runPythonJson<{ times: number[]; n: number; total: number }>(PY_QUERY, { path: DV_TABLE, runs: RUNS, sql: AGG('t') });
    const rewritten = runPythonJson<{ times: number[]; n: number; total: number }>(PY_QUERY, { path: PLAIN_TABLE, runs: RUNS, sql: AGG('t') });
    for (const other of [theirs, rewritten]) {
      if (result.n !== 4_000_000 || other.n !== 4_000_000 || Math.abs(result.total - other.total) > 1e-6 * other.total) {
        throw new Error(`results differ: ours ${JSON.stringify(result)}, delta-rs ${other.n}/${other.total}`);
      }
    }
    return [
      { case: 'DV scan count+sum, 5M rows - 1M deleted (warm)', ours: warm, baselineName: 'delta-rs QueryBuilder, same DV table', baseline: theirs.times },
      { case: 'DV scan count+sum, 5M rows - 1M deleted (cold engine)', ours: cold, baselineName: 'delta-rs QueryBuilder, same DV table', baseline: theirs.times, note: 'ours includes decoding + registering 1M deleted rows' },
      { case: 'DV scan count+sum, 5M rows - 1M deleted (warm)', ours: warm, baselineName: 'delta-rs QueryBuilder, 4M rows rewritten without DVs', baseline: rewritten.times },
    ];
  } finally {
    await engine.close();
  }
}
