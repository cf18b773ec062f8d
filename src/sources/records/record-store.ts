/**
 * Reads bulk-loaded records (layout in record-layout.ts). The pointer and meta of a table are cached for a
 * short interval (meta of a version is immutable); a batch of keys is read in one pipeline. Redis failures are
 * reported as `undefined` answers (the caller falls back to a Delta scan) plus a rate-limited warning.
 */
import type { Logger } from '../../logger.ts';
import { inflateSmall } from '../cache/cache-codec.ts';
import type { RedisClient } from '../redis/redis-client.ts';
import { bucketOf, metaFromHash, recordKeys, rowFromText, rowFromValues, type RecordMeta } from './record-layout.ts';

export interface RecordStore {
  /** Meta of the version the table's pointer names, or undefined (nothing loaded, or Redis unavailable). */
  current(table: string): Promise<RecordMeta | undefined>;
  /** Meta of a given loaded version, or undefined. */
  loaded(table: string, version: number): Promise<RecordMeta | undefined>;
  /** Rows for keys (undefined = not in this version's load, or Redis failed); one pipeline round trip. */
  getMany(table: string, meta: RecordMeta, keys: readonly string[]): Promise<(Record<string, unknown> | undefined)[]>;
  readonly stats: { pipelines: number; errors: number };
  close(): Promise<void>;
}

export interface RecordStoreOptions {
  client: RedisClient;
  keyPrefix: string;
  logger: Logger;
  /** How long a pointer read is reused (ms). */
  pointerTtlMs: number;
}

export function createRecordStore(opts: RecordStoreOptions): RecordStore {
  const { client } = opts;
  const pointers = new Map<string, { at: number; meta: Promise<RecordMeta | undefined> }>();
  const metas = new Map<string, RecordMeta>();
  const stats = { pipelines: 0, errors: 0 };
  let lastWarn = 0;

  function warn(e: unknown) {
    stats.errors++;
    if (Date.now() - lastWarn < 10_000) return;
    lastWarn = Date.now();
    opts.logger.warn({ err: (e as Error).message }, 'redis records read failed; answering from Delta scans');
  }

  async function loaded(table: string, version: number): Promise<RecordMeta | undefined> {
    const id = `${table}\u0000${version}`;
    const known = metas.get(id);
    if (known) return known;
    const meta = metaFromHash(await client.hgetall(recordKeys(opts.keyPrefix, table).meta(version)));
    if (meta) {
      if (metas.size > 1000) metas.clear();
      metas.set(id, meta);
    }
    return meta;
  }

  async function readCurrent(table: string): Promise<RecordMeta | undefined> {
    const pointer = await client.get(recordKeys(opts.keyPrefix, table).pointer);
    return pointer === null ? undefined : loaded(table, Number(pointer));
  }

  return {
    stats,
    async current(table) {
      const cached = pointers.get(table);
      if (cached && Date.now() - cached.at < opts.pointerTtlMs) return cached.meta;
      const meta = readCurrent(table).catch((e) => {
        warn(e);
        pointers.delete(table);
        return undefined;
      });
      pointers.set(table, { at: Date.now(), meta });
      return meta;
    },
    async loaded(table, version) {
      try {
        return await loaded(table, version);
      } catch (e) {
        warn(e);
        return undefined;
      }
    },
    async getMany(table, meta, keys) {
      const names = recordKeys(opts.keyPrefix, table);
      const buckets = keys.map((k) => bucketOf(k, meta.buckets));
      const pipeline = client.pipeline();
      const packedOrder = [...new Set(buckets)];
      if (meta.encoding === 'hash') keys.forEach((k, i) => pipeline.hget(names.bucket(meta.version, buckets[i]!), k));
      else packedOrder.forEach((b) => pipeline.getBuffer(names.bucket(meta.version, b)));
      stats.pipelines++;
      let results: [Error | null, unknown][];
      try {
        results = (await pipeline.exec()) ?? [];
      } catch (e) {
        warn(e);
        return keys.map(() => undefined);
      }
      const failed = results.find(([err]) => err);
      if (failed) warn(failed[0]);
      if (meta.encoding === 'hash') {
        return results.map(([err, text]) => (err || text === null ? undefined : rowFromText(meta, text as string)));
      }
      const objects = new Map<number, Record<string, unknown[]>>();
      packedOrder.forEach((b, i) => {
        const [err, blob] = results[i] ?? [null, null];
        if (!err && blob) objects.set(b, JSON.parse(inflateSmall(blob as Buffer).toString('utf8')) as Record<string, unknown[]>);
      });
      return keys.map((k, i) => {
        const values = objects.get(buckets[i]!)?.[k];
        return values === undefined ? undefined : rowFromValues(meta, values);
      });
    },
    async close() {
      pointers.clear();
      metas.clear();
    },
  };
}
