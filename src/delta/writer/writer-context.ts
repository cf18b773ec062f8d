/**
 * What every writer operation (write, optimize, restore, vacuum, checkpoint) works with: one table's storage,
 * the SQL seam for parquet, the parquet reader the snapshot loader needs, a clock, and optionally the latest
 * snapshots of earlier writes so an append replays only the commits since (PROTOCOL.md "Delta Log Entries").
 */
import { DeltaError } from '../errors.ts';
import { loadSnapshot, refreshSnapshot } from '../snapshot/load-snapshot.ts';
import type { ParquetReader } from '../parquet-reader.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import type { DeltaStorage } from '../storage.ts';
import { GATEWAY_VERSION } from '../../version.ts';
import type { SqlEngine } from './sql-engine.ts';

/** The dependencies of writer operations on one table. */
export interface WriterContext {
  storage: DeltaStorage;
  sql: SqlEngine;
  parquetReader: ParquetReader;
  /** Clock for commit and deletion timestamps; default Date.now. */
  now?: () => number;
  /**
   * Latest snapshots by table root, kept across writes by a long-lived writer (an ingest sink, a benchmark):
   * each write then lists the log and reads only the commits after the cached version instead of replaying
   * the checkpoint and every commit since. Assumes a table is not deleted and re-created under it.
   */
  snapshots?: SnapshotCache;
}

/** See WriterContext.snapshots; create one with `new Map()`. */
export type SnapshotCache = Map<string, Snapshot>;

/** `engineInfo` of our commits. */
export const ENGINE_INFO = `delta-gateway/${GATEWAY_VERSION}`;

/** The clock of a context. */
export function nowOf(ctx: WriterContext): number {
  return (ctx.now ?? Date.now)();
}

/** The latest snapshot, or undefined when no table exists at the storage root yet. */
export async function loadSnapshotIfExists(ctx: WriterContext, version?: number): Promise<Snapshot | undefined> {
  const cached = version === undefined ? ctx.snapshots?.get(ctx.storage.root) : undefined;
  if (cached) {
    try {
      const fresh = await refreshSnapshot(cached, ctx.storage, { parquetReader: ctx.parquetReader });
      ctx.snapshots!.set(ctx.storage.root, fresh);
      return fresh;
    } catch {
      ctx.snapshots!.delete(ctx.storage.root); // e.g. the table was removed: a full load decides
    }
  }
  try {
    const snapshot = await loadSnapshot(ctx.storage, { parquetReader: ctx.parquetReader, version });
    if (version === undefined) ctx.snapshots?.set(ctx.storage.root, snapshot);
    return snapshot;
  } catch (e) {
    if (e instanceof DeltaError && e.code === 'TABLE_NOT_FOUND') return undefined;
    throw e;
  }
}

/**
 * The latest snapshot.
 * @throws DeltaError TABLE_NOT_FOUND when there is no table
 */
export async function loadLatest(ctx: WriterContext): Promise<Snapshot> {
  return loadSnapshot(ctx.storage, { parquetReader: ctx.parquetReader });
}
