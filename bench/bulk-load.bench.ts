/**
 * P4: bulk load (`delta-gateway warm`, run as a command) of a 5M-row demo-like table into a fresh redis-server:
 * records/s against `redis-benchmark -P 64 -t set -d 200 -n 1000000` on the same server in the same run (goal
 * >= 0.8 of it), and Redis `used_memory` per record (goal <= 60 bytes), for plain hash buckets and packed
 * (deflated, the default) buckets. Uses `.cache/bench/demo-5m` when the writer's bench lake has a table with a unique key
 * there; otherwise writes `.cache/bench/cache-demo-5m` once with our writer. Run with `npm run bench -- bulk-load`
 * or `node bin/run-ts.mjs bench/bulk-load.bench.ts` (BENCH_ROWS to change the size).
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeTable } from '../src/delta/writer/write/write-table.ts';
import { field, primitive } from '../src/delta/writer/write/schema-json.ts';
import { createDuckDbEngine } from '../src/sources/duckdb/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../src/sources/duckdb/duckdb-sql-engine.ts';
import { createLocalStorage } from '../src/sources/storage/local-storage.ts';
import { startExtraRedis } from '../test/support/services.ts';
import { formatNumber, repoRoot, type BenchResult } from './support.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 5_000_000);
const TABLE = join(repoRoot, '.cache', 'bench', ROWS === 5_000_000 ? 'cache-demo-5m' : `cache-demo-${ROWS}`);

/** Demo `logs`-like rows with a unique request id. */
async function ensureTable(): Promise<void> {
  if (existsSync(join(TABLE, '_delta_log'))) return;
  console.error(`writing ${formatNumber(ROWS)} demo-like rows to ${TABLE} ...`);
  const engine = await createDuckDbEngine();
  try {
    const schema = {
      kind: 'struct' as const,
      fields: [
        field('request_id', primitive('long'), false), field('timestamp', primitive('timestamp'), false), field('level', primitive('string'), false),
        field('endpoint', primitive('string'), false), field('status', primitive('integer'), false), field('response_time_ms', primitive('double'), false),
        field('user_id', primitive('string')),
      ],
    };
    const sql = `SELECT range AS request_id, TIMESTAMPTZ '2024-05-01 00:00:00+00' + to_milliseconds(range * 97) AS timestamp,
      ['INFO','INFO','INFO','WARN','ERROR'][1 + range % 5] AS level, ['/api/products','/api/search','/api/cart','/api/login'][1 + range % 4] AS endpoint,
      CAST([200,200,200,404,500][1 + (range // 7) % 5] AS INTEGER) AS status, round(20 + (range * 7919 % 3000) / 10.0, 1) AS response_time_ms,
      CASE WHEN range % 10 = 0 THEN NULL ELSE 'u' || (range * 31 % 50000) END AS user_id FROM range(${ROWS})`;
    const ctx = { storage: createLocalStorage(TABLE), sql: createDuckDbSqlEngine(engine), parquetReader: engine.parquetReader };
    await writeTable(ctx, { sql }, { schema, maxRowsPerFile: 1_000_000 });
  } finally {
    await engine.close();
  }
}

function redisCli(port: number, ...args: string[]): string {
  return execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
}

function usedMemory(port: number): number {
  const m = /used_memory:(\d+)/.exec(redisCli(port, 'info', 'memory'));
  return Number(m![1]);
}

function warm(url: string, extra: string[]): Promise<{ rows: number; durationMs: number; rowsPerSecond: number; buckets: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/delta-gateway.mjs'), 'warm', TABLE, '--key', 'request_id', '--redis', url, ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`warm exited ${code}: ${err}`))));
  });
}

/** Runs both encodings; runner rows compare ms per 1M records with redis-benchmark's ms per 1M SETs. */
export async function run(): Promise<BenchResult[]> {
  await ensureTable();
  const results: BenchResult[] = [];
  const redis = await startExtraRedis();
  try {
    const bench = execFileSync('redis-benchmark', ['-p', String(redis.port), '-P', '64', '-t', 'set', '-d', '200', '-n', '1000000', '-q'], { encoding: 'utf8' });
    const setRate = Number(/SET:\s*([\d.]+)\s*requests per second/.exec(bench)![1]);
    console.log(`P4 bulk load of ${formatNumber(ROWS)} rows; redis-benchmark -P 64 -t set -d 200 -n 1000000: ${formatNumber(setRate)} SET/s`);
    for (const [name, extra] of [['hash buckets (--encoding hash)', ['--encoding', 'hash']], ['packed buckets (default)', []]] as const) {
      redisCli(redis.port, 'flushall');
      const before = usedMemory(redis.port);
      const r = await warm(redis.url, [...extra]);
      const perRecord = (usedMemory(redis.port) - before) / r.rows;
      console.log(`${name.padEnd(28)} ${formatNumber(r.rowsPerSecond).padStart(9)} records/s (ratio ${formatNumber(r.rowsPerSecond / setRate, 2)})  ${formatNumber(r.durationMs / 1000, 1)} s  used_memory/record ${formatNumber(perRecord, 1)} B  buckets ${formatNumber(r.buckets)}`);
      results.push({
        case: `P4 bulk load ${formatNumber(ROWS)} rows, ${name} (ms per 1M records)`, ours: [1e9 / r.rowsPerSecond], baselineName: 'redis-benchmark -P 64 SET -d 200',
        baseline: [1e9 / setRate], note: `${formatNumber(r.rowsPerSecond / setRate, 2)} of SET/s (goal >= 0.8); ${formatNumber(perRecord, 1)} B/record (goal <= 60)`,
      });
    }
    return results;
  } finally {
    await redis.stop();
  }
}

if (process.argv[1]?.endsWith('bulk-load.bench.ts')) await run();
