/**
 * LogSegment (delta-kernel-rs `log_segment`): the files needed to reconstruct one version: the newest complete
 * checkpoint at or below it (every part of a multi-part checkpoint present) and the contiguous commits after the
 * checkpoint up to the version. Without a checkpoint the commits must start at version 0.
 */
import { DeltaError } from '../errors.ts';
import type { LastCheckpointHint } from './last-checkpoint.ts';
import { commitPath, LOG_DIR, type LogFile } from './log-path.ts';

/** One complete checkpoint: a classic file, all parts of a multi-part one, or a UUID-named v2 file. */
export interface CheckpointFiles {
  version: number;
  kind: 'checkpoint' | 'multipartCheckpoint' | 'v2Checkpoint';
  /** Parts in order (one file unless multi-part). */
  files: LogFile[];
}

export interface LogSegment {
  /** The version this segment reconstructs. */
  version: number;
  checkpoint?: CheckpointFiles;
  /** Commits after the checkpoint (or from 0), ascending and contiguous, ending at `version`. */
  commits: LogFile[];
  /** The commit file at `version`, when the listing has it (also when `version` is the checkpoint's). */
  commitAtVersion?: LogFile;
  /** Newest version the listing can reconstruct. */
  latestVersion: number;
}

/**
 * Builds the segment for `version` (default: the latest) from a sorted listing.
 * The `_last_checkpoint` hint only breaks ties between complete checkpoints of one version; the listing decides.
 * @throws DeltaError INVALID_ARGUMENT for a negative or fractional version; VERSION_NOT_FOUND when the version is
 *   past the latest or its history was cleaned up; CORRUPT_LOG when commit 0 is missing with no checkpoint, or a
 *   commit between the checkpoint and the version is missing.
 */
export function buildLogSegment(files: readonly LogFile[], opts: { version?: number; hint?: LastCheckpointHint } = {}): LogSegment {
  const commits = new Map<number, LogFile>();
  for (const f of files) if (f.kind === 'commit') commits.set(f.version, f);
  const checkpoints = completeCheckpoints(files, opts.hint);
  const latestVersion = Math.max(maxKey(commits), checkpoints.at(-1)?.version ?? -1);
  const target = opts.version ?? latestVersion;
  if (!Number.isSafeInteger(target) || target < 0) {
    throw new DeltaError('INVALID_ARGUMENT', `version must be a non-negative integer, got ${String(opts.version)}`);
  }
  if (target > latestVersion) {
    throw new DeltaError('VERSION_NOT_FOUND', `version ${target} does not exist; the latest version is ${latestVersion}`);
  }
  let checkpoint: CheckpointFiles | undefined;
  for (const cp of checkpoints) if (cp.version <= target) checkpoint = cp;
  const start = checkpoint ? checkpoint.version + 1 : 0;
  if (!checkpoint && !commits.has(0)) {
    if (checkpoints.length === 0) {
      throw new DeltaError('CORRUPT_LOG', `${LOG_DIR}/ has no checkpoint and no commit 0 (${commitPath(0)} is missing)`);
    }
    throw new DeltaError('VERSION_NOT_FOUND', `version ${target} cannot be reconstructed: the log before the checkpoint at version ${checkpoints[0]!.version} was cleaned up`);
  }
  const segmentCommits: LogFile[] = [];
  for (let v = start; v <= target; v++) {
    const c = commits.get(v);
    if (!c) {
      throw new DeltaError('CORRUPT_LOG', `missing commit ${commitPath(v)} while reconstructing version ${target} (the log has a gap)`);
    }
    segmentCommits.push(c);
  }
  return { version: target, checkpoint, commits: segmentCommits, commitAtVersion: commits.get(target), latestVersion };
}

/** Complete checkpoints, ascending by version, at most one per version (v2 > classic > multi-part, hint first). */
export function completeCheckpoints(files: readonly LogFile[], hint?: LastCheckpointHint): CheckpointFiles[] {
  const byVersion = new Map<number, CheckpointFiles[]>();
  const multipart = new Map<string, LogFile[]>();
  const push = (cp: CheckpointFiles) => {
    const list = byVersion.get(cp.version) ?? [];
    list.push(cp);
    byVersion.set(cp.version, list);
  };
  for (const f of files) {
    if (f.kind === 'checkpoint' || f.kind === 'v2Checkpoint') push({ version: f.version, kind: f.kind, files: [f] });
    if (f.kind === 'multipartCheckpoint') {
      const key = `${f.version}/${f.parts}`;
      const parts = multipart.get(key) ?? [];
      parts.push(f);
      multipart.set(key, parts);
    }
  }
  for (const parts of multipart.values()) {
    const n = parts[0]!.parts!;
    const seen = new Map<number, LogFile>();
    for (const p of parts) seen.set(p.part!, p);
    if (seen.size !== n) continue; // incomplete: a writer may still be writing it, or it failed half-way
    const ordered = [...seen.keys()].sort((a, b) => a - b).map((k) => seen.get(k)!);
    push({ version: parts[0]!.version, kind: 'multipartCheckpoint', files: ordered });
  }
  const out: CheckpointFiles[] = [];
  for (const [version, list] of [...byVersion.entries()].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => rank(b, version, hint) - rank(a, version, hint));
    out.push(list[0]!);
  }
  return out;
}

function rank(cp: CheckpointFiles, version: number, hint?: LastCheckpointHint): number {
  let r = cp.kind === 'v2Checkpoint' ? 3 : cp.kind === 'checkpoint' ? 2 : 1;
  if (hint && hint.version === version) {
    const name = cp.files[0]!.meta.path;
    if (hint.v2CheckpointPath && name.endsWith(hint.v2CheckpointPath.slice(hint.v2CheckpointPath.lastIndexOf('/') + 1))) r += 10;
    if (hint.parts !== undefined && cp.kind === 'multipartCheckpoint' && cp.files.length === hint.parts) r += 10;
  }
  return r;
}

function maxKey(m: Map<number, unknown>): number {
  let max = -1;
  for (const k of m.keys()) if (k > max) max = k;
  return max;
}
