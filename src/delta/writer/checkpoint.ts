/**
 * Classic checkpoints (PROTOCOL.md "Checkpoints", "Checkpoint Schema", "Last Checkpoint File"): the state of
 * version v (protocol, metaData, txn, live adds, domain metadata; one action per row) as
 * `_delta_log/<v>.checkpoint.parquet` in the checkpoint schema, then the `_last_checkpoint` hint. The parquet
 * is built in scratch space and stored with writeIfAbsent, so readers never see a partial checkpoint.
 * Tombstones (remove actions) are not carried: only VACUUM uses them, and ours replays commits instead.
 */
import type { Action, Metadata } from '../log/actions.ts';
import { loadLastCheckpoint } from '../log/last-checkpoint.ts';
import { checkpointPath, LAST_CHECKPOINT_PATH } from '../log/log-path.ts';
import { loadSnapshot } from '../snapshot/load-snapshot.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { quoteString } from '../scan/sql-text.ts';
import { logAdd } from './remove-action.ts';
import { checkpointInterval } from './table-properties.ts';
import type { WriterContext } from './writer-context.ts';

const MAP = 'MAP(VARCHAR, VARCHAR)';
const DV = 'STRUCT(storageType VARCHAR, pathOrInlineDv VARCHAR, "offset" INTEGER, sizeInBytes INTEGER, cardinality BIGINT, maxRowIndex BIGINT)';

/** DuckDB types of the checkpoint columns, in the protocol's checkpoint schema. */
export const CHECKPOINT_COLUMNS: Record<string, string> = {
  txn: 'STRUCT(appId VARCHAR, version BIGINT, lastUpdated BIGINT)',
  add: `STRUCT(path VARCHAR, partitionValues ${MAP}, size BIGINT, modificationTime BIGINT, dataChange BOOLEAN, stats VARCHAR, tags ${MAP}, deletionVector ${DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT, clusteringProvider VARCHAR)`,
  remove: `STRUCT(path VARCHAR, deletionTimestamp BIGINT, dataChange BOOLEAN, extendedFileMetadata BOOLEAN, partitionValues ${MAP}, size BIGINT, deletionVector ${DV}, baseRowId BIGINT, defaultRowCommitVersion BIGINT)`,
  metaData: `STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options ${MAP}), schemaString VARCHAR, partitionColumns VARCHAR[], configuration ${MAP}, createdTime BIGINT)`,
  protocol: 'STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])',
  domainMetadata: 'STRUCT(domain VARCHAR, configuration VARCHAR, removed BOOLEAN)',
};

/** The actions a checkpoint of `snapshot` holds, protocol and metaData first. */
export function checkpointActions(snapshot: Snapshot): Action[] {
  const actions: Action[] = [{ protocol: snapshot.protocol }, { metaData: snapshot.metadata }];
  for (const txn of snapshot.appTransactions.values()) actions.push({ txn });
  for (const domainMetadata of snapshot.domainMetadata.values()) actions.push({ domainMetadata });
  for (const f of snapshot.files) actions.push({ add: logAdd(f, false) });
  return actions;
}

/**
 * Writes the classic checkpoint of `version` and points `_last_checkpoint` at it. An existing checkpoint file
 * of that version is left alone (another writer made it).
 * `_last_checkpoint` never moves backwards.
 * @returns the number of actions written
 */
export async function writeCheckpoint(ctx: WriterContext, version: number): Promise<number> {
  const snapshot = await loadSnapshot(ctx.storage, { parquetReader: ctx.parquetReader, version });
  const actions = checkpointActions(snapshot);
  const bytes = await ctx.sql.withSession(async (session) => {
    const input = await session.scratch.write('checkpoint.ndjson', actions.map((a) => JSON.stringify(a)).join('\n'));
    const columns = Object.entries(CHECKPOINT_COLUMNS).map(([k, t]) => `${quoteString(k)}: ${quoteString(t)}`);
    const out = session.scratch.location('checkpoint.parquet');
    await session.copyToParquet(
      `SELECT ${Object.keys(CHECKPOINT_COLUMNS).map((k) => `"${k}"`).join(', ')} FROM read_json(${quoteString(input)}, format = 'newline_delimited', columns = {${columns.join(', ')}})`,
      out,
    );
    return session.scratch.read('checkpoint.parquet');
  });
  await ctx.storage.writeIfAbsent(checkpointPath(version), bytes);
  const hint = { version, size: actions.length, sizeInBytes: bytes.length, numOfAddFiles: snapshot.files.length };
  const previous = await loadLastCheckpoint(ctx.storage);
  if (previous && previous.version > version) return actions.length;
  await ctx.storage.write(LAST_CHECKPOINT_PATH, new TextEncoder().encode(JSON.stringify(hint)));
  return actions.length;
}

/**
 * Writes a checkpoint when `version` is a positive multiple of `delta.checkpointInterval` (default 10).
 * A failed checkpoint never fails the commit before it: the log stays complete without it.
 * @param metadata the table metadata at `version` (its configuration holds the interval)
 * @returns the checkpointed version, or undefined when none was due or it failed
 */
export async function maybeCheckpoint(ctx: WriterContext, version: number, metadata: Metadata): Promise<number | undefined> {
  if (version <= 0 || version % checkpointInterval(metadata) !== 0) return undefined;
  try {
    await writeCheckpoint(ctx, version);
    return version;
  } catch {
    return undefined;
  }
}
