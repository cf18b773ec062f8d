/**
 * Key lookups of rows: bulk-loaded records in Redis (`delta-gateway warm`), batched per request by a
 * DataLoader into one pipeline per table and version; keys Redis does not hold (or all, without Redis) come
 * from one Delta scan whose predicate is `key IN (...)` over the key column: the keys are bound parameters,
 * coerced to the column's Delta type (a key that cannot be of that type matches nothing), and prune files by
 * the column's stats. Rows are JSON-safe (src/sources/duckdb/duckdb-json.ts).
 */
import DataLoader from 'dataloader';
import { coerceScalar, type Snapshot } from '../delta/index.ts';
import type { AsOf } from '../sources/table-catalog.ts';
import type { RecordMeta } from '../sources/records/record-layout.ts';
import type { GatewayContext } from './context.ts';
import { badInput } from './errors.ts';
import { snapshotCacheKey as groupKey } from './loaders.ts';
import { answerOf, scanOptions } from './run-scan.ts';
import { snapshotFor } from './table-info.ts';

type Row = Record<string, unknown>;

interface RecordRequest {
  table: string;
  asOf?: AsOf;
  key: string;
}

/** Figures of a request's record lookups (tests assert the batching). */
export interface RecordFigures {
  batches: number;
  fromRedis: number;
  scanned: number;
}

/** A request's record lookups and their figures. */
export interface RecordLoader {
  loader: DataLoader<RecordRequest, Row | null, string>;
  figures: RecordFigures;
}

/** The request's record loader (made on first use, kept with the request's loaders). */
export function recordLoader(ctx: GatewayContext): RecordLoader {
  return ctx.loaders.records.get(() => createRecordLoader(ctx));
}

function createRecordLoader(ctx: GatewayContext): RecordLoader {
  const figures: RecordFigures = { batches: 0, fromRedis: 0, scanned: 0 };
  const loader = new DataLoader<RecordRequest, Row | null, string>(
      async (requests) => {
        figures.batches++;
        const groups = new Map<string, RecordRequest[]>();
        for (const r of requests) {
          const key = groupKey(r);
          const group = groups.get(key);
          if (group) group.push(r);
          else groups.set(key, [r]);
        }
        const answers = new Map<string, Row | null | Error>();
        await Promise.all([...groups.values()].map(async (group) => {
          try {
            const rows = await loadGroup(ctx, group[0]!.table, group[0]!.asOf, [...new Set(group.map((r) => r.key))], figures);
            for (const r of group) answers.set(`${groupKey(r)}\u0000${r.key}`, rows.get(r.key) ?? null);
          } catch (e) {
            for (const r of group) answers.set(`${groupKey(r)}\u0000${r.key}`, e as Error);
          }
        }));
        return requests.map((r) => answers.get(`${groupKey(r)}\u0000${r.key}`) ?? null);
      },
      { cacheKeyFn: (r) => `${groupKey(r)}\u0000${r.key}` },
    );
  return { loader, figures };
}

/** Redis first (the loaded version: pinned by asOf, else the table's pointer), then one scan for the rest. */
async function loadGroup(ctx: GatewayContext, table: string, asOf: AsOf | undefined, keys: string[], figures: RecordFigures): Promise<Map<string, Row>> {
  const found = new Map<string, Row>();
  const pinned = asOf ? await snapshotFor(ctx, table, asOf) : undefined;
  let meta: RecordMeta | undefined;
  if (ctx.records) {
    meta = pinned ? await ctx.records.loaded(table, pinned.version) : await ctx.records.current(table);
    if (meta) {
      const rows = await ctx.records.getMany(table, meta, keys);
      rows.forEach((row, i) => row && found.set(keys[i]!, row));
      figures.fromRedis += found.size;
      if (!pinned) ctx.trace.recordVersion(table, meta.version);
    }
  }
  const missing = keys.filter((k) => !found.has(k));
  if (missing.length === 0) return found;
  const catalogTable = await ctx.catalog.get(table);
  const keyColumn = meta?.keyColumn ?? catalogTable.roles?.key;
  if (!keyColumn) {
    throw badInput(`table "${table}" has no key column: bulk-load it with \`delta-gateway warm ${table} --key <column>\` or declare a "key" role in the tables file`);
  }
  const snapshot = pinned ?? (await snapshotFor(ctx, table));
  figures.scanned += missing.length;
  const values = keysOfColumn(snapshot, keyColumn, missing);
  if (values.length === 0) return found;
  const scan = await ctx.scans.rows({ storage: catalogTable.storage, snapshot, predicate: { op: 'in', column: keyColumn, values } }, scanOptions(ctx, 'json'));
  const { rows } = answerOf(ctx, scan);
  ctx.trace.recordScan(scan.figures);
  for (const row of rows) {
    const k = row[keyColumn];
    const text = typeof k === 'string' ? k : JSON.stringify(k);
    if (!found.has(text)) found.set(text, row);
  }
  return found;
}

/**
 * The keys that can be values of the key column's Delta type (a key of another shape matches no row, so it is
 * not sent); all of them when the column is unknown, which the scan then refuses (INVALID_ARGUMENT).
 */
function keysOfColumn(snapshot: Snapshot, keyColumn: string, keys: readonly string[]): string[] {
  const field = snapshot.schema.fields.find((f) => f.name === keyColumn);
  if (!field) return [...keys];
  return keys.filter((key) => {
    try {
      coerceScalar(key, field.type, keyColumn);
      return true;
    } catch {
      return false;
    }
  });
}

export async function loadRecord(ctx: GatewayContext, table: string, key: string, asOf?: AsOf): Promise<Row | null> {
  return recordLoader(ctx).loader.load({ table, key, asOf });
}

export async function loadRecords(ctx: GatewayContext, table: string, keys: readonly string[]): Promise<(Row | null)[]> {
  if (keys.length > ctx.limits.maxPageSize) {
    throw badInput(`records takes at most ${ctx.limits.maxPageSize} keys, got ${keys.length}`);
  }
  const results = await recordLoader(ctx).loader.loadMany(keys.map((key) => ({ table, key })));
  return results.map((r) => {
    if (r instanceof Error) throw r;
    return r;
  });
}
