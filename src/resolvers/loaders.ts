/**
 * Per-request DataLoaders: snapshots by (table, version or timestamp) and history pages, so a query naming the
 * same table many times (aliases, lists of tables) loads each snapshot once.
 */
import DataLoader from 'dataloader';
import { type Snapshot, loadHistory, type HistoryEntry } from '../delta/index.ts';
import type { AsOf, TableCatalog } from '../sources/table-catalog.ts';

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
  return { snapshot, history, batches };
}
