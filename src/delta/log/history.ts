/**
 * Table history (PROTOCOL.md "Commit Provenance Information"): one entry per commit still in `_delta_log/`, built
 * from its commitInfo action, newest first. Versions whose commit file was cleaned up are skipped.
 */
import type { CommitInfo } from './actions.ts';
import { readCommitInfo } from './commit-reader.ts';
import { commitTimestamp } from './commit-timestamp.ts';
import { listLogFiles } from './log-listing.ts';
import type { DeltaStorage } from '../storage.ts';

export interface HistoryEntry {
  version: number;
  /** inCommitTimestamp, else commitInfo.timestamp, else the commit file's mtime (ms). */
  timestamp: number;
  operation?: string;
  operationParameters?: Record<string, unknown>;
  operationMetrics?: Record<string, unknown>;
  engineInfo?: string;
  userName?: string;
  isBlindAppend?: boolean;
  readVersion?: number;
  /** The whole commitInfo action, when the commit has one. */
  commitInfo?: CommitInfo;
}

export interface LoadHistoryOptions {
  /** Most entries to return; default 100. */
  limit?: number;
  /** Only versions strictly below this one (for paging). */
  before?: number;
}

/**
 * Loads commit history, newest first.
 * @throws DeltaError TABLE_NOT_FOUND without a Delta log; CORRUPT_LOG when a commit file is malformed before its
 *   commitInfo.
 */
export async function loadHistory(storage: DeltaStorage, opts: LoadHistoryOptions = {}): Promise<HistoryEntry[]> {
  const limit = opts.limit ?? 100;
  const files = await listLogFiles(storage);
  const commits = files
    .filter((f) => f.kind === 'commit' && (opts.before === undefined || f.version < opts.before))
    .reverse()
    .slice(0, Math.max(0, limit));
  return Promise.all(
    commits.map(async (c): Promise<HistoryEntry> => {
      const info = await readCommitInfo(storage, c.meta.path);
      return {
        version: c.version,
        timestamp: commitTimestamp(info, c.meta.modificationTime),
        operation: info?.operation,
        operationParameters: info?.operationParameters,
        operationMetrics: info?.operationMetrics,
        engineInfo: info?.engineInfo,
        userName: typeof info?.userName === 'string' ? info.userName : undefined,
        isBlindAppend: info?.isBlindAppend,
        readVersion: info?.readVersion,
        commitInfo: info,
      };
    }),
  );
}
