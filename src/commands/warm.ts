/**
 * `delta-gateway warm <table-dir-or-name> --key <column> [--version N] [--ttl 24h] [--allow-duplicates]
 *  [--incremental] [--encoding packed|hash] [--keep-old 1h] [--rows-per-bucket 100] [--redis URL] [--name NAME]`:
 * bulk-loads a table version into Redis for `record`/`records` lookups (see src/sources/records/bulk-loader.ts),
 * with progress (rows/s, ETA) on stderr and a one-line JSON summary on stdout. Buckets are `packed` (deflated,
 * about a fifth of the memory, loaded almost as fast) unless `--incremental` asks for `hash` buckets, the only
 * ones a later load can patch; `--compress` is the old spelling of `--encoding packed`.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseDuration } from '../delta/writer/index.ts';
import { loadConfig } from '../config.ts';
import { BulkLoadError, bulkLoad } from '../sources/records/bulk-loader.ts';
import type { RecordEncoding } from '../sources/records/record-layout.ts';
import { createDuckDbEngine } from '../sources/duckdb/duckdb-engine.ts';
import { createLocalStorage } from '../sources/storage/local-storage.ts';
import { createRedisClient, waitUntilReady } from '../sources/redis/redis-client.ts';
import { createTableCatalog } from '../sources/table-catalog.ts';
import { tableNameFromPath } from '../sources/table-discovery.ts';
import { exitCodeFor, parseIntArg, parseTableArgs, refuse, UsageError } from './table-command.ts';

const USAGE = 'delta-gateway warm <table-dir-or-name> --key <column> [--version N] [--ttl 24h] [--allow-duplicates] [--incremental] [--encoding packed|hash] [--keep-old 1h] [--rows-per-bucket 100] [--redis URL] [--name NAME] [--duckdb-memory 256MB]';

const OPTIONS = {
  key: { type: 'string' }, version: { type: 'string' }, ttl: { type: 'string' }, 'allow-duplicates': { type: 'boolean' },
  incremental: { type: 'boolean' }, compress: { type: 'boolean' }, encoding: { type: 'string' }, 'keep-old': { type: 'string' }, 'rows-per-bucket': { type: 'string' },
  redis: { type: 'string' }, name: { type: 'string' }, 'duckdb-memory': { type: 'string' },
} as const;

/** A table folder (with `_delta_log`) or the name of a table under LAKE_ROOT / in TABLES_FILE. */
async function locate(target: string, config: ReturnType<typeof loadConfig>, engine: Awaited<ReturnType<typeof createDuckDbEngine>>) {
  if (existsSync(join(target, '_delta_log'))) return { name: tableNameFromPath(basename(resolve(target))), location: resolve(target) };
  const catalog = createTableCatalog({ lakeRoot: resolve(config.lakeRoot), tablesFile: config.tablesFile, parquetReader: engine.parquetReader });
  const table = await catalog.get(target);
  return { name: table.name, location: table.location };
}

function progress(table: string) {
  const started = Date.now();
  let last = 0;
  return (done: number, total: number) => {
    const now = Date.now();
    if (now - last < 1000 && done < total) return;
    last = now;
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const eta = rate > 0 ? Math.max(0, (total - done) / rate) : 0;
    process.stderr.write(`warm ${table}: ${done.toLocaleString('en')}/${total.toLocaleString('en')} rows, ${Math.round(rate).toLocaleString('en')} rows/s, ETA ${eta.toFixed(0)}s\n`);
  };
}

export async function run(args: string[]): Promise<number> {
  let cleanup: (() => Promise<void>)[] = [];
  try {
    const { table: target, values } = parseTableArgs(args, OPTIONS, USAGE);
    if (!values.key) throw new UsageError('--key <column> is required');
    if (values.encoding !== undefined && values.encoding !== 'packed' && values.encoding !== 'hash') throw new UsageError(`--encoding must be packed or hash, got "${values.encoding}"`);
    const encoding = values.compress ? 'packed' : (values.encoding as RecordEncoding | undefined) ?? (values.incremental ? 'hash' : 'packed');
    const config = loadConfig();
    const url = values.redis ?? (config.redisCluster ? undefined : config.redis?.url);
    if (!url && !config.redisCluster) return refuse('BAD_USAGE', 'no Redis: pass --redis URL or set REDIS_URL / REDIS_CLUSTER_NODES');
    const engine = await createDuckDbEngine({ poolSize: 1, memoryLimit: values['duckdb-memory'] ?? '256MB', threads: config.duckdb.threads });
    cleanup.push(() => engine.close());
    // A bucket-ordered load may spill its sort; keep the spill in a private temp folder.
    const spill = await mkdtemp(join(tmpdir(), 'dg-warm-'));
    cleanup.push(() => rm(spill, { recursive: true, force: true }));
    await engine.query(`SET temp_directory = '${spill.replaceAll("'", "''")}'`);
    const client = createRedisClient({ url, clusterNodes: url ? undefined : config.redisCluster?.nodes, commandTimeoutMs: 60_000 });
    cleanup.push(async () => void client.disconnect());
    await waitUntilReady(client, 10_000);
    const { name, location } = await locate(target, config, engine);
    const tableName = values.name ?? name;
    const result = await bulkLoad({
      engine, storage: createLocalStorage(location), table: tableName, client, keyPrefix: config.redisKeyPrefix,
      keyColumn: values.key, version: parseIntArg('version', values.version), ttlMs: values.ttl ? parseDuration(values.ttl) : undefined,
      previousTtlMs: values['keep-old'] ? parseDuration(values['keep-old']) : undefined, allowDuplicates: values['allow-duplicates'],
      incremental: values.incremental, encoding, rowsPerBucket: parseIntArg('rows-per-bucket', values['rows-per-bucket'], 1),
      onProgress: progress(tableName), onNote: (m) => process.stderr.write(`warm ${tableName}: ${m}\n`),
    });
    const rate = Math.round(result.rows / Math.max(0.001, result.durationMs / 1000));
    process.stdout.write(`${JSON.stringify({ table: tableName, ...result, rowsPerSecond: rate })}\n`);
    return 0;
  } catch (e) {
    if (e instanceof BulkLoadError) return e.code === 'REDIS_OOM' || e.code === 'CONCURRENT_LOAD' ? fail(e) : refuse(e.code, e.message);
    return exitCodeFor(e);
  } finally {
    for (const c of cleanup.reverse()) await c().catch(() => undefined);
    cleanup = [];
  }
}

function fail(e: BulkLoadError): number {
  process.stderr.write(`error ${e.code}: ${e.message}\n`);
  return 1;
}
