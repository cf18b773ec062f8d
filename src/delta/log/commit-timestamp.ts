/**
 * Commit timestamps (PROTOCOL.md "In-Commit Timestamps", "Commit Provenance Information"): with
 * `delta.enableInCommitTimestamps` a commit's time is `commitInfo.inCommitTimestamp` (monotonic, written by the
 * committer); otherwise `commitInfo.timestamp`; the file's modification time only when neither is present.
 */
import type { CommitInfo, Metadata } from './actions.ts';
import { readCommitInfo } from './commit-reader.ts';
import type { LogFile } from './log-path.ts';
import type { DeltaStorage } from '../storage.ts';

/** True when the table properties turn in-commit timestamps on. */
export function inCommitTimestampsEnabled(metadata: Metadata | undefined): boolean {
  return metadata?.configuration?.['delta.enableInCommitTimestamps'] === 'true';
}

/**
 * A commit's timestamp in ms. `useInCommitTimestamp` defaults to true: inCommitTimestamp is only written while the
 * feature is on, so its presence is itself the signal.
 */
export function commitTimestamp(info: CommitInfo | undefined, mtime: number, useInCommitTimestamp = true): number {
  if (useInCommitTimestamp && typeof info?.inCommitTimestamp === 'number') return info.inCommitTimestamp;
  if (typeof info?.timestamp === 'number') return info.timestamp;
  return mtime;
}

/** Reads a commit file's commitInfo and derives its timestamp. */
export async function loadCommitTimestamp(storage: DeltaStorage, commit: LogFile, useInCommitTimestamp = true): Promise<number> {
  const info = await readCommitInfo(storage, commit.meta.path);
  return commitTimestamp(info, commit.meta.modificationTime, useInCommitTimestamp);
}
