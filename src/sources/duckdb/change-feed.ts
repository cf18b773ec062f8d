/**
 * Reads a table's change data feed (src/delta/scan/change-data-feed.ts plans it) through DuckDB: change data files
 * with their own `_change_type`, data files of commits without them as inserts or deletes (deletion vectors
 * applied, DV-only changes read as the rows between two DVs), each file's columns mapped to the logical schema of
 * the ending version, plus `_commit_version` and `_commit_timestamp`. Rows come back JSON-safe or go to a file.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { type ChangeFile, type ChangePlan, planChanges, columnMappingModeOf, physicalNaming, loadDeletionVector, storageFileReader, DeltaError, bindPredicate, type BoundPredicate, type Predicate, predicateSql, deletionVectorUniqueId, parsePartitionValues, partitionFieldsOf, type SourceFile, sourceSql, type DataType, quoteIdent, quoteString, type DeltaStorage } from '../../delta/index.ts';
import { DELETED_ROWS_TABLE, loadDeletedRows } from './deleted-rows.ts';
import { COPY_FORMATS, type ExportFormat, runPrepared, withScanConnection } from './delta-scan.ts';
import { deletedRowsRegistry, fileColumnsOn } from './scan-context.ts';
import type { DuckDbEngine } from './duckdb-engine.ts';
import { type JsonValue, toJsonRow } from './duckdb-json.ts';
import { fieldIdNames } from './parquet-columns.ts';

export interface LoadChangesOptions {
  engine: DuckDbEngine;
  storage: DeltaStorage;
  /** First version (inclusive). */
  from: number;
  /** Last version (inclusive); default the latest. */
  to?: number;
  timeoutMs?: number;
  /**
   * One page of the changes in a stable order (commit version, change type, then the scalar data columns),
   * for paging by offset; without it every row comes back, in no particular order.
   */
  page?: { limit: number; offset: number };
  /** Only changes of these `_change_type` values (bound as parameters); all when absent. */
  changeTypes?: readonly string[];
  /** Only changes whose row matches (columns of the ending version's schema; values bound as parameters). */
  predicate?: Predicate;
  /** The plan of `from`..`to` when the caller already made it (one plan for a page and its count). */
  plan?: ChangePlan;
}

/** A change query: SQL text and its positional parameters. */
interface ChangesQuery {
  sql: string;
  params: unknown[];
}

export interface ChangeColumn {
  readonly name: string;
  /** Delta type of a data column; undefined for the three change columns. */
  readonly type?: DataType;
}

const CHANGE_COLUMNS = ['_change_type', '_commit_version', '_commit_timestamp'];

function difference(a: Float64Array, b: Float64Array | undefined): Float64Array {
  if (!b || b.length === 0) return a;
  const drop = new Set(b);
  return a.filter((v) => !drop.has(v));
}

/** A SourceFile for one change file, registering the row set a `between` selection reads. */
async function sourceFile(c: DuckDBConnection, opts: LoadChangesOptions, plan: ChangePlan, file: ChangeFile, read: ReturnType<typeof storageFileReader>): Promise<SourceFile> {
  const partitionValues = parsePartitionValues(file.partitionValues, partitionFieldsOf(plan.snapshot.schema.fields, plan.snapshot.partitionColumns));
  const sel = file.selection;
  if (sel.kind === 'live') return { add: { path: file.path, deletionVector: sel.deletionVector }, partitionValues };
  const key = `${opts.storage.root}\u0000${file.path}\u0000${deletionVectorUniqueId(sel.rows)}\u0000minus\u0000${sel.minus ? deletionVectorUniqueId(sel.minus) : ''}`;
  const id = await deletedRowsRegistry(opts.engine).ensure(c, key, async () => {
    const rows = await loadDeletionVector(sel.rows, file.path, read);
    return difference(rows, sel.minus ? await loadDeletionVector(sel.minus, file.path, read) : undefined);
  });
  return { add: { path: file.path }, partitionValues, onlyRows: id };
}

/** Files of one commit that read alike (same source, change type and kind of row selection). */
function groupKey(f: ChangeFile): string {
  return [f.version, f.source, f.changeType ?? '', f.selection.kind].join('|');
}

async function changesSql(c: DuckDBConnection, opts: LoadChangesOptions, plan: ChangePlan): Promise<string> {
  const { snapshot } = plan;
  const fields = snapshot.schema.fields;
  const partitionFields = partitionFieldsOf(fields, snapshot.partitionColumns);
  const mode = columnMappingModeOf(snapshot.metadata);
  const locate = (add: { path: string }) => opts.storage.resolve(add.path);
  const read = storageFileReader(opts.storage);
  const groups = new Map<string, ChangeFile[]>();
  for (const f of plan.files) {
    const key = groupKey(f);
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  const parts: string[] = [];
  for (const files of groups.values()) {
    const first = files[0]!;
    const sources: SourceFile[] = [];
    for (const f of files) sources.push(await sourceFile(c, opts, plan, f, read));
    const columns = await fileColumnsOn(c, sources.map((s) => locate(s.add)));
    const deletedRows =
      (await loadDeletedRows(deletedRowsRegistry(opts.engine), c, opts.storage, sources.map((s) => s.add), read)) ??
      (sources.some((s) => s.onlyRows) ? { table: DELETED_ROWS_TABLE, ids: new Map() } : undefined);
    const naming = physicalNaming(mode, mode === 'id' ? fieldIdNames(columns) : undefined);
    const inner = sourceSql(sources, fields, partitionFields, {
      locate, naming, presentColumns: columns.present, uniformColumns: columns.uniform, deletedRows,
      passThrough: first.source === 'cdc' ? ['_change_type'] : [],
    });
    const changeType = first.source === 'cdc' ? 'CAST(s."_change_type" AS VARCHAR)' : quoteString(first.changeType!);
    const data = fields.map((f) => `s.${quoteIdent(f.name)}`);
    parts.push(`SELECT ${[...data, `${changeType} AS "_change_type"`, `CAST(${first.version} AS BIGINT) AS "_commit_version"`,
      `(TIMESTAMPTZ '1970-01-01 00:00:00+00' + to_milliseconds(${first.timestamp})) AS "_commit_timestamp"`].join(', ')} FROM (${inner}) AS s`);
  }
  if (parts.length === 0) {
    const empty = sourceSql([], fields, partitionFields, { locate, naming: physicalNaming(mode) });
    return `SELECT *, CAST(NULL AS VARCHAR) AS "_change_type", CAST(NULL AS BIGINT) AS "_commit_version", CAST(NULL AS TIMESTAMPTZ) AS "_commit_timestamp" FROM (${empty}) AS s`;
  }
  return parts.join(' UNION ALL ');
}

function columnsOf(plan: ChangePlan): ChangeColumn[] {
  return [...plan.snapshot.schema.fields.map((f) => ({ name: f.name, type: f.type })), ...CHANGE_COLUMNS.map((name) => ({ name }))];
}

/**
 * The change rows of versions `from`..`to` (as delta-rs `DeltaTable.load_cdf(from, to)`), JSON-safe, in no
 * particular order: the data columns of the ending version's schema, `_change_type` (insert, delete,
 * update_preimage, update_postimage), `_commit_version`, `_commit_timestamp`.
 * @throws DeltaError as planChanges; CORRUPT_DATA / CORRUPT_LOG for deletion vectors; IO_ERROR for data files
 */
export async function loadChanges(opts: LoadChangesOptions): Promise<{ rows: Record<string, JsonValue>[]; columns: ChangeColumn[]; plan: ChangePlan }> {
  return withChangesSql(opts, async (c, { sql, params }, plan) => {
    const n = params.length;
    const reader = opts.page
      ? await runPrepared(c, `${pageOrder(sql, plan)} LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, opts.page.limit, opts.page.offset])
      : await runPrepared(c, sql, params);
    return { rows: (reader.getRowObjects() as Record<string, DuckDBValue>[]).map(toJsonRow), columns: columnsOf(plan), plan };
  });
}

/** The number of change rows of versions `from`..`to` (`page` ignored). */
export async function countChanges(opts: LoadChangesOptions): Promise<number> {
  return withChangesSql(opts, async (c, { sql, params }) => Number((await runPrepared(c, `SELECT count(*) FROM (${sql}) AS changes`, params)).getRows()[0]?.[0] ?? 0));
}

/** Plans the changes, then runs `use` with the change rows' query on a scan connection under the deadline. */
async function withChangesSql<T>(opts: LoadChangesOptions, use: (c: DuckDBConnection, query: ChangesQuery, plan: ChangePlan) => Promise<T>): Promise<T> {
  const plan = opts.plan ?? (await planChanges(opts.storage, { parquetReader: opts.engine.parquetReader, from: opts.from, to: opts.to }));
  // Bound before any file is read, so a bad column or value is refused at once.
  const predicate = opts.predicate ? bindPredicate(plan.snapshot.schema, opts.predicate) : undefined;
  return withScanConnection(opts.engine, opts.timeoutMs, async (c) => use(c, filtered(await changesSql(c, opts, plan), opts.changeTypes, predicate), plan));
}

/** Keeps the change types asked for and the rows the predicate matches, every value a bound parameter. */
function filtered(sql: string, changeTypes: readonly string[] | undefined, predicate: BoundPredicate | undefined): ChangesQuery {
  const params: unknown[] = [];
  const conditions: string[] = [];
  if (changeTypes) {
    const slots = changeTypes.map((t) => (params.push(t), `$${params.length}`));
    conditions.push(slots.length ? `"_change_type" IN (${slots.join(', ')})` : 'false');
  }
  if (predicate) conditions.push(predicateSql(predicate, 'changes', params));
  if (conditions.length === 0) return { sql, params };
  return { sql: `SELECT * FROM (${sql}) AS changes WHERE ${conditions.join(' AND ')}`, params };
}

/**
 * The change rows in a total order up to equal scalar values: rows that tie on every sorted column differ at
 * most in nested values, so a page boundary between them can only swap rows a client cannot tell apart by key.
 */
function pageOrder(sql: string, plan: ChangePlan): string {
  const scalars = plan.snapshot.schema.fields.filter((f) => f.type.kind === 'primitive' || f.type.kind === 'decimal');
  const keys = ['"_commit_version"', '"_change_type"', ...scalars.map((f) => quoteIdent(f.name))];
  return `SELECT * FROM (${sql}) AS changes ORDER BY ${keys.map((k) => `${k} NULLS FIRST`).join(', ')}`;
}

/** Writes the change rows with DuckDB COPY as parquet, CSV (with header) or JSON lines; returns the row count. */
export async function exportChanges(opts: LoadChangesOptions & { format: ExportFormat; output: string }): Promise<{ rowsWritten: number; plan: ChangePlan }> {
  const format = COPY_FORMATS[opts.format];
  if (!format) throw new DeltaError('INVALID_ARGUMENT', `unknown export format "${String(opts.format)}"`);
  return withChangesSql(opts, async (c, { sql, params }, plan) => {
    const reader = await runPrepared(c, `COPY (${sql}) TO ${quoteString(opts.output)} (${format})`, params);
    return { rowsWritten: Number(reader.getRows()[0]?.[0] ?? 0), plan };
  });
}
