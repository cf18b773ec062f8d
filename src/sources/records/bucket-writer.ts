/**
 * The fast path of a full bulk load: DuckDB encodes the rows once into a temporary table sorted by bucket (its
 * buffer manager spills to the temp folder past the memory limit), then, one range of buckets at a time, groups
 * them and builds each bucket's payload itself: for `hash` buckets the RESP bytes of every field and value of one
 * multi-field HSET, for `packed` buckets the JSON object text (deflated here). So memory
 * stays bounded by one range, whatever the table size. The commands go to Redis through a RESP pipe with bounded
 * in-flight bytes, written while DuckDB builds the next range. Any command error (Redis OOM included) fails the
 * whole write.
 */
import { deflateRawSync, constants } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { RedisClient } from '../redis/redis-client.ts';
import type { RecordEncoding } from './record-layout.ts';
import { openRespPipe, respCommand } from './resp-pipe.ts';

const CRLF = '\r\n';

export interface WriteBucketsOptions {
  connection: DuckDBConnection;
  /** Selects `b` (INTEGER bucket), `k` (VARCHAR key) and `v` (VARCHAR row JSON), one row per key. */
  sql: string;
  params: unknown[];
  client: RedisClient;
  bucketKey(bucket: number): string;
  encoding: RecordEncoding;
  /** Bucket count (buckets are 0 .. buckets-1) and the number of rows the query yields, to size the ranges. */
  buckets: number;
  rows: number;
  /** Rows grouped per range (default 50,000: a few MB of payload). */
  rowsPerRange?: number;
  /** Expiry of written bucket keys (ms); none when undefined. */
  ttlMs?: number;
  onRows?(rows: number): void;
}

/**
 * The per-bucket payload query. CR LF are literal characters inside the SQL strings; `strlen` counts bytes, as
 * RESP bulk lengths do.
 */
function bucketSql(table: string, encoding: RecordEncoding): string {
  const body = encoding === 'hash'
    ? `string_agg('$' || strlen(k) || '${CRLF}' || k || '${CRLF}$' || strlen(v) || '${CRLF}' || v || '${CRLF}', '')`
    : `'{' || string_agg(to_json(k)::VARCHAR || ':' || v, ',') || '}'`;
  return `SELECT b, count(*)::INTEGER AS n, ${body} AS body FROM ${table} WHERE b >= $1 AND b < $2 GROUP BY b`;
}

/** RESP bytes of one bucket's commands (the write and its expiry) and how many commands they are. */
function bucketCommands(key: string, rows: number, body: string, opts: WriteBucketsOptions): [string | Buffer, number] {
  const expire = opts.ttlMs === undefined ? '' : respCommand('PEXPIRE', key, String(opts.ttlMs));
  const commands = expire ? 2 : 1;
  if (opts.encoding === 'hash') {
    return [`*${2 + 2 * rows}${CRLF}$4${CRLF}HSET${CRLF}$${Buffer.byteLength(key)}${CRLF}${key}${CRLF}${body}${expire}`, commands];
  }
  // Deflated on the main thread: the thread pool is where DuckDB runs the next range's query, and a queue of
  // small deflate jobs there delays it more than the main thread's few microseconds per bucket cost.
  const blob = deflateRawSync(body, { level: constants.Z_BEST_SPEED });
  const head = `*3${CRLF}$3${CRLF}SET${CRLF}$${Buffer.byteLength(key)}${CRLF}${key}${CRLF}$${blob.length}${CRLF}`;
  return [Buffer.concat([Buffer.from(head), blob, Buffer.from(CRLF + expire)]), commands];
}

interface BucketRange {
  buckets: number[];
  counts: number[];
  bodies: string[];
}

/** Writes every bucket; returns the number of rows written. */
export async function writeBuckets(opts: WriteBucketsOptions): Promise<number> {
  const table = `dg_bulk_${randomUUID().replaceAll('-', '')}`;
  const pipe = await openRespPipe(opts.client, opts.bucketKey(0));
  let stmt: Awaited<ReturnType<DuckDBConnection['prepare']>> | undefined;
  let next: Promise<BucketRange> | undefined;
  let total = 0;
  try {
    await opts.connection.run(`CREATE TEMP TABLE ${table} AS SELECT b, k, v FROM (${opts.sql}) AS r ORDER BY b`, opts.params as DuckDBValue[]);
    const prepared = (stmt = await opts.connection.prepare(bucketSql(table, opts.encoding)));
    const perRange = Math.max(1, Math.floor(opts.buckets * (opts.rowsPerRange ?? 50_000) / Math.max(1, opts.rows)));
    const readRange = async (low: number): Promise<BucketRange> => {
      prepared.bind([low, low + perRange]);
      const [buckets, counts, bodies] = (await prepared.runAndReadAll()).getColumns();
      return { buckets: buckets as number[], counts: counts as number[], bodies: bodies as string[] };
    };
    // DuckDB groups the next range while this one is written to Redis.
    next = readRange(0);
    for (let low = 0; low < opts.buckets; low += perRange) {
      const range = (await next)!;
      next = low + perRange < opts.buckets ? readRange(low + perRange) : undefined;
      for (let i = 0; i < range.buckets.length; i++) {
        const [payload, commands] = bucketCommands(opts.bucketKey(range.buckets[i]!), range.counts[i]!, range.bodies[i]!, opts);
        await pipe.send(payload, commands);
        total += range.counts[i]!;
        if (i % 1000 === 999) opts.onRows?.(total);
      }
      opts.onRows?.(total);
    }
    await pipe.finish();
    return total;
  } finally {
    await next?.catch(() => undefined);
    pipe.close();
    stmt?.destroySync();
    await opts.connection.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}
