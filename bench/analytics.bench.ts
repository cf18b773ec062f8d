/**
 * P2: canned `errors` and `timeSeries` over the 5M-row demo `logs` table, cold (cache off): the gateway end to
 * end over HTTP (GraphQL parse, snapshot, scan plan, DuckDB, JSON) against raw DuckDB running the same builder's
 * SQL over read_parquet of the same files (goal ratio <= 1.15), and against delta-rs QueryBuilder (DataFusion)
 * running the equivalent SQL in its dialect. Medians of 7; ours and raw DuckDB alternate run by run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildErrorsByEndpointQuery, buildTimeSeriesQuery, type ColumnRoles } from '../src/analytics/index.ts';
import { loadConfig } from '../src/config.ts';
import { loadSnapshot } from '../src/delta/snapshot/load-snapshot.ts';
import { quoteString } from '../src/delta/scan/sql-text.ts';
import { createLogger } from '../src/logger.ts';
import { DEMO_LOG_ROLES } from '../src/sources/table-catalog.ts';
import { createDuckDbEngine } from '../src/sources/duckdb/duckdb-engine.ts';
import { createLocalStorage } from '../src/sources/storage/local-storage.ts';
import { listenApp } from '../test/support/gateway.ts';
import { run as createDemoLake, DEMO_5M_LAKE } from './demo-lake.bench.ts';
import { type BenchResult, runPythonJson, timeInterleaved } from './support.ts';

const RUNS = 7;
const ERR = `(status >= 500 OR upper(level) = 'ERROR')`;

/** The same two analytics in DataFusion's dialect (no gap filling on its side, so it does less work). */
const DATAFUSION_SQL = {
  errors: `SELECT endpoint, sum(CASE WHEN ${ERR} THEN 1 ELSE 0 END) AS errors, count(*) AS requests,
      CAST(sum(CASE WHEN ${ERR} THEN 1 ELSE 0 END) AS DOUBLE) / count(*) AS rate,
      avg(CASE WHEN ${ERR} THEN response_time_ms END) AS avg_rt,
      approx_percentile_cont(0.95) WITHIN GROUP (ORDER BY CASE WHEN ${ERR} THEN response_time_ms END) AS p95
    FROM logs GROUP BY endpoint HAVING sum(CASE WHEN ${ERR} THEN 1 ELSE 0 END) > 0 ORDER BY errors DESC, endpoint LIMIT 10`,
  timeSeries: `SELECT date_bin(INTERVAL '1 hour', "timestamp", TIMESTAMP '1970-01-01T00:00:00Z') AS bucket, count(*) AS requests,
      sum(CASE WHEN ${ERR} THEN 1 ELSE 0 END) AS errors, avg(response_time_ms) AS avg_rt,
      approx_percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms) AS p95
    FROM logs GROUP BY 1 ORDER BY 1`,
};

const PY_QUERY = `
import time
from deltalake import DeltaTable, QueryBuilder
out = {}
for name, sql in INPUT["sqls"].items():
    times, rows = [], 0
    for i in range(INPUT["runs"] + 1):
        t = time.perf_counter()
        rows = QueryBuilder().register("logs", DeltaTable(INPUT["path"])).execute(sql).read_all().num_rows
        if i > 0: times.append((time.perf_counter() - t) * 1000)
    out[name] = {"times": times, "rows": rows}
print(json.dumps(out))
`;

const GRAPHQL = {
  errors: '{ analytics(table: "logs") { errors(topN: 10) { endpoint errors requests errorRate avgResponseTime p95ResponseTime } } }',
  timeSeries: '{ analytics(table: "logs") { timeSeries(interval: "1h") { bucket requests errors avgResponseTime p95ResponseTime } } }',
};

export async function run(): Promise<BenchResult[]> {
  if (!existsSync(join(DEMO_5M_LAKE, 'logs', '_delta_log'))) await createDemoLake();
  const logsPath = join(DEMO_5M_LAKE, 'logs');
  const engine = await createDuckDbEngine();
  const config = loadConfig({ LAKE_ROOT: DEMO_5M_LAKE, DEMO_LAKE: 'false', CACHE_ENABLED: 'false', LOG_LEVEL: 'silent', PORT: '0' });
  const { app, url: base } = await listenApp({ config, logger: createLogger('silent'), engine });
  const url = `${base}/graphql`;
  try {
    const snapshot = await loadSnapshot(createLocalStorage(logsPath), { parquetReader: engine.parquetReader });
    const files = snapshot.files.map((f) => quoteString(join(logsPath, decodeURIComponent(f.path))));
    const relation = `(SELECT * FROM read_parquet([${files.join(', ')}]))`;
    const roles = DEMO_LOG_ROLES as unknown as ColumnRoles;
    const raw = { errors: buildErrorsByEndpointQuery({ relation, roles }, { topN: 10 }), timeSeries: buildTimeSeriesQuery({ relation, roles }, { interval: '1h' }) };
    const theirs = runPythonJson<Record<string, { times: number[]; rows: number }>>(PY_QUERY, { path: logsPath, runs: RUNS, sqls: DATAFUSION_SQL });
    const results: BenchResult[] = [];
    for (const name of ['errors', 'timeSeries'] as const) {
      const [ours, duck] = await timeInterleaved(RUNS, [
        async () => {
          const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: GRAPHQL[name] }) });
          const body = (await res.json()) as { errors?: unknown };
          if (body.errors) throw new Error(`gateway error: ${JSON.stringify(body.errors)}`);
        },
        () => engine.query(raw[name].sql, raw[name].params),
      ]) as [number[], number[]];
      const label = `${name} over 5M demo logs (cold, HTTP end to end)`;
      results.push({ case: label, ours, baselineName: 'raw DuckDB read_parquet', baseline: duck, note: 'goal <= 1.15' });
      results.push({ case: label, ours, baselineName: 'delta-rs QueryBuilder', baseline: theirs[name]!.times, note: `goal < 1; delta-rs rows ${theirs[name]!.rows}` });
    }
    return results;
  } finally {
    await app.close();
    await engine.close();
  }
}
