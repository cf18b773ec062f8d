/**
 * The demo lake: a `logs` table (one commit per day, partitioned by `date`) and a `users` dimension table,
 * written with our own Delta writer from SQL generated inside DuckDB. Created on first start and reused
 * afterwards; a lake left half-written (a crash mid-way) is completed, day by day, where it stopped.
 */
import { join } from 'node:path';
import { type Snapshot, DeltaError, type ParquetReader } from '../delta/index.ts';
import { writeTable, loadSnapshotIfExists, type WriterContext } from '../delta/writer/index.ts';
import { createDuckDbSqlEngine, type ConnectionProvider } from '../sources/duckdb/duckdb-sql-engine.ts';
import { createLocalStorage } from '../sources/storage/local-storage.ts';
import { demoAnomalies, type DemoAnomaly } from './demo-anomalies.ts';
import { demoLogsDaySql, LOGS_SCHEMA } from './demo-logs.ts';
import { demoUserCount, demoUsersSql, USERS_SCHEMA } from './demo-users.ts';

/** Options of ensureDemoLake. */
export interface DemoLakeOptions {
  /** Log rows in total; default 1,000,000. */
  rows?: number;
  /** Days of logs, one commit each; default 7. */
  days?: number;
  /** The DuckDB engine (its pool and parquet reader). */
  engine: ConnectionProvider & { parquetReader: ParquetReader };
  /** First day (YYYY-MM-DD, UTC); default `days` days before today, so the last day is yesterday. */
  startDate?: string;
  logger?: { info(obj: object, msg?: string): void };
}

/** Where the demo tables are and what was injected into them. */
export interface DemoLake {
  logsPath: string;
  usersPath: string;
  /** True when this call wrote anything. */
  created: boolean;
  startDate: string;
  days: number;
  rows: number;
  anomalies: DemoAnomaly[];
}

const DAY_MS = 86_400_000;

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Rows per day: weekends carry 75% of a weekday's traffic; the total is exact. */
export function rowsPerDay(total: number, startDate: string, days: number): number[] {
  const weights = Array.from({ length: days }, (_, d) => ([0, 6].includes(new Date(`${addDays(startDate, d)}T00:00:00Z`).getUTCDay()) ? 0.75 : 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  counts[days - 1]! += total - counts.reduce((a, b) => a + b, 0);
  return counts;
}

function writtenDates(snapshot: Snapshot | undefined): Set<string> {
  return new Set((snapshot?.files ?? []).map((f) => f.partitionValues.date ?? ''));
}

/**
 * Creates the demo lake under `lakeRoot` (`logs/` and `users/`) unless it is already complete.
 * An existing lake keeps its own size and dates (read from the `logs` table properties).
 * @throws DeltaError from the writer (e.g. CONCURRENT_MODIFICATION when another process writes the same day)
 */
export async function ensureDemoLake(lakeRoot: string, opts: DemoLakeOptions): Promise<DemoLake> {
  const sql = createDuckDbSqlEngine(opts.engine);
  // One snapshot cache for the run: each day's append replays only the commit before it.
  const snapshots = new Map();
  const ctxFor = (name: string): WriterContext => ({ storage: createLocalStorage(join(lakeRoot, name)), sql, parquetReader: opts.engine.parquetReader, snapshots });
  const logs = ctxFor('logs');
  const users = ctxFor('users');
  const snapshot = await loadSnapshotIfExists(logs);
  const config = snapshot?.metadata.configuration ?? {};
  const days = Number(config['demo.days'] ?? opts.days ?? 7);
  const rows = Number(config['demo.rows'] ?? opts.rows ?? 1_000_000);
  const startDate = config['demo.startDate'] ?? opts.startDate ?? new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
  if (!Number.isInteger(days) || days < 1 || !Number.isInteger(rows) || rows < days) {
    throw new DeltaError('INVALID_ARGUMENT', `demo lake needs days >= 1 and rows >= days (got days=${days}, rows=${rows})`);
  }
  const anomalies = demoAnomalies(startDate, days);
  const userCount = demoUserCount(rows);
  let created = false;
  if (!(await loadSnapshotIfExists(users))) {
    await writeTable(users, { sql: demoUsersSql(userCount, startDate) }, { schema: USERS_SCHEMA, name: 'users', description: 'demo users dimension' });
    created = true;
  }
  const perDay = rowsPerDay(rows, startDate, days);
  const done = writtenDates(snapshot);
  for (let d = 0; d < days; d++) {
    const date = addDays(startDate, d);
    if (done.has(date)) continue;
    const dayAnomalies = anomalies.filter((a) => a.dayIndex === d);
    const started = Date.now();
    const result = await writeTable(
      logs,
      { sql: demoLogsDaySql({ date, rows: perDay[d]!, users: userCount, anomalies: dayAnomalies }) },
      {
        schema: LOGS_SCHEMA,
        partitionBy: ['date'],
        name: 'logs',
        description: 'demo API request logs',
        configuration: { 'demo.rows': String(rows), 'demo.days': String(days), 'demo.startDate': startDate, 'demo.anomalies': JSON.stringify(anomalies) },
        commitInfo: { demoDay: date, demoAnomalies: dayAnomalies },
      },
    );
    created = true;
    opts.logger?.info({ table: 'logs', date, rows: result.numOutputRows, version: result.version, ms: Date.now() - started }, 'demo lake: day written');
  }
  return { logsPath: join(lakeRoot, 'logs'), usersPath: join(lakeRoot, 'users'), created, startDate, days, rows, anomalies };
}
