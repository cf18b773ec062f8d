/**
 * Every per-request cache, created once per request with its context (Pothos's createContextCache idea, held by
 * the context instead of module-level WeakMaps): DataLoaders for snapshots by (table, version or timestamp) and
 * history pages, so a query naming the same table many times (aliases, lists of tables) loads each snapshot
 * once; the scan plans of the request (a row page and its totalCount prune the files once); and the record
 * lookups' loader, made on first use.
 */
import DataLoader from 'dataloader';
import { type Snapshot, loadHistory, type HistoryEntry } from '../delta/index.ts';
import { createScanPlanCache, type ScanPlanCache } from '../sources/duckdb/scan-request.ts';
import type { AsOf, TableCatalog } from '../sources/table-catalog.ts';
import type { RecordLoader } from './records.ts';

export interface HistoryPageKey {
  table: string;
  limit: number;
  before?: number;
}

export interface RequestLoaders {
  snapshot: DataLoader<SnapshotKey, Snapshot, string>;
  history: DataLoader<HistoryPageKey, HistoryEntry[], string>;
  /** How many batches each loader ran (tests assert batching with it). */
  readonly batches: { snapshot: number; history: number };
  /** Scan plans of this request, by table, version and predicate (the scan executor's plan cache). */
  readonly scanPlans: ScanPlanCache;
  /** The record lookups' DataLoader, made on first use (it needs the whole context; see records.ts). */
  readonly records: RequestSlot<RecordLoader>;
}

/** A value made once per request, on first use. */
export interface RequestSlot<T> {
  get(create: () => T): T;
}

function createSlot<T>(): RequestSlot<T> {
  let value: { current: T } | undefined;
  return { get: (create) => (value ??= { current: create() }).current };
}

export interface SnapshotKey {
  table: string;
  asOf?: AsOf;
}

/** Cache key of a (table, asOf) pair: the table name plus the pinned version or timestamp. */
export function snapshotCacheKey({ table, asOf }: SnapshotKey): string {
  return `${table}\u0000${asOf?.version ?? ''}\u0000${asOf?.timestamp?.getTime() ?? ''}`;
}

export function createRequestLoaders(catalog: TableCatalog): RequestLoaders {
  const batches = { snapshot: 0, history: 0 };
  const snapshot = new DataLoader<SnapshotKey, Snapshot, string>(
    async (keys) => {
      batches.snapshot++;
      return Promise.all(keys.map((k) => catalog.snapshot(k.table, k.asOf).catch((e: Error) => e)));
    },
    { cacheKeyFn: snapshotCacheKey },
  );
  const history = new DataLoader<HistoryPageKey, HistoryEntry[], string>(
    async (keys) => {
      batches.history++;
      return Promise.all(
        keys.map((k) =>
          catalog
            .get(k.table)
            .then((table) => loadHistory(table.storage, { limit: k.limit, before: k.before }))
            .catch((e: Error) => e),
        ),
      );
    },
    { cacheKeyFn: (k) => `${k.table}\u0000${k.limit}\u0000${k.before ?? ''}` },
  );
  return { snapshot, history, batches, scanPlans: createScanPlanCache(), records: createSlot() };
}
