/**
 * Bulk load of a Delta table version into Redis for key lookups (`delta-gateway warm`). A full load checks the
 * key column is unique, streams every row into the new version's buckets, writes its meta, then flips the
 * table's pointer with a compare-and-set script, so readers see the old complete version or the new one, never
 * a mix; the previous version's keys then expire. An incremental load starts from a copy of the loaded
 * version's buckets (COPY, server side) and applies only the files removed (HDEL) and added (HSET) since.
 * A failed load (Redis OOM included) deletes what it wrote and leaves the pointer where it was.
 */
import { loadSnapshot, fileKey, type Snapshot, type DeltaStorage, type PlannedFile, quoteIdent } from '../../delta/index.ts';
import type { DuckDbEngine } from '../duckdb/duckdb-engine.ts';
import { createScanExecutor, type ScanExecutor, type ScanSession } from '../duckdb/scan-executor.ts';
import { purgeKeys, type RedisClient } from '../redis/redis-client.ts';
import { bucketCount, bucketSql, metaFromHash, metaToHash, recordKeys, type RecordEncoding, type RecordMeta } from './record-layout.ts';
import { rowJsonSql, type DescribedColumn } from './record-encoding.ts';
import { streamToRedis } from './record-writer.ts';
import { writeBuckets } from './bucket-writer.ts';

export interface BulkLoadOptions {
  engine: DuckDbEngine;
  storage: DeltaStorage;
  /** Table name used in key names (hash tag). */
  table: string;
  client: RedisClient;
  keyPrefix: string;
  keyColumn: string;
  /** Version to load; latest when absent. */
  version?: number;
  /** Expiry of the new version's keys; none when absent. */
  ttlMs?: number;
  /** Expiry given to the previous version's keys after the switch (default 1 h). */
  previousTtlMs?: number;
  allowDuplicates?: boolean;
  incremental?: boolean;
  encoding?: RecordEncoding;
  /**
   * Target rows per bucket (default 100, rounded to a power of two of buckets: averages of 50 to 100 rows keep
   * every bucket under Redis's `hash-max-listpack-entries` of 128, and few keys keep the per-key overhead low).
   */
  rowsPerBucket?: number;
  batchRows?: number;
  onProgress?(done: number, total: number): void;
  onNote?(message: string): void;
}

export interface BulkLoadResult {
  mode: 'full' | 'incremental' | 'unchanged';
  version: number;
  previousVersion: number | undefined;
  rows: number;
  buckets: number;
  encoding: RecordEncoding;
  nullKeys: number;
  durationMs: number;
}

/** A refused or failed load; `code` is DUPLICATE_KEYS, INVALID_ARGUMENT, REDIS_OOM or CONCURRENT_LOAD. */
export class BulkLoadError extends Error {
  constructor(readonly code: 'DUPLICATE_KEYS' | 'INVALID_ARGUMENT' | 'REDIS_OOM' | 'CONCURRENT_LOAD', message: string) {
    super(message);
    this.name = 'BulkLoadError';
  }
}

// KEYS[1] pointer; ARGV[1] expected value ('' = none), ARGV[2] new value.
const FLIP_POINTER = `local cur = redis.call('get', KEYS[1])
if (cur or '') ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[2]) return 1`;

async function describe(session: ScanSession): Promise<DescribedColumn[]> {
  const rows = await session.query(`DESCRIBE ${session.scan.sql}`, session.scan.params);
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

/** Counts rows, non-null keys and distinct keys of a snapshot's key column (one scan of that column). */
async function keyCounts(scans: ScanExecutor, snapshot: Snapshot, storage: DeltaStorage, keyColumn: string) {
  const k = quoteIdent(keyColumn);
  const { rows: [row] } = await scans.aggregate({ storage, snapshot, columns: [keyColumn] }, (scan) => ({
    sql: `SELECT count(*) AS total, count(${k}) AS nonnull, count(DISTINCT ${k}) AS uniq FROM (${scan.sql}) AS s`,
    params: scan.params,
  }));
  return { total: Number(row!.total), nonNull: Number(row!.nonnull), distinct: Number(row!.uniq) };
}

/** The streaming query over a session's scan: bucket, key text and the encoded row (or raw columns when JS must encode). */
async function rowsQuery(session: ScanSession, keyColumn: string, buckets: number) {
  const { scan } = session;
  const columns = await describe(session);
  const keyText = `CAST(s.${quoteIdent(keyColumn)} AS VARCHAR)`;
  const rowJson = rowJsonSql(columns);
  const value = rowJson ?? columns.map((c) => `s.${quoteIdent(c.name)}`).join(', ');
  const sql = `SELECT ${bucketSql(keyText, buckets)} AS b, ${keyText} AS k, ${rowJson ? `${value} AS v` : value} FROM (${scan.sql}) AS s`
    + ` WHERE s.${quoteIdent(keyColumn)} IS NOT NULL`;
  return { sql, params: [...scan.params], encodeInJs: rowJson === undefined, columns: columns.map((c) => c.name) };
}

/** The rows query in bucket order, as rows streamed to JS must come. */
function inBucketOrder<Q extends { sql: string }>(query: Q): Q {
  return { ...query, sql: `${query.sql} ORDER BY b` };
}

function isOom(e: unknown): boolean {
  return /OOM|maxmemory/i.test((e as Error)?.message ?? '');
}

export async function bulkLoad(opts: BulkLoadOptions): Promise<BulkLoadResult> {
  const started = Date.now();
  const names = recordKeys(opts.keyPrefix, opts.table);
  const encoding = opts.encoding ?? 'hash';
  const pointerText = await opts.client.get(names.pointer);
  const previous = pointerText === null ? undefined : metaFromHash(await opts.client.hgetall(names.meta(Number(pointerText))));
  const snapshot = await loadSnapshot(opts.storage, { parquetReader: opts.engine.parquetReader, version: opts.version });
  if (!snapshot.schema.fields.some((f) => f.name === opts.keyColumn)) {
    throw new BulkLoadError('INVALID_ARGUMENT', `table has no column "${opts.keyColumn}"`);
  }
  const result = (mode: BulkLoadResult['mode'], rows: number, buckets: number, enc: RecordEncoding, nullKeys: number): BulkLoadResult => ({
    mode, version: snapshot.version, previousVersion: previous?.version, rows, buckets, encoding: enc, nullKeys, durationMs: Date.now() - started,
  });
  if (previous && previous.version === snapshot.version && previous.keyColumn === opts.keyColumn) {
    opts.onNote?.(`version ${snapshot.version} is already loaded`);
    return result('unchanged', previous.rows, previous.buckets, previous.encoding, 0);
  }
  const scans = createScanExecutor({ engine: opts.engine });
  const counts = await keyCounts(scans, snapshot, opts.storage, opts.keyColumn);
  const duplicates = counts.nonNull - counts.distinct;
  if (duplicates > 0 && !opts.allowDuplicates) {
    throw new BulkLoadError('DUPLICATE_KEYS', `column "${opts.keyColumn}" has ${duplicates} duplicate values (${counts.distinct} distinct of ${counts.nonNull}); pass --allow-duplicates to keep one row per key`);
  }
  const nullKeys = counts.total - counts.nonNull;
  if (nullKeys > 0) opts.onNote?.(`${nullKeys} rows with a null key are skipped`);

  const incrementalFrom = opts.incremental ? incrementalBase(previous, snapshot, opts, encoding) : undefined;
  const buckets = incrementalFrom ? incrementalFrom.buckets : bucketCount(counts.distinct, opts.rowsPerBucket ?? 100);
  const meta: RecordMeta = {
    version: snapshot.version, columns: snapshot.schema.fields.map((f) => f.name), keyColumn: opts.keyColumn,
    buckets, encoding, rows: counts.distinct, loadedAt: new Date().toISOString(),
  };
  try {
    if (incrementalFrom) await applyIncrement(opts, scans, incrementalFrom, snapshot, meta);
    else await writeAll(opts, scans, snapshot, meta, counts.nonNull);
    await opts.client.hset(names.meta(meta.version), metaToHash(meta));
    if (opts.ttlMs !== undefined) await opts.client.pexpire(names.meta(meta.version), opts.ttlMs);
    const flipped = await opts.client.eval(FLIP_POINTER, 1, names.pointer, pointerText ?? '', String(meta.version));
    if (flipped !== 1) throw new BulkLoadError('CONCURRENT_LOAD', 'another load changed the pointer meanwhile; this load was discarded');
  } catch (e) {
    await purgeKeys(opts.client, names.versionPattern(meta.version)).catch(() => undefined);
    if (isOom(e)) throw new BulkLoadError('REDIS_OOM', `Redis ran out of memory during the load (${(e as Error).message}); the pointer still names ${pointerText === null ? 'nothing' : `version ${pointerText}`}`);
    throw e;
  }
  if (previous) await expireVersion(opts.client, names, previous, opts.previousTtlMs ?? 3_600_000);
  return result(incrementalFrom ? 'incremental' : 'full', meta.rows, buckets, encoding, nullKeys);
}

/**
 * Writes every row of the snapshot into the new version's buckets: DuckDB builds whole buckets (writeBuckets)
 * when it can encode every column, else rows stream to JS in bucket order and are encoded there.
 */
async function writeAll(opts: BulkLoadOptions, scans: ScanExecutor, snapshot: Snapshot, meta: RecordMeta, total: number): Promise<void> {
  const names = recordKeys(opts.keyPrefix, opts.table);
  const bucketKey = (b: number) => names.bucket(meta.version, b);
  const onRows = (n: number) => opts.onProgress?.(n, total);
  await scans.session({ storage: opts.storage, snapshot }, async (session) => {
    const grouped = await rowsQuery(session, opts.keyColumn, meta.buckets);
    const { connection } = session;
    if (!grouped.encodeInJs) {
      await writeBuckets({ connection, sql: grouped.sql, params: grouped.params, client: opts.client, bucketKey, encoding: meta.encoding, buckets: meta.buckets, rows: total, ttlMs: opts.ttlMs, onRows });
      return;
    }
    await streamToRedis({ connection, ...inBucketOrder(grouped), client: opts.client, bucketKey, encoding: meta.encoding, ttlMs: opts.ttlMs, batchRows: opts.batchRows, onRows });
  });
}

/** The loaded version an incremental load may start from, or undefined (with a note) for a full load. */
function incrementalBase(previous: RecordMeta | undefined, snapshot: Snapshot, opts: BulkLoadOptions, encoding: RecordEncoding): RecordMeta | undefined {
  const reason = !previous ? 'nothing is loaded yet'
    : previous.encoding !== 'hash' || encoding !== 'hash' ? 'packed buckets cannot be patched'
    : previous.keyColumn !== opts.keyColumn ? `the loaded version is keyed by "${previous.keyColumn}"`
    : previous.version > snapshot.version ? 'the loaded version is newer'
    : JSON.stringify(previous.columns) !== JSON.stringify(snapshot.schema.fields.map((f) => f.name)) ? 'the schema changed'
    : undefined;
  if (reason) opts.onNote?.(`incremental load not possible (${reason}); loading in full`);
  return reason ? undefined : previous;
}

/** Copies the loaded version's buckets, deletes the keys of files removed since, writes the rows of files added. */
async function applyIncrement(opts: BulkLoadOptions, scans: ScanExecutor, from: RecordMeta, snapshot: Snapshot, meta: RecordMeta): Promise<void> {
  const names = recordKeys(opts.keyPrefix, opts.table);
  const old = await loadSnapshot(opts.storage, { parquetReader: opts.engine.parquetReader, version: from.version });
  const keyOf = (f: { path: string; deletionVector?: Parameters<typeof fileKey>[1] }) => fileKey(f.path, f.deletionVector);
  const oldFiles = new Set(old.files.map(keyOf));
  const newFiles = new Set(snapshot.files.map(keyOf));
  const removed = old.files.filter((f) => !newFiles.has(keyOf(f)));
  const added = snapshot.files.filter((f) => !oldFiles.has(keyOf(f)));
  opts.onNote?.(`incremental from version ${from.version}: ${added.length} files added, ${removed.length} removed`);
  for (let b = 0; b < from.buckets; b += 1000) {
    const pipeline = opts.client.pipeline();
    for (let i = b; i < Math.min(from.buckets, b + 1000); i++) pipeline.copy(names.bucket(from.version, i), names.bucket(meta.version, i), 'REPLACE');
    for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err;
  }
  if (opts.ttlMs !== undefined) {
    const pipeline = opts.client.pipeline();
    for (let i = 0; i < from.buckets; i++) pipeline.pexpire(names.bucket(meta.version, i), opts.ttlMs);
    await pipeline.exec();
  }
  const stream = async (snap: Snapshot, files: typeof added, op: 'write' | 'hdel') => {
    if (files.length === 0) return;
    const wanted = new Set(files.map(keyOf));
    const request = { storage: opts.storage, snapshot: snap, columns: op === 'hdel' ? [opts.keyColumn] : undefined, files: (f: PlannedFile) => wanted.has(keyOf(f.add)) };
    await scans.session(request, async (session) => {
      const query = inBucketOrder(await rowsQuery(session, opts.keyColumn, meta.buckets));
      await streamToRedis({ connection: session.connection, ...query, client: opts.client, bucketKey: (b) => names.bucket(meta.version, b), encoding: 'hash', ttlMs: opts.ttlMs, batchRows: opts.batchRows, op });
    });
  };
  await stream(old, removed, 'hdel');
  await stream(snapshot, added, 'write');
}

/** Gives every key of a replaced version an expiry (readers still on it finish their reads). */
async function expireVersion(client: RedisClient, names: ReturnType<typeof recordKeys>, meta: RecordMeta, ttlMs: number): Promise<void> {
  for (let b = 0; b < meta.buckets; b += 1000) {
    const pipeline = client.pipeline();
    for (let i = b; i < Math.min(meta.buckets, b + 1000); i++) pipeline.pexpire(names.bucket(meta.version, i), ttlMs);
    if (b === 0) pipeline.pexpire(names.meta(meta.version), ttlMs);
    await pipeline.exec();
  }
}
