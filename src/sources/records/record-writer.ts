/**
 * Streams `(bucket, key, row)` triples from a DuckDB query, chunk by chunk (constant memory whatever the table
 * size), into Redis buckets through pipelines: multi-field HSETs per bucket (`hash`), or one deflated JSON
 * object per bucket (`packed`, which needs the rows ordered by bucket). A pipeline is sent while the next
 * chunks are read; at most two are in flight. Any command error (Redis OOM included) fails the whole write.
 */
import { deflateRaw } from 'node:zlib';
import { promisify } from 'node:util';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { toJsonValue } from '../duckdb/duckdb-json.ts';
import type { RedisClient } from '../redis/redis-client.ts';
import type { RecordEncoding } from './record-layout.ts';

const deflateAsync = promisify(deflateRaw);

export interface StreamToRedisOptions {
  connection: DuckDBConnection;
  /** Selects `b` (INTEGER bucket), `k` (VARCHAR key), then either `v` (VARCHAR row JSON) or the raw columns. */
  sql: string;
  params: unknown[];
  /** True when the query yields raw columns after b and k, to be encoded here with toJsonValue. */
  encodeInJs: boolean;
  client: RedisClient;
  bucketKey(bucket: number): string;
  encoding: RecordEncoding;
  /** Expiry of written bucket keys (ms); none when undefined. */
  ttlMs?: number;
  /** Rows per pipeline (default 20,000). */
  batchRows?: number;
  /** `hdel` deletes the keys instead of writing rows (incremental loads); the query then selects b and k only. */
  op?: 'write' | 'hdel';
  onRows?(rows: number): void;
}

/** Throws the first error of a pipeline's results. */
function ensureOk(results: [Error | null, unknown][] | null): void {
  for (const [err] of results ?? []) if (err) throw err;
}

export async function streamToRedis(opts: StreamToRedisOptions): Promise<number> {
  const batchRows = opts.batchRows ?? 20_000;
  const op = opts.op ?? 'write';
  const stmt = await opts.connection.prepare(opts.sql);
  let inFlight: Promise<void> | undefined;
  let pipeline = opts.client.pipeline();
  let pipelineRows = 0;
  let total = 0;
  // The open bucket: hash args (field, value, ...) or packed `"key":row` parts.
  let bucket = -1;
  let parts: string[] = [];

  const closeBucket = async () => {
    if (bucket < 0 || parts.length === 0) return;
    const key = opts.bucketKey(bucket);
    if (op === 'hdel') pipeline.hdel(key, ...parts);
    else if (opts.encoding === 'hash') pipeline.hset(key, ...parts);
    else pipeline.set(key, await deflateAsync(`{${parts.join(',')}}`));
    if (op === 'write' && opts.ttlMs !== undefined) pipeline.pexpire(key, opts.ttlMs);
    parts = [];
  };
  const send = async () => {
    const current = pipeline;
    pipeline = opts.client.pipeline();
    pipelineRows = 0;
    await inFlight;
    inFlight = current.exec().then(ensureOk);
    inFlight.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
  };

  try {
    if (opts.params.length) stmt.bind(opts.params as DuckDBValue[]);
    const result = await stmt.stream();
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const buckets = chunk.getColumnValues(0) as number[];
      const keys = chunk.getColumnValues(1) as string[];
      const values = op === 'hdel' ? undefined : opts.encodeInJs ? undefined : (chunk.getColumnValues(2) as string[]);
      const rows = op === 'write' && opts.encodeInJs ? chunk.getRows() : undefined;
      for (let i = 0; i < chunk.rowCount; i++) {
        const b = buckets[i]!;
        // Packed buckets must be written whole; hash buckets are also flushed at a batch end.
        if (b !== bucket) {
          await closeBucket();
          bucket = b;
          if (pipelineRows >= batchRows) await send();
        }
        const value = values ? values[i]! : rows ? JSON.stringify(rows[i]!.slice(2).map(toJsonValue)) : '';
        if (op === 'hdel') parts.push(keys[i]!);
        else if (opts.encoding === 'hash') parts.push(keys[i]!, value);
        else parts.push(`${JSON.stringify(keys[i]!)}:${value}`);
        pipelineRows++;
        total++;
      }
      if (opts.encoding === 'hash' && pipelineRows >= batchRows) {
        await closeBucket();
        await send();
      }
      opts.onRows?.(total);
    }
    await closeBucket();
    await send();
    await inFlight;
    return total;
  } finally {
    await inFlight?.catch(() => undefined);
    stmt.destroySync();
  }
}
