/**
 * Where bulk-loaded records live in Redis (`delta-gateway warm` writes, `record`/`records` read). Every key of a
 * table carries the table's hash tag, so a Redis Cluster keeps them in one slot (Lua and COPY work):
 *   <prefix>rec:{table}:current        -> the loaded version readers use (flipped atomically after a load)
 *   <prefix>rec:{table}:v<N>:meta      -> hash: columns, key column, bucket count, encoding, rows
 *   <prefix>rec:{table}:v<N>:b<B>      -> bucket B: a hash key -> row (encoding `hash`), or one deflated
 *                                         JSON object {key: row} (encoding `packed`)
 * A row is a JSON array in column order whose values follow src/sources/duckdb/duckdb-json.ts. The bucket of a key is
 * the first 32 bits of md5(key text) modulo the bucket count, computed the same way in DuckDB and in JS.
 */
import { createHash } from 'node:crypto';
import { tableTag } from '../cache/query-cache.ts';

export type RecordEncoding = 'hash' | 'packed';

export interface RecordMeta {
  version: number;
  columns: string[];
  keyColumn: string;
  buckets: number;
  encoding: RecordEncoding;
  rows: number;
  loadedAt: string;
}

export interface RecordKeys {
  pointer: string;
  meta(version: number): string;
  bucket(version: number, bucket: number): string;
  /** SCAN pattern matching every key of one version. */
  versionPattern(version: number): string;
}

/** Key names for a table under `prefix` (e.g. `dg:`). */
export function recordKeys(prefix: string, table: string): RecordKeys {
  const base = `${prefix}rec:${tableTag(table)}`;
  return {
    pointer: `${base}:current`,
    meta: (v) => `${base}:v${v}:meta`,
    bucket: (v, b) => `${base}:v${v}:b${b}`,
    versionPattern: (v) => `${base.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}:v${v}:*`,
  };
}

/** The bucket of a key text: md5's first 8 hex digits as an unsigned integer, modulo `buckets`. */
export function bucketOf(key: string, buckets: number): number {
  return Number.parseInt(createHash('md5').update(key).digest('hex').slice(0, 8), 16) % buckets;
}

/**
 * The same bucket as a DuckDB expression over a VARCHAR expression. md5_number_upper reads the digest's first
 * 8 bytes little-endian, so the low 32 bits byte-swapped are its first 4 bytes big-endian: integer math instead
 * of hex text, `left` and a cast per row.
 */
export function bucketSql(keyText: string, buckets: number): string {
  const u = `md5_number_upper(${keyText})`;
  return `CAST(((${u} & 255) << 24 | (${u} >> 8 & 255) << 16 | (${u} >> 16 & 255) << 8 | (${u} >> 24 & 255)) % ${buckets} AS INTEGER)`;
}

/** A power of two giving about `rowsPerBucket` rows per bucket (at least 1 bucket). */
export function bucketCount(rows: number, rowsPerBucket: number): number {
  const wanted = Math.max(1, Math.ceil(rows / Math.max(1, rowsPerBucket)));
  return 2 ** Math.ceil(Math.log2(wanted));
}

export function metaToHash(meta: RecordMeta): Record<string, string> {
  return {
    version: String(meta.version),
    columns: JSON.stringify(meta.columns),
    keyColumn: meta.keyColumn,
    buckets: String(meta.buckets),
    encoding: meta.encoding,
    rows: String(meta.rows),
    loadedAt: meta.loadedAt,
  };
}

/** Parses a meta hash; undefined when it is missing or incomplete. */
export function metaFromHash(hash: Record<string, string> | null | undefined): RecordMeta | undefined {
  if (!hash || !hash.columns || !hash.buckets || !hash.version) return undefined;
  return {
    version: Number(hash.version),
    columns: JSON.parse(hash.columns) as string[],
    keyColumn: hash.keyColumn ?? '',
    buckets: Number(hash.buckets),
    encoding: hash.encoding === 'packed' ? 'packed' : 'hash',
    rows: Number(hash.rows ?? 0),
    loadedAt: hash.loadedAt ?? '',
  };
}

/** A stored row (JSON array text) as an object keyed by column. */
export function rowFromText(meta: RecordMeta, text: string): Record<string, unknown> {
  return rowFromValues(meta, JSON.parse(text) as unknown[]);
}

/** A stored row (values in column order) as an object keyed by column. */
export function rowFromValues(meta: RecordMeta, values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  meta.columns.forEach((c, i) => (row[c] = values[i] ?? null));
  return row;
}
