/**
 * RESTORE (the reference implementation's RESTORE TABLE; PROTOCOL.md "Add File and Remove File"): makes the
 * latest version hold the files of an earlier version again. Files live then and missing now are re-added,
 * files live now and not then are removed (both dataChange=true), and the old metaData is restored when the
 * schema or partitioning differ. Files already vacuumed make the restore fail; nothing is committed.
 */
import type { Action, Add } from '../../log/actions.ts';
import { DeltaError } from '../../errors.ts';
import { loadSnapshot } from '../../snapshot/load-snapshot.ts';
import { fileKey } from '../../snapshot/replay.ts';
import { maybeCheckpoint } from '../checkpoint.ts';
import { commitWithRetry } from '../commit.ts';
import { ensureWritable } from '../ensure-writable.ts';
import { decodeAddPath } from '../write/partition-values.ts';
import { logAdd, removeOf } from '../remove-action.ts';
import { ENGINE_INFO, loadLatest, nowOf, type WriterContext } from '../writer-context.ts';

/** What RESTORE did; `version` is undefined when the table already matched. */
export interface RestoreResult {
  version?: number;
  numRestoredFiles: number;
  numRemovedFiles: number;
  restoredFilesSize: number;
  removedFilesSize: number;
}

const key = (f: Add) => fileKey(f.path, f.deletionVector);

/**
 * Restores the table to `targetVersion`.
 * @throws DeltaError VERSION_NOT_FOUND for a version outside the log or at/after the latest; IO_ERROR naming a
 * data file of that version that no longer exists (vacuumed); CONCURRENT_MODIFICATION on a conflicting commit
 */
export async function restoreTable(ctx: WriterContext, targetVersion: number): Promise<RestoreResult> {
  const current = await loadLatest(ctx);
  ensureWritable(current, true);
  if (!Number.isInteger(targetVersion) || targetVersion < 0 || targetVersion >= current.version) {
    throw new DeltaError('VERSION_NOT_FOUND', `cannot restore to version ${targetVersion}: the table is at version ${current.version}`);
  }
  const target = await loadSnapshot(ctx.storage, { parquetReader: ctx.parquetReader, version: targetVersion });
  const now = nowOf(ctx);
  const currentKeys = new Set(current.files.map(key));
  const targetKeys = new Set(target.files.map(key));
  const restored = target.files.filter((f) => !currentKeys.has(key(f)));
  const removed = current.files.filter((f) => !targetKeys.has(key(f)));
  for (const f of restored) {
    if (!(await ctx.storage.stat(decodeAddPath(f.path)))) {
      throw new DeltaError('IO_ERROR', `cannot restore to version ${targetVersion}: its data file ${f.path} was vacuumed`);
    }
  }
  const metadataChanged =
    target.metadata.schemaString !== current.metadata.schemaString ||
    JSON.stringify(target.metadata.partitionColumns) !== JSON.stringify(current.metadata.partitionColumns);
  const result: RestoreResult = {
    numRestoredFiles: restored.length,
    numRemovedFiles: removed.length,
    restoredFilesSize: restored.reduce((n, f) => n + f.size, 0),
    removedFilesSize: removed.reduce((n, f) => n + f.size, 0),
  };
  if (restored.length === 0 && removed.length === 0 && !metadataChanged) return result;
  const actions: Action[] = [
    ...(metadataChanged ? [{ metaData: { ...target.metadata, id: current.metadata.id, configuration: current.metadata.configuration } }] : []),
    ...removed.map((f): Action => ({ remove: removeOf(f, now, true) })),
    ...restored.map((f): Action => ({ add: logAdd(f, true) })),
  ];
  const commit = await commitWithRetry(
    ctx.storage,
    {
      readVersion: current.version,
      actions,
      readsWholeTable: true,
      commitInfo: {
        operation: 'RESTORE',
        operationParameters: { version: targetVersion },
        operationMetrics: { ...result, tableSizeAfterRestore: target.files.reduce((n, f) => n + f.size, 0), numOfFilesAfterRestore: target.files.length },
        engineInfo: ENGINE_INFO,
        isBlindAppend: false,
      },
    },
    { now: ctx.now },
  );
  if (commit.status !== 'committed') return result;
  await maybeCheckpoint(ctx, commit.version, current.metadata);
  return { ...result, version: commit.version };
}
