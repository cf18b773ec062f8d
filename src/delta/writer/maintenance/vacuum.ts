/**
 * VACUUM (PROTOCOL.md "Overview": removed files are deleted lazily after a retention period, default 7 days;
 * "Data Files"): deletes files under the table root that no version inside the retention window references
 * and that are older than the retention. A file is still referenced when it is live in the latest version or
 * was removed after the cutoff (time travel may still read it). `_delta_log/` and hidden folders are never
 * touched. A non-dry run ends with a commitInfo-only "VACUUM END" commit, as the reference implementation logs.
 */
import { readCommit } from '../../log/commit-reader.ts';
import { commitTimestamp } from '../../log/commit-timestamp.ts';
import { DeltaError } from '../../errors.ts';
import { listLogFiles } from '../../log/log-listing.ts';
import type { FileMeta } from '../../storage.ts';
import { commitWithRetry } from '../commit.ts';
import { decodeAddPath } from '../write/partition-values.ts';
import { deletedFileRetentionMs } from '../table-properties.ts';
import { ENGINE_INFO, loadLatest, nowOf, type WriterContext } from '../writer-context.ts';

/** Options of vacuumTable. */
export interface VacuumOptions {
  /** Retention in ms; default the table's `delta.deletedFileRetentionDuration` (7 days). */
  retainMs?: number;
  /** List what would be deleted without deleting. */
  dryRun?: boolean;
  /** Allow a retention below the table's configured one (breaks time travel and slow concurrent writers). */
  force?: boolean;
}

/** What VACUUM deleted (or would delete, on a dry run). */
export interface VacuumResult {
  dryRun: boolean;
  retentionMs: number;
  files: FileMeta[];
  bytes: number;
  /** The VACUUM END commit, when files were deleted. */
  version?: number;
}

function isTableDataPath(path: string): boolean {
  const segments = path.split('/');
  if (segments[0]!.startsWith('_')) return false;
  return !segments.some((s) => s.startsWith('.'));
}

/** Paths (decoded, relative) that a version inside the retention window may still read. */
async function referencedPaths(ctx: WriterContext, cutoff: number, live: readonly string[]): Promise<Set<string>> {
  const keep = new Set(live.map(decodeAddPath));
  const logFiles = await listLogFiles(ctx.storage);
  for (const file of logFiles) {
    if (file.kind !== 'commit') continue;
    const actions = await readCommit(ctx.storage, file.meta.path);
    let info;
    for (const a of actions) if ('commitInfo' in a) info = a.commitInfo;
    const committedAt = commitTimestamp(info, file.meta.modificationTime);
    for (const a of actions) {
      if ('remove' in a && (a.remove.deletionTimestamp ?? committedAt) > cutoff) keep.add(decodeAddPath(a.remove.path));
    }
  }
  return keep;
}

/**
 * Deletes unreferenced data files older than the retention.
 * @throws DeltaError INVALID_ARGUMENT for a retention below `delta.deletedFileRetentionDuration` without
 * `force`; UNSUPPORTED_FEATURE when the storage cannot list recursively
 */
export async function vacuumTable(ctx: WriterContext, opts: VacuumOptions = {}): Promise<VacuumResult> {
  const snapshot = await loadLatest(ctx);
  const configured = deletedFileRetentionMs(snapshot.metadata);
  const retentionMs = opts.retainMs ?? configured;
  if (retentionMs < configured && !opts.force) {
    throw new DeltaError(
      'INVALID_ARGUMENT',
      `retention ${retentionMs / 3_600_000}h is below the table's delta.deletedFileRetentionDuration (${configured / 3_600_000}h); pass force to vacuum anyway`,
    );
  }
  if (!ctx.storage.listRecursive) throw new DeltaError('UNSUPPORTED_FEATURE', `storage ${ctx.storage.root} cannot list recursively, so it cannot be vacuumed`);
  const now = nowOf(ctx);
  const cutoff = now - retentionMs;
  const keep = await referencedPaths(ctx, cutoff, snapshot.files.map((f) => f.path));
  const all = await ctx.storage.listRecursive('');
  const files = all.filter((f) => isTableDataPath(f.path) && !keep.has(f.path) && f.modificationTime < cutoff);
  const bytes = files.reduce((n, f) => n + f.size, 0);
  const result: VacuumResult = { dryRun: opts.dryRun ?? false, retentionMs, files, bytes };
  if (opts.dryRun || files.length === 0) return result;
  for (const f of files) await ctx.storage.delete(f.path);
  const commit = await commitWithRetry(
    ctx.storage,
    {
      readVersion: snapshot.version,
      actions: [],
      readsWholeTable: false,
      commitInfo: {
        operation: 'VACUUM END',
        operationParameters: { status: 'COMPLETED', retentionHours: retentionMs / 3_600_000 },
        operationMetrics: { numDeletedFiles: files.length, numDeletedBytes: bytes },
        engineInfo: ENGINE_INFO,
        isBlindAppend: false,
      },
    },
    { now: ctx.now },
  );
  return { ...result, version: commit.status === 'committed' ? commit.version : undefined };
}
