/**
 * Snapshot loading (delta-kernel-rs `Snapshot::try_new`): list the log, pick the LogSegment for the requested
 * version (or the version as of a timestamp), read its checkpoint and commits, replay them newest to oldest,
 * refuse what this reader cannot read correctly, and assemble the Snapshot. Refresh replays only new commits.
 */
import type { Action, CommitInfo } from '../log/actions.ts';
import { readCheckpoint } from '../log/checkpoint-reader.ts';
import { readCommit, readCommitInfo } from '../log/commit-reader.ts';
import { commitTimestamp, inCommitTimestampsEnabled } from '../log/commit-timestamp.ts';
import { DeltaError } from '../errors.ts';
import { loadLastCheckpoint } from '../log/last-checkpoint.ts';
import { listLogFiles } from '../log/log-listing.ts';
import type { LogFile } from '../log/log-path.ts';
import { buildLogSegment, type LogSegment } from '../log/log-segment.ts';
import type { ParquetReader } from '../parquet-reader.ts';
import { appendOnlyRefresh } from './append-refresh.ts';
import { LogReplay, type ReplayState } from './replay.ts';
import { parseSchema } from './schema.ts';
import type { Snapshot } from './snapshot.ts';
import type { DeltaStorage } from '../storage.ts';
import { ensureFilesSupported, ensureProtocolSupported } from './table-features.ts';
import { versionAtTimestamp } from './time-travel.ts';

export interface LoadSnapshotOptions {
  /** Reads checkpoint and sidecar parquet. */
  parquetReader: ParquetReader;
  /** Version to load; default the latest. Not together with `timestamp`. */
  version?: number;
  /** Load the version as of this time (ms since the epoch or a Date); see versionAtTimestamp. */
  timestamp?: number | Date;
}

/** How many commit files are read at once. */
const READ_CONCURRENCY = 8;

/**
 * Loads the table state at a version (default latest) or timestamp.
 * @throws DeltaError TABLE_NOT_FOUND (no `_delta_log`), VERSION_NOT_FOUND, TIMESTAMP_OUT_OF_RANGE, CORRUPT_LOG
 *   (gaps, malformed commits or checkpoints, no protocol or metadata), UNSUPPORTED_FEATURE (reader version,
 *   reader features, data types), INVALID_ARGUMENT (both version and timestamp), IO_ERROR.
 */
export async function loadSnapshot(storage: DeltaStorage, opts: LoadSnapshotOptions): Promise<Snapshot> {
  if (opts.version !== undefined && opts.timestamp !== undefined) {
    throw new DeltaError('INVALID_ARGUMENT', 'pass either a version or a timestamp, not both');
  }
  const [files, hint] = await Promise.all([listLogFiles(storage), loadLastCheckpoint(storage)]);
  const version = opts.timestamp !== undefined ? await versionAtTimestamp(storage, files, opts.timestamp) : opts.version;
  const segment = buildLogSegment(files, { version, hint });
  const [commits, base] = await Promise.all([
    readCommits(storage, segment.commits),
    segment.checkpoint ? readCheckpoint(storage, opts.parquetReader, segment.checkpoint) : Promise.resolve([]),
  ]);
  const replay = new LogReplay();
  for (let i = commits.length - 1; i >= 0; i--) replay.applyCommit(commits[i]!);
  replay.applyBase(base);
  const lastCommit = segment.commits.at(-1)?.version === segment.version ? commits.at(-1) : undefined;
  return assemble(storage, segment, replay.finish(), lastCommit);
}

/**
 * The latest snapshot, reusing `prev`: returns `prev` itself when no newer commit exists, else replays only the
 * commits after `prev.version` over its state (falling back to a full load when they are not all present).
 * @throws DeltaError as loadSnapshot.
 */
export async function refreshSnapshot(prev: Snapshot, storage: DeltaStorage, opts: { parquetReader: ParquetReader }): Promise<Snapshot> {
  const files = await listLogFiles(storage);
  const segment = buildLogSegment(files);
  if (segment.version <= prev.version) return prev;
  const byVersion = new Map<number, LogFile>();
  for (const f of files) if (f.kind === 'commit' && f.version > prev.version) byVersion.set(f.version, f);
  const newCommits: LogFile[] = [];
  for (let v = prev.version + 1; v <= segment.version; v++) {
    const c = byVersion.get(v);
    if (!c) return loadSnapshot(storage, { parquetReader: opts.parquetReader });
    newCommits.push(c);
  }
  const commits = await readCommits(storage, newCommits);
  const incremental: LogSegment = { ...segment, checkpoint: undefined, commits: newCommits };
  const appended = appendOnlyRefresh(prev, commits);
  if (appended) {
    const next = await assemble(storage, incremental, appended.state, commits.at(-1), prev);
    appended.remember(next);
    return next;
  }
  const replay = new LogReplay();
  for (let i = commits.length - 1; i >= 0; i--) replay.applyCommit(commits[i]!);
  replay.applyBaseFiles(prev.files);
  replay.applyBaseState(prev);
  return assemble(storage, incremental, replay.finish(), commits.at(-1), prev);
}

/** Builds the Snapshot from replay state; `prev` (a refresh's base) lends its parsed schema when metadata is unchanged. */
async function assemble(storage: DeltaStorage, segment: LogSegment, state: ReplayState, lastCommit: readonly Action[] | undefined, prev?: Snapshot): Promise<Snapshot> {
  const { protocol, metadata } = state;
  if (!protocol || !metadata) {
    throw new DeltaError('CORRUPT_LOG', `no ${protocol ? 'metaData' : 'protocol'} action in the log of ${storage.root} at version ${segment.version}`);
  }
  if (typeof protocol.minReaderVersion !== 'number') {
    throw new DeltaError('CORRUPT_LOG', `the protocol action at version ${segment.version} of ${storage.root} has no minReaderVersion`);
  }
  if (typeof metadata.schemaString !== 'string') {
    throw new DeltaError('CORRUPT_LOG', `the metaData action at version ${segment.version} of ${storage.root} has no schemaString`);
  }
  ensureProtocolSupported(protocol, metadata);
  const schema = prev && prev.metadata === metadata ? prev.schema : parseSchema(metadata.schemaString);
  ensureFilesSupported(protocol, state.files);
  return {
    tableRoot: storage.root,
    version: segment.version,
    protocol,
    metadata,
    schema,
    partitionColumns: metadata.partitionColumns ?? [],
    files: state.files,
    appTransactions: state.appTransactions,
    domainMetadata: state.domainMetadata,
    timestamp: await snapshotTimestamp(storage, segment, lastCommit, inCommitTimestampsEnabled(metadata)),
  };
}

async function snapshotTimestamp(storage: DeltaStorage, segment: LogSegment, lastCommit: readonly Action[] | undefined, ict: boolean): Promise<number> {
  const file = segment.commitAtVersion;
  if (!file) return segment.checkpoint?.files[0]?.meta.modificationTime ?? 0;
  let info: CommitInfo | undefined;
  if (lastCommit) {
    for (const a of lastCommit) if ('commitInfo' in a) info = a.commitInfo;
  } else {
    info = await readCommitInfo(storage, file.meta.path);
  }
  return commitTimestamp(info, file.meta.modificationTime, ict);
}

/** Reads commit files, a few at a time, into their actions (in the order given). */
export async function readCommits(storage: DeltaStorage, files: readonly LogFile[]): Promise<Action[][]> {
  const out: Action[][] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      out[i] = await readCommit(storage, files[i]!.meta.path);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  return out;
}
