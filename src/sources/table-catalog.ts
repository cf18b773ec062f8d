/**
 * The table catalog: tables discovered under the lake root plus those declared in a tables file, each with its
 * storage and the latest snapshot. "Latest" is refreshed by a throttled listing of new commit files, so a new
 * commit is seen within `refreshIntervalMs`; pinned versions are immutable and cached by name@version.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { resolve as resolvePath } from 'node:path';
import { type DeltaStorage, type ParquetReader, type Snapshot, DeltaError, loadSnapshot, refreshSnapshot } from '../delta/index.ts';
import { createLocalStorage } from './storage/local-storage.ts';
import { discoverTables } from './table-discovery.ts';

/** Column roles used by canned analytics (role name -> column name). */
export type ColumnRoleMap = Readonly<Record<string, string>>;

export interface CatalogTable {
  readonly name: string;
  readonly location: string;
  readonly storage: DeltaStorage;
  readonly roles: ColumnRoleMap | undefined;
}

export interface TableCatalogOptions {
  lakeRoot: string;
  /** JSON file `{ "tables": [{ "name", "location", "roles"? }] }`; optional. */
  tablesFile?: string;
  parquetReader: ParquetReader;
  /** Minimum time between two listings for new tables or new commits (default 500 ms). */
  refreshIntervalMs?: number;
}

export interface AsOf {
  version?: number;
  timestamp?: Date;
}

export interface TableCatalog {
  /** All tables, rediscovered at most once per refresh interval. */
  list(): Promise<CatalogTable[]>;
  /** The table, or DeltaError TABLE_NOT_FOUND naming it. */
  get(name: string): Promise<CatalogTable>;
  /** Latest snapshot (throttled refresh) or the one pinned by version / timestamp. */
  snapshot(name: string, asOf?: AsOf): Promise<Snapshot>;
  close(): Promise<void>;
}

/** The demo `logs` table's columns, mapped to analytics roles when no roles are configured. */
export const DEMO_LOG_ROLES: ColumnRoleMap = Object.freeze({
  timestamp: 'timestamp', level: 'level', status: 'status', endpoint: 'endpoint', source: 'source',
  responseTime: 'response_time_ms', user: 'user_id', session: 'session_id',
});

const PINNED_CACHE_SIZE = 64;

export function createTableCatalog(options: TableCatalogOptions): TableCatalog {
  const interval = options.refreshIntervalMs ?? 500;
  let tables = new Map<string, CatalogTable>();
  let listedAt = -Infinity;
  let listing: Promise<void> | undefined;
  const latest = new Map<string, { snapshot: Promise<Snapshot>; checkedAt: number }>();
  const pinned = new Map<string, Promise<Snapshot>>();

  async function rescan(): Promise<void> {
    const declared = options.tablesFile ? await loadTablesFile(options.tablesFile) : [];
    const discovered = await discoverTables(resolvePath(options.lakeRoot));
    const next = new Map<string, CatalogTable>();
    for (const t of [...discovered, ...declared]) {
      const previous = tables.get(t.name);
      const declaredRoles = ('roles' in t ? t.roles : undefined) as ColumnRoleMap | undefined;
      const roles = declaredRoles ?? (t.name === 'logs' ? DEMO_LOG_ROLES : undefined);
      // Keep the same table object (and its storage) while nothing about it changed; roles are re-read from the
      // tables file on every rescan, so compare them by value.
      const unchanged = previous && previous.location === t.location && JSON.stringify(previous.roles) === JSON.stringify(roles);
      next.set(t.name, unchanged ? previous : { name: t.name, location: t.location, storage: createLocalStorage(t.location), roles });
    }
    tables = next;
    listedAt = Date.now();
  }

  async function ensureListed(): Promise<void> {
    if (Date.now() - listedAt < interval) return;
    listing ??= rescan().finally(() => (listing = undefined));
    await listing;
  }

  async function get(name: string): Promise<CatalogTable> {
    // A table created since the last listing is found on the next listing (within refreshIntervalMs); an unknown
    // name does not force a walk of the lake, which any client could otherwise trigger on every request.
    await ensureListed();
    const table = tables.get(name);
    if (!table) throw new DeltaError('TABLE_NOT_FOUND', `no table named "${name}"`);
    return table;
  }

  async function latestSnapshot(table: CatalogTable): Promise<Snapshot> {
    const entry = latest.get(table.name);
    const now = Date.now();
    if (entry && now - entry.checkedAt < interval) return entry.snapshot;
    const reader = { parquetReader: options.parquetReader };
    const next = entry
      ? entry.snapshot.then((prev) => refreshSnapshot(prev, table.storage, reader), () => loadSnapshot(table.storage, reader))
      : loadSnapshot(table.storage, reader);
    latest.set(table.name, { snapshot: next, checkedAt: now });
    next.catch(() => latest.delete(table.name)); // a failed load is retried on the next request
    return next;
  }

  async function pinnedSnapshot(table: CatalogTable, asOf: AsOf): Promise<Snapshot> {
    const key = `${table.name}@${table.location}@${asOf.version ?? ''}@${asOf.timestamp?.getTime() ?? ''}`;
    const cached = pinned.get(key);
    if (cached) return cached;
    const loading = loadSnapshot(table.storage, { parquetReader: options.parquetReader, ...asOf });
    loading.catch(() => pinned.delete(key));
    pinned.set(key, loading);
    if (pinned.size > PINNED_CACHE_SIZE) pinned.delete(pinned.keys().next().value as string);
    return loading;
  }

  return {
    async list() {
      await ensureListed();
      return [...tables.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
    get,
    async snapshot(name, asOf) {
      const table = await get(name);
      if (asOf && (asOf.version !== undefined || asOf.timestamp !== undefined)) return pinnedSnapshot(table, asOf);
      return latestSnapshot(table);
    },
    async close() {
      latest.clear();
      pinned.clear();
    },
  };
}

const tablesFileSchema = z.object({
  tables: z.array(
    z.object({
      name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a GraphQL name'),
      location: z.string().min(1),
      roles: z.record(z.string()).optional(),
    }),
  ),
});

/** Reads and validates the tables file; locations are resolved against the working directory. */
async function loadTablesFile(file: string): Promise<z.infer<typeof tablesFileSchema>['tables']> {
  const parsed = tablesFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    throw new DeltaError('INVALID_ARGUMENT', `tables file ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data.tables.map((t) => ({ ...t, location: resolvePath(t.location) }));
}
