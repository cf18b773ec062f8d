/**
 * Append and overwrite (PROTOCOL.md "Add File and Remove File", "Change Metadata", "Protocol Evolution",
 * "Transaction Identifiers", "Commit Provenance Information"): a batch becomes parquet data files plus one
 * commit holding their adds, the removes of an overwrite, protocol and metaData when the table is created or
 * its schema grows, optional txn actions for exactly-once ingest, and a commitInfo.
 */
import { randomUUID } from 'node:crypto';
import type { Action, Metadata, Txn } from '../../log/actions.ts';
import { DeltaError } from '../../errors.ts';
import type { StructType } from '../../snapshot/schema-types.ts';
import type { Snapshot } from '../../snapshot/snapshot.ts';
import { maybeCheckpoint } from '../checkpoint.ts';
import { alreadyCommitted } from '../conflicts.ts';
import { commitWithRetry } from '../commit.ts';
import { storeDataFiles, writeScratchFiles } from './data-files.ts';
import { validateRows } from './row-validation.ts';
import { ensureUniqueColumns, reconcileSchema } from './schema-evolution.ts';
import { serializeSchema } from './schema-json.ts';
import { ensureWritable } from '../ensure-writable.ts';
import { removeOf } from '../remove-action.ts';
import { dropStaged, stageBatch, type WriteSource } from './stage-batch.ts';
import { writeChecked } from './write-checked.ts';
import { statsColumnCount } from '../table-properties.ts';
import { ENGINE_INFO, loadSnapshotIfExists, nowOf, type WriterContext } from '../writer-context.ts';

/** Options of writeTable. */
export interface WriteOptions {
  /** 'append' (default) adds rows; 'overwrite' replaces every live file. Both create a missing table. */
  mode?: 'append' | 'overwrite';
  /** Schema of the batch: required to create a table; with `mergeSchema` it may add nullable columns. */
  schema?: StructType;
  /** Partition columns when creating the table (ignored, but checked, when it exists). */
  partitionBy?: string[];
  /** Allow the batch schema to add new nullable columns (default false). */
  mergeSchema?: boolean;
  /** Application transactions committed atomically with the batch (exactly-once ingest). */
  txns?: Array<Pick<Txn, 'appId' | 'version'>>;
  /** Table properties and name when creating. */
  configuration?: Record<string, string>;
  name?: string;
  description?: string;
  /** Rows per data file at most (default 1,000,000). */
  maxRowsPerFile?: number;
  /** Extra commitInfo fields (e.g. what a demo generator injected). */
  commitInfo?: Record<string, unknown>;
}

/** What a write did. `alreadyCommitted` means every txn was already in the table and nothing was committed. */
export interface WriteResult {
  status: 'committed' | 'alreadyCommitted';
  /** The committed version, or the table version that already held the txn. */
  version: number;
  numFiles: number;
  numOutputRows: number;
  numOutputBytes: number;
  /** A checkpoint written after the commit, if one was due. */
  checkpointVersion?: number;
}

function newMetadata(schema: StructType, partitionBy: string[], opts: WriteOptions, now: number): Metadata {
  return {
    id: randomUUID(),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    format: { provider: 'parquet', options: {} },
    schemaString: serializeSchema(schema),
    partitionColumns: partitionBy,
    configuration: opts.configuration ?? {},
    createdTime: now,
  };
}

interface Plan {
  schema: StructType;
  partitionBy: string[];
  metadata?: Metadata;
  create: boolean;
}

function plan(snapshot: Snapshot | undefined, opts: WriteOptions, now: number): Plan {
  if (!snapshot) {
    if (!opts.schema) throw new DeltaError('TABLE_NOT_FOUND', 'the table does not exist and no schema was given to create it');
    ensureUniqueColumns(opts.schema);
    const partitionBy = opts.partitionBy ?? [];
    for (const c of partitionBy) {
      if (!opts.schema.fields.some((f) => f.name === c)) throw new DeltaError('INVALID_ARGUMENT', `partition column "${c}" is not in the schema`);
    }
    return { schema: opts.schema, partitionBy, metadata: newMetadata(opts.schema, partitionBy, opts, now), create: true };
  }
  const partitionBy = [...snapshot.partitionColumns];
  if (opts.partitionBy && opts.partitionBy.join('\u0000') !== partitionBy.join('\u0000')) {
    throw new DeltaError('SCHEMA_MISMATCH', `the table is partitioned by [${partitionBy.join(', ')}], not [${opts.partitionBy.join(', ')}]`);
  }
  const { schema, changed } = reconcileSchema(snapshot.schema, opts.schema, opts.mergeSchema ?? false);
  const metadata = changed ? { ...snapshot.metadata, schemaString: serializeSchema(schema) } : undefined;
  return { schema, partitionBy, metadata, create: false };
}

/**
 * Writes a batch to the table at `ctx.storage`, creating the table when missing.
 * Nothing is committed when validation fails; data files written before a failed commit stay unreferenced.
 * @throws DeltaError SCHEMA_MISMATCH ("row <i>, column <c>: ...") for a batch that does not fit the schema,
 * TABLE_NOT_FOUND when creating without a schema, CONCURRENT_MODIFICATION when a concurrent commit conflicts
 */
export async function writeTable(ctx: WriterContext, source: WriteSource, opts: WriteOptions = {}): Promise<WriteResult> {
  const snapshot = await loadSnapshotIfExists(ctx);
  const now = nowOf(ctx);
  const txnActions: Action[] = (opts.txns ?? []).map((t) => ({ txn: { appId: t.appId, version: t.version, lastUpdated: now } }));
  const done = snapshot && alreadyCommitted(txnActions, snapshot.appTransactions);
  if (snapshot && done) return { status: 'alreadyCommitted', version: snapshot.version, numFiles: 0, numOutputRows: 0, numOutputBytes: 0 };
  if (snapshot) ensureWritable(snapshot, opts.mode === 'overwrite');
  const p = plan(snapshot, opts, now);
  if ('rows' in source) validateRows(source.rows, p.schema);
  const statsColumns = statsColumnCount(p.metadata ?? snapshot!.metadata);
  const { adds, numOutputRows } = await ctx.sql.withSession(async (session) => {
    const staged = await stageBatch(session, source, p.schema, p.partitionBy);
    try {
      const files = await writeChecked(session, source, staged, p.schema, () => writeScratchFiles(session, staged, p.partitionBy, opts.maxRowsPerFile));
      const stored = await storeDataFiles(session, ctx.storage, files, p.schema, p.partitionBy, { statsColumns, now: ctx.now });
      return { adds: stored, numOutputRows: files.reduce((n, f) => n + f.numRecords, 0) };
    } finally {
      await dropStaged(session, staged);
    }
  });
  const overwrite = opts.mode === 'overwrite';
  const removes: Action[] = overwrite && snapshot ? snapshot.files.map((f) => ({ remove: removeOf(f, now, true) })) : [];
  const actions: Action[] = [
    ...(p.create ? [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }] : []),
    ...(p.metadata ? [{ metaData: p.metadata }] : []),
    ...txnActions,
    ...removes,
    ...adds.map((add) => ({ add })),
  ];
  const numOutputBytes = adds.reduce((n, a) => n + a.size, 0);
  const result = await commitWithRetry(
    ctx.storage,
    {
      readVersion: snapshot?.version ?? -1,
      actions,
      readsWholeTable: overwrite,
      commitInfo: {
        operation: p.create ? 'CREATE TABLE' : 'WRITE',
        operationParameters: { mode: overwrite ? 'Overwrite' : p.create ? 'ErrorIfExists' : 'Append', partitionBy: JSON.stringify(p.partitionBy) },
        operationMetrics: { numFiles: adds.length, numOutputRows, numOutputBytes, ...(overwrite ? { numRemovedFiles: removes.length } : {}) },
        engineInfo: ENGINE_INFO,
        isBlindAppend: !overwrite && !p.metadata,
        ...opts.commitInfo,
      },
    },
    { now: ctx.now },
  );
  if (result.status === 'alreadyCommitted') return { status: 'alreadyCommitted', version: -1, numFiles: 0, numOutputRows: 0, numOutputBytes: 0 };
  const checkpointVersion = await maybeCheckpoint(ctx, result.version, p.metadata ?? snapshot!.metadata);
  return { status: 'committed', version: result.version, numFiles: adds.length, numOutputRows, numOutputBytes, checkpointVersion };
}

/**
 * Appends JS rows (the ingest sink's entry point): `writeTable` in append mode with the given txns.
 * Returns `alreadyCommitted` when every txn's version is already in the table (the batch is a replay).
 */
export async function appendRows(ctx: WriterContext, rows: readonly Record<string, unknown>[], opts: Omit<WriteOptions, 'mode'> = {}): Promise<WriteResult> {
  return writeTable(ctx, { rows }, { ...opts, mode: 'append' });
}
