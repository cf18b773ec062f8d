/**
 * What every writer operation (write, optimize, restore, vacuum, checkpoint) works with: one table's storage,
 * the SQL seam for parquet, the parquet reader the snapshot loader needs, and a clock.
 */
import { DeltaError } from '../errors.ts';
import { loadSnapshot } from '../load-snapshot.ts';
import type { ParquetReader } from '../parquet-reader.ts';
import type { Snapshot } from '../snapshot.ts';
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
}

/** `engineInfo` of our commits. */
export const ENGINE_INFO = `delta-gateway/${GATEWAY_VERSION}`;

/** The clock of a context. */
export function nowOf(ctx: WriterContext): number {
  return (ctx.now ?? Date.now)();
}

/** The latest snapshot, or undefined when no table exists at the storage root yet. */
export async function loadSnapshotIfExists(ctx: WriterContext, version?: number): Promise<Snapshot | undefined> {
  try {
    return await loadSnapshot(ctx.storage, { parquetReader: ctx.parquetReader, version });
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
