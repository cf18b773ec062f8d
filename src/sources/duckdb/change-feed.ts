/**
 * The change data feed's side of the scan executor (src/delta/scan/change-data-feed.ts plans it): change data
 * files with their own `_change_type`, data files of commits without them as inserts or deletes (deletion
 * vectors applied, DV-only changes read as the rows between two DVs), each file's columns mapped to the logical
 * schema of the ending version, plus `_commit_version` and `_commit_timestamp`; filtered by change type and
 * predicate, every value a bound parameter, and paged in a stable order.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type ChangeFile, type ChangePlan, planChanges, columnMappingModeOf, physicalNaming, loadDeletionVector, storageFileReader, bindPredicate, type BoundPredicate, predicateSql, deletionVectorUniqueId, parsePartitionValues, partitionFieldsOf, type SourceFile, sourceSql, quoteIdent, quoteString, type DeltaStorage, DeltaError } from '../../delta/index.ts';
import { DELETED_ROWS_TABLE, loadDeletedRows } from './deleted-rows.ts';
import { createDuckDbParquetReader } from './duckdb-parquet-reader.ts';
import { deletedRowsRegistry, fileColumnsOn } from './scan-context.ts';
import type { DuckDbEngine } from './duckdb-engine.ts';
import { fieldIdNames } from './parquet-columns.ts';
import type { ChangeScanRequest, PreparedScan, ResultColumn, ScanFigures, ScanPlanCache } from './scan-request.ts';

/** A change query: SQL text and its positional parameters. */
interface ChangesQuery {
  sql: string;
  params: unknown[];
}

const CHANGE_COLUMNS = ['_change_type', '_commit_version', '_commit_timestamp'];

function difference(a: Float64Array, b: Float64Array | undefined): Float64Array {
  if (!b || b.length === 0) return a;
  const drop = new Set(b);
  return a.filter((v) => !drop.has(v));
}

/** A SourceFile for one change file, registering the row set a `between` selection reads. */
async function sourceFile(c: DuckDBConnection, opts: { engine: DuckDbEngine; storage: DeltaStorage }, plan: ChangePlan, file: ChangeFile, read: ReturnType<typeof storageFileReader>): Promise<SourceFile> {
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

async function changesSql(c: DuckDBConnection, opts: { engine: DuckDbEngine; storage: DeltaStorage }, plan: ChangePlan): Promise<string> {
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

function columnsOf(plan: ChangePlan): ResultColumn[] {
  return [...plan.snapshot.schema.fields.map((f) => ({ name: f.name, type: f.type })), ...CHANGE_COLUMNS.map((name) => ({ name }))];
}

/**
 * The plan of the request's version range: read from the log on `c` (checkpoints through a parquet reader on
 * the held connection), or reused from `cache` for the same table and range. `onPlan` runs when the log is read.
 * @throws DeltaError as planChanges
 */
export function planChangeScan(c: DuckDBConnection, request: ChangeScanRequest, cache: ScanPlanCache | undefined, onPlan: () => void): Promise<ChangePlan> {
  const { from, to, snapshot } = request.changes;
  const key = JSON.stringify([request.storage.root, from, to ?? snapshot?.version ?? null, snapshot?.metadata.id ?? null]);
  let plan = cache?.changes.get(key);
  if (!plan) {
    onPlan();
    const parquetReader = createDuckDbParquetReader({ withConnection: (fn) => fn(c) });
    plan = planChanges(request.storage, { parquetReader, from, to, snapshot });
    cache?.changes.set(key, plan);
    plan.catch(() => cache?.changes.delete(key));
  }
  return plan;
}

/** The change files read; change files carry no stats, so no bytes or rows are known. */
function changeFigures(plan: ChangePlan): ScanFigures {
  const files = plan.files.length;
  return { filesTotal: files, filesScanned: files, filesSkipped: 0, bytesScanned: 0, rowsScanned: 0 };
}

/**
 * The change rows' SQL for `plan`, built on `c` (footers and row sets registered there): filtered by change type
 * and predicate (bound before any file is read, so a bad column or value is refused at once), then paged.
 * @throws DeltaError INVALID_ARGUMENT (predicate, limit, offset); CORRUPT_DATA / CORRUPT_LOG (deletion vectors)
 */
export async function prepareChangeScan(engine: DuckDbEngine, c: DuckDBConnection, request: ChangeScanRequest, plan: ChangePlan): Promise<PreparedScan> {
  const predicate = request.predicate ? bindPredicate(plan.snapshot.schema, request.predicate) : undefined;
  ensureWindow(request);
  const query = filtered(await changesSql(c, { engine, storage: request.storage }, plan), request.changes.changeTypes, predicate);
  const base = { columns: columnsOf(plan), figures: changeFigures(plan) };
  if (request.limit === undefined && request.offset === undefined) return { ...query, ...base };
  const params = [...query.params];
  let sql = pageOrder(query.sql, plan);
  if (request.limit !== undefined) sql += ` LIMIT $${params.push(BigInt(request.limit))}`;
  if (request.offset !== undefined) sql += ` OFFSET $${params.push(BigInt(request.offset))}`;
  return { sql, params, ...base };
}

function ensureWindow(request: ChangeScanRequest): void {
  for (const [name, value] of [['limit', request.limit], ['offset', request.offset]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw new DeltaError('INVALID_ARGUMENT', `${name} must be a non-negative integer`);
  }
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

