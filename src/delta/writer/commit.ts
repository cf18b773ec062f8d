/**
 * Atomic commits with optimistic concurrency (PROTOCOL.md "Delta Log Entries", "Creation of New Log Entries"):
 * version v exists once `_delta_log/<v>.json` exists, and it is created only if absent, never overwritten.
 * A writer that loses the race reads the winning commits, applies the conflict rules and tries the next
 * version, a bounded number of times with jittered back-off.
 */
import type { Action, CommitInfo, Txn } from '../log/actions.ts';
import { readCommit } from '../log/commit-reader.ts';
import { DeltaError } from '../errors.ts';
import { listLogFiles } from '../log/log-listing.ts';
import { commitPath } from '../log/log-path.ts';
import type { DeltaStorage } from '../storage.ts';
import { checkWinningCommit, type PendingCommit } from './conflicts.ts';

/** A commit to make. */
export interface CommitRequest extends PendingCommit {
  /** The version the actions were planned against; -1 when the commit creates the table. */
  readVersion: number;
  /** Written as the first action; `timestamp` and `readVersion` are filled in per attempt. */
  commitInfo: CommitInfo;
}

/** Outcome: committed at a version, or skipped because every txn of the batch was already committed. */
export type CommitResult =
  | { status: 'committed'; version: number; attempts: number }
  | { status: 'alreadyCommitted'; txn: Txn; attempts: number };

/** Options of commitWithRetry. */
export interface CommitOptions {
  /** Attempts before giving up; default 20. */
  maxAttempts?: number;
  /** The clock for commit timestamps; default Date.now. */
  now?: () => number;
}

function encodeCommit(actions: readonly Action[]): Uint8Array {
  return new TextEncoder().encode(actions.map((a) => JSON.stringify(a)).join('\n') + '\n');
}

async function latestVersion(storage: DeltaStorage): Promise<number> {
  const files = await listLogFiles(storage);
  return files.reduce((max, f) => (f.kind === 'commit' && f.version > max ? f.version : max), -1);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Commits `actions` at the first free version after `readVersion`, checking every commit that won in between.
 * @throws DeltaError CONCURRENT_MODIFICATION when a winner conflicts, when the table was created concurrently
 * (readVersion -1), or after `maxAttempts` lost races
 */
export async function commitWithRetry(storage: DeltaStorage, req: CommitRequest, opts: CommitOptions = {}): Promise<CommitResult> {
  const maxAttempts = opts.maxAttempts ?? 20;
  const now = opts.now ?? Date.now;
  let version = req.readVersion + 1;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const info: CommitInfo = { timestamp: now(), ...req.commitInfo };
    if (req.readVersion >= 0) info.readVersion = req.readVersion;
    if (await storage.writeIfAbsent(commitPath(version), encodeCommit([{ commitInfo: info }, ...req.actions]))) {
      return { status: 'committed', version, attempts: attempt };
    }
    if (req.readVersion < 0) throw new DeltaError('CONCURRENT_MODIFICATION', `table at ${storage.root} was created concurrently`);
    const latest = Math.max(version, await latestVersion(storage));
    for (let v = version; v <= latest; v++) {
      const verdict = checkWinningCommit(req, await readCommit(storage, commitPath(v)), v);
      if (verdict.kind === 'alreadyCommitted') return { status: 'alreadyCommitted', txn: verdict.txn, attempts: attempt };
    }
    version = latest + 1;
    await sleep(Math.random() * Math.min(200, 5 * 2 ** attempt));
  }
  throw new DeltaError('CONCURRENT_MODIFICATION', `gave up committing to ${storage.root} after ${maxAttempts} attempts`);
}
