/**
 * Change data feed (PROTOCOL.md "Add CDC File", "Change Data Files"): the row changes of commits `from`..`to`.
 * A commit with `cdc` actions is read from its change data files (which carry `_change_type`); any other commit
 * from its data-changing adds (insert) and removes (delete). An add and a remove of the same file with different
 * deletion vectors (a DV-only delete or restore) change just the rows between the two DVs. Every change carries
 * its `_commit_version` and `_commit_timestamp` (in-commit timestamp when enabled). This plans; sources reads.
 */
import type { Action, Add, CommitInfo, DeletionVectorDescriptor, Remove } from '../log/actions.ts';
import { commitTimestamp, inCommitTimestampsEnabled } from '../log/commit-timestamp.ts';
import { DeltaError } from '../errors.ts';
import { loadSnapshot, readCommits } from '../snapshot/load-snapshot.ts';
import { listLogFiles } from '../log/log-listing.ts';
import type { LogFile } from '../log/log-path.ts';
import { fileKey } from '../snapshot/replay.ts';
import type { ParquetReader } from '../parquet-reader.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import type { DeltaStorage } from '../storage.ts';

export type ChangeType = 'insert' | 'delete' | 'update_preimage' | 'update_postimage';

/** Which rows of a file a change reads. */
export type RowSelection =
  /** Every row the deletion vector (if any) leaves live. */
  | { kind: 'live'; deletionVector?: DeletionVectorDescriptor }
  /** Rows in `rows` (a DV) that are not in `minus` (another DV of the same file). */
  | { kind: 'between'; rows: DeletionVectorDescriptor; minus?: DeletionVectorDescriptor };

/** One file's contribution to the feed. */
export interface ChangeFile {
  readonly version: number;
  /** Commit time in ms since the epoch. */
  readonly timestamp: number;
  readonly path: string;
  readonly partitionValues: Readonly<Record<string, string | null>>;
  /** `cdc`: the file holds `_change_type`; otherwise every selected row has `changeType`. */
  readonly source: 'cdc' | 'data';
  readonly changeType?: ChangeType;
  readonly selection: RowSelection;
}

export interface ChangePlan {
  /** The table at `to`: its schema and column mapping read every change file. */
  readonly snapshot: Snapshot;
  readonly from: number;
  readonly to: number;
  readonly files: readonly ChangeFile[];
}

export interface PlanChangesOptions {
  parquetReader: ParquetReader;
  from: number;
  /** Last version (inclusive); default the latest. */
  to?: number;
  /** The table at `to` (or at the latest version when `to` is absent), when the caller already holds it. */
  snapshot?: Snapshot;
}

/** The changes of one commit without cdc actions, from its data-changing adds and removes. */
function dataChanges(actions: readonly Action[], at: { version: number; timestamp: number }): ChangeFile[] {
  const adds = new Map<string, Add>();
  const removes = new Map<string, Remove>();
  for (const a of actions) {
    if ('add' in a && a.add.dataChange !== false) adds.set(a.add.path, a.add);
    else if ('remove' in a && a.remove.dataChange !== false) removes.set(a.remove.path, a.remove);
  }
  const out: ChangeFile[] = [];
  const push = (path: string, partitionValues: Record<string, string | null> | undefined, changeType: ChangeType, selection: RowSelection) =>
    out.push({ ...at, path, partitionValues: partitionValues ?? {}, source: 'data', changeType, selection });
  for (const [path, add] of adds) {
    const removed = removes.get(path);
    if (!removed) {
      push(path, add.partitionValues, 'insert', { kind: 'live', deletionVector: add.deletionVector });
      continue;
    }
    removes.delete(path);
    if (fileKey(path, add.deletionVector) === fileKey(path, removed.deletionVector)) continue;
    // Same data file, new deletion vector: rows it newly deletes are deletes, rows it no longer deletes inserts.
    if (add.deletionVector) push(path, add.partitionValues, 'delete', { kind: 'between', rows: add.deletionVector, minus: removed.deletionVector });
    if (removed.deletionVector) push(path, add.partitionValues, 'insert', { kind: 'between', rows: removed.deletionVector, minus: add.deletionVector });
  }
  for (const [path, remove] of removes) push(path, remove.partitionValues, 'delete', { kind: 'live', deletionVector: remove.deletionVector });
  return out;
}

/**
 * Plans the change data feed of versions `from`..`to` (default latest).
 * @throws DeltaError INVALID_ARGUMENT (from > to, negative), VERSION_NOT_FOUND (a commit file of the range is
 *   gone), plus loadSnapshot's errors for the table at `to`
 */
export async function planChanges(storage: DeltaStorage, opts: PlanChangesOptions): Promise<ChangePlan> {
  if (!Number.isSafeInteger(opts.from) || opts.from < 0) throw new DeltaError('INVALID_ARGUMENT', `the starting version must be a non-negative integer, got ${opts.from}`);
  const given = opts.snapshot && (opts.to === undefined || opts.snapshot.version === opts.to) ? opts.snapshot : undefined;
  const snapshot = given ?? (await loadSnapshot(storage, { parquetReader: opts.parquetReader, ...(opts.to === undefined ? {} : { version: opts.to }) }));
  const to = snapshot.version;
  if (opts.from > to) throw new DeltaError('INVALID_ARGUMENT', `starting version ${opts.from} is after the ending version ${to}`);
  const listed = new Map((await listLogFiles(storage)).filter((f) => f.kind === 'commit').map((f) => [f.version, f]));
  const range: LogFile[] = [];
  for (let version = opts.from; version <= to; version++) {
    const commit = listed.get(version);
    if (!commit) throw new DeltaError('VERSION_NOT_FOUND', `commit ${version} is no longer in the log; its changes cannot be read`);
    range.push(commit);
  }
  const ict = inCommitTimestampsEnabled(snapshot.metadata);
  const files: ChangeFile[] = [];
  const commits = await readCommits(storage, range);
  for (let i = 0; i < range.length; i++) {
    const commit = range[i]!;
    const version = commit.version;
    const actions = commits[i]!;
    let info: CommitInfo | undefined;
    for (const a of actions) if ('commitInfo' in a) info = a.commitInfo;
    const at = { version, timestamp: commitTimestamp(info, commit.meta.modificationTime, ict) };
    const cdc = actions.flatMap((a) => ('cdc' in a ? [a.cdc] : []));
    if (cdc.length > 0) {
      for (const c of cdc) files.push({ ...at, path: c.path, partitionValues: c.partitionValues ?? {}, source: 'cdc', selection: { kind: 'live' } });
    } else files.push(...dataChanges(actions, at));
  }
  return { snapshot, from: opts.from, to, files };
}
