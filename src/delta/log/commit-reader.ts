/**
 * Commit files (PROTOCOL.md "Delta Log Entries", "Actions"): `_delta_log/<v>.json` holds the atomic set of actions
 * of version v. This module reads one into typed actions, checks the few fields replay relies on, and can stop
 * early when only the commitInfo (always near the top; first when in-commit timestamps are on) is wanted.
 */
import type { Action, CommitInfo } from './actions.ts';
import { DeltaError } from '../errors.ts';
import { forEachJsonValue } from './json-values.ts';
import type { DeltaStorage } from '../storage.ts';

const decoder = new TextDecoder();

/** Decodes a log file's bytes as UTF-8 text. */
export function decodeText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Parses commit text into actions, in file order. Unknown action kinds are kept (replay ignores them).
 * @throws DeltaError CORRUPT_LOG naming `file` and the line of a malformed value or a file action without a path.
 */
export function parseCommit(text: string, file: string): Action[] {
  const actions: Action[] = [];
  forEachJsonValue(text, file, (v, line) => {
    checkAction(v, file, line);
    actions.push(v as unknown as Action);
  });
  return actions;
}

/** Reads and parses one commit (or v2 JSON checkpoint) file. */
export async function readCommit(storage: DeltaStorage, path: string): Promise<Action[]> {
  return parseCommit(decodeText(await storage.read(path)), path);
}

/**
 * The commitInfo of a commit, parsing only up to it (undefined when the commit has none).
 * @throws DeltaError IO_ERROR when the file is missing, CORRUPT_LOG when a value before the commitInfo is malformed.
 */
export async function readCommitInfo(storage: DeltaStorage, path: string): Promise<CommitInfo | undefined> {
  const text = decodeText(await storage.read(path));
  let info: CommitInfo | undefined;
  forEachJsonValue(text, path, (v) => {
    const ci = v.commitInfo;
    if (ci && typeof ci === 'object') {
      info = ci as CommitInfo;
      return false;
    }
    return true;
  });
  return info;
}

function checkAction(v: Record<string, unknown>, file: string, line: number): void {
  const add = v.add as Record<string, unknown> | undefined;
  if (add !== undefined) {
    if (typeof add !== 'object' || add === null || typeof add.path !== 'string') throw bad(file, line, 'add without a path');
    if (add.partitionValues == null) add.partitionValues = {};
    return;
  }
  const remove = v.remove as Record<string, unknown> | undefined;
  if (remove !== undefined) {
    if (typeof remove !== 'object' || remove === null || typeof remove.path !== 'string') throw bad(file, line, 'remove without a path');
    return;
  }
  // metaData and protocol are checked once replay has picked the winning ones (load-snapshot.ts): an older
  // malformed one that a newer one supersedes does not make the table unreadable.
}

function bad(file: string, line: number, why: string): DeltaError {
  return new DeltaError('CORRUPT_LOG', `corrupt action in ${file} at line ${line}: ${why}`);
}
