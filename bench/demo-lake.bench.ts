/**
 * Time to create a 5M-row, 7-day demo lake with our writer (stats, partition folders, one commit per day),
 * against DuckDB writing the same generated rows to plain parquet (the cost without Delta). The first run
 * leaves the lake in .cache/bench/demo-5m, the fixture of the analytics and cache benchmarks; later runs time a
 * fresh lake in a temp folder and keep the cached one.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureDemoLake, rowsPerDay } from '../src/demo/ensure-demo-lake.ts';
import { demoAnomalies } from '../src/demo/demo-anomalies.ts';
import { demoLogsDaySql } from '../src/demo/demo-logs.ts';
import { demoUserCount } from '../src/demo/demo-users.ts';
import { createDuckDbEngine } from '../src/sources/duckdb/duckdb-engine.ts';
import { type BenchResult, repoRoot } from './support.ts';

const ROWS = 5_000_000;
const DAYS = 7;
const START = '2024-03-04';
export const DEMO_5M_LAKE = join(repoRoot, '.cache/bench/demo-5m');

export async function run(): Promise<BenchResult[]> {
  const engine = await createDuckDbEngine();
  const scratch = mkdtempSync(join(tmpdir(), 'demo-bench-'));
  try {
    const target = existsSync(join(DEMO_5M_LAKE, 'logs/_delta_log')) ? join(scratch, 'lake') : DEMO_5M_LAKE;
    const t0 = performance.now();
    await ensureDemoLake(target, { rows: ROWS, days: DAYS, startDate: START, engine });
    const ours = performance.now() - t0;
    const anomalies = demoAnomalies(START, DAYS);
    const perDay = rowsPerDay(ROWS, START, DAYS);
    const t1 = performance.now();
    for (let d = 0; d < DAYS; d++) {
      const date = new Date(Date.parse(`${START}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
      const sql = demoLogsDaySql({ date, rows: perDay[d]!, users: demoUserCount(ROWS), anomalies: anomalies.filter((a) => a.dayIndex === d) });
      await engine.query(`COPY (${sql}) TO '${join(scratch, `raw-${d}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`);
    }
    const raw = performance.now() - t1;
    const rate = (ms: number) => `${Math.round(ROWS / (ms / 1000)).toLocaleString('en')} rows/s`;
    return [{ case: 'demo lake 5M rows / 7 days', ours: [ours], baselineName: 'DuckDB COPY to plain parquet', baseline: [raw], note: `ours ${rate(ours)}; lake at ${target === DEMO_5M_LAKE ? '.cache/bench/demo-5m (created)' : 'temp (cache kept)'}` }];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await engine.close();
  }
}
