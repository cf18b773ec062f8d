/**
 * Timestamp time travel (PROTOCOL.md "In-Commit Timestamps"): the version as of a time is the latest commit whose
 * timestamp is at or before it. Commit timestamps come from commitInfo (inCommitTimestamp, else timestamp), file
 * modification times only as a last resort, and are taken as monotonic so the search is binary.
 */
import { loadCommitTimestamp } from '../log/commit-timestamp.ts';
import { DeltaError } from '../errors.ts';
import type { LogFile } from '../log/log-path.ts';
import type { DeltaStorage } from '../storage.ts';

/**
 * The version of the table as of `timestamp` (ms since the epoch, or a Date), from a log listing.
 * A time after the latest commit gives the latest commit's version.
 * @throws DeltaError TIMESTAMP_OUT_OF_RANGE when the time is before the earliest commit still in the log (the
 *   message names that commit and its time); INVALID_ARGUMENT for an invalid time.
 */
export async function versionAtTimestamp(storage: DeltaStorage, files: readonly LogFile[], timestamp: number | Date): Promise<number> {
  const t = timestamp instanceof Date ? timestamp.getTime() : timestamp;
  if (!Number.isFinite(t)) throw new DeltaError('INVALID_ARGUMENT', `invalid timestamp ${String(timestamp)}`);
  const commits = files.filter((f) => f.kind === 'commit');
  if (commits.length === 0) throw new DeltaError('TIMESTAMP_OUT_OF_RANGE', `no commit files in ${storage.root} to time travel over`);
  const memo = new Map<number, number>();
  const at = async (i: number): Promise<number> => {
    let ts = memo.get(i);
    if (ts === undefined) {
      ts = await loadCommitTimestamp(storage, commits[i]!);
      memo.set(i, ts);
    }
    return ts;
  };
  const first = await at(0);
  if (t < first) {
    throw new DeltaError('TIMESTAMP_OUT_OF_RANGE', `timestamp ${iso(t)} is before the earliest available commit (version ${commits[0]!.version} at ${iso(first)})`);
  }
  let lo = 0;
  let hi = commits.length - 1;
  if ((await at(hi)) <= t) return commits[hi]!.version;
  // Invariant: at(lo) <= t < at(hi).
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((await at(mid)) <= t) lo = mid;
    else hi = mid;
  }
  return commits[lo]!.version;
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
