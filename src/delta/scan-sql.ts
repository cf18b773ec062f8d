/**
 * The DuckDB query for a planned Delta scan (DESIGN.md decision 2): the pruned data files read with
 * `read_parquet(..., union_by_name)`, partition values (never in the files) joined from the add actions, every
 * column cast to its Delta type, columns no file has yet (schema evolution) as typed NULLs, the predicate with
 * bound parameters, then ORDER BY / LIMIT / OFFSET.
 */
import type { Add } from './actions.ts';
import { DeltaError } from './errors.ts';
import { physicalName } from './partition-values.ts';
import type { BoundPredicate } from './predicate.ts';
import type { ScanPlan } from './scan-planner.ts';
import type { DataType, StructField } from './schema-types.ts';
import { duckDbType, quoteIdent, quoteString, scalarLiteral } from './sql-text.ts';
import { predicateSql } from './predicate-sql.ts';

export interface OrderBy {
  /** Top-level logical column name. */
  column: string;
  direction?: 'asc' | 'desc';
  /** Default: nulls last for asc, first for desc (as if null were the largest value). */
  nulls?: 'first' | 'last';
}

export interface ScanSqlOptions {
  /** Where DuckDB finds a data file (DeltaStorage.resolve(add.path)). */
  locate(add: Add): string;
  /** Lower-cased physical top-level names present in at least one planned file; absent = assume all present. */
  presentColumns?: ReadonlySet<string>;
  /** Lower-cased physical names present in EVERY planned file with one physical type; absent = assume none. */
  uniformColumns?: ReadonlySet<string>;
  orderBy?: readonly OrderBy[];
  limit?: number;
  offset?: number;
  /** Raw DuckDB filter over logical column names: for trusted callers only (the CLI user on their own machine). */
  rawWhere?: string;
  /**
   * Break ties (and order unordered scans) by data file and row position, so LIMIT/OFFSET pages are stable
   * across calls on the same snapshot. Default false (DuckDB's parallel scans return rows in no fixed order).
   */
  stableOrder?: boolean;
}

export interface ScanColumn {
  readonly name: string;
  readonly type: DataType;
}

export interface ScanSql {
  readonly sql: string;
  readonly params: unknown[];
  readonly columns: readonly ScanColumn[];
}

const FILE_COLUMN = '__delta_scan_file';
const ROW_COLUMN = '__delta_scan_row';

/**
 * Refuses what this reader cannot yet read correctly.
 * @throws DeltaError UNSUPPORTED_FEATURE for column mapping (name/id) and for files with deletion vectors
 */
export function ensureScannable(plan: ScanPlan): void {
  const mode = plan.snapshot.metadata.configuration?.['delta.columnMapping.mode'];
  if (mode && mode !== 'none') throw new DeltaError('UNSUPPORTED_FEATURE', `column mapping mode "${mode}" is not supported yet`);
  if (plan.files.some((f) => f.add.deletionVector)) {
    throw new DeltaError('UNSUPPORTED_FEATURE', 'files with deletion vectors are not supported yet');
  }
}

function neededFields(plan: ScanPlan, options: ScanSqlOptions): StructField[] {
  const fields = plan.snapshot.schema.fields;
  if (options.rawWhere !== undefined) return [...fields];
  const names = new Set(plan.columns.map((c) => c.name));
  if (plan.predicate) for (const n of topColumns(plan.predicate)) names.add(n);
  for (const o of options.orderBy ?? []) names.add(o.column);
  return fields.filter((f) => names.has(f.name));
}

function topColumns(p: BoundPredicate, into: string[] = []): string[] {
  if (p.kind === 'and' || p.kind === 'or') p.children.forEach((c) => topColumns(c, into));
  else if (p.kind === 'not') topColumns(p.child, into);
  else if ('column' in p) into.push(p.column.path[0]!);
  return into;
}

function castable(type: DataType): boolean {
  return type.kind === 'primitive' || type.kind === 'decimal';
}

/** How rows are tied to their file: DuckDB's integer file_index, unless a data column of that name shadows it. */
function fileKeyOf(options: ScanSqlOptions): { expr: string; option: string; key: (i: number, location: string) => string } {
  if (!options.presentColumns?.has('file_index')) return { expr: 'd.file_index', option: '', key: (i) => String(i) };
  return { expr: `d.${quoteIdent(FILE_COLUMN)}`, option: `, filename = ${quoteString(FILE_COLUMN)}`, key: (_, location) => location };
}

/** One select item per needed field: partition value, typed NULL for a column no file has, or the cast column. */
function selectItem(f: StructField, options: ScanSqlOptions, partition: { join: boolean; literal?: string } | undefined): string {
  const alias = quoteIdent(f.name);
  if (partition) return partition.join ? `p.${alias} AS ${alias}` : `${partition.literal} AS ${alias}`;
  const physical = physicalName(f);
  if (options.presentColumns && !options.presentColumns.has(physical.toLowerCase())) return `CAST(NULL AS ${duckDbType(f.type)}) AS ${alias}`;
  const ref = `d.${quoteIdent(physical)}`;
  return castable(f.type) ? `CAST(${ref} AS ${duckDbType(f.type)}) AS ${alias}` : `${ref} AS ${alias}`;
}

/**
 * union_by_name makes DuckDB read every footer while binding; it is only needed when a needed column is missing
 * from some file or stored with different physical types (known from `uniformColumns`).
 */
function needsUnionByName(dataFields: readonly StructField[], options: ScanSqlOptions): boolean {
  if (!options.uniformColumns) return true;
  return dataFields.some((f) => {
    const name = physicalName(f).toLowerCase();
    return options.presentColumns?.has(name) !== false && !options.uniformColumns!.has(name);
  });
}

/** The inner SELECT: one row per data row, every needed column under its logical name and Delta type. */
function innerSql(plan: ScanPlan, fields: StructField[], options: ScanSqlOptions): string {
  if (plan.files.length === 0) {
    const nulls = fields.map((f) => `CAST(NULL AS ${duckDbType(f.type)}) AS ${quoteIdent(f.name)}`);
    return `SELECT ${nulls.join(', ') || 'NULL AS "_"'} WHERE FALSE`;
  }
  const usedPartitions = plan.partitionFields.filter((f) => fields.includes(f));
  const tuples = plan.files.map((file) => usedPartitions.map((f) => scalarLiteral(f.type, file.partitionValues.get(f.name) ?? null)));
  const constant = tuples.every((t) => t.join('\u0001') === tuples[0]!.join('\u0001'));
  const join = usedPartitions.length > 0 && !constant;
  const fileKey = fileKeyOf(options);
  const select = fields.map((f) => {
    const at = usedPartitions.indexOf(f);
    return selectItem(f, options, at < 0 ? undefined : { join, literal: tuples[0]![at] });
  });
  if (options.stableOrder) select.push(`${fileKey.expr} AS ${quoteIdent(FILE_COLUMN)}`, `d.file_row_number AS ${quoteIdent(ROW_COLUMN)}`);
  const locations = plan.files.map((f) => quoteString(options.locate(f.add)));
  const readOptions = [
    join || options.stableOrder ? fileKey.option : '',
    options.stableOrder ? ', file_row_number = true' : '',
    needsUnionByName(fields.filter((f) => !plan.partitionFields.includes(f)), options) ? ', union_by_name = true' : '',
  ].join('');
  let from = `read_parquet([${locations.join(', ')}]${readOptions}) AS d`;
  if (join) {
    const rows = plan.files.map((f, i) => `(${[fileKey.key(i, locations[i]!), ...tuples[i]!].join(', ')})`);
    const names = [FILE_COLUMN, ...usedPartitions.map((f) => f.name)].map(quoteIdent).join(', ');
    from += ` JOIN (VALUES ${rows.join(', ')}) AS p(${names}) ON ${fileKey.expr} = p.${quoteIdent(FILE_COLUMN)}`;
  }
  return `SELECT ${select.join(', ') || 'NULL AS "_"'} FROM ${from}`;
}

function orderSql(orderBy: readonly OrderBy[], fields: readonly StructField[], stable: boolean): string {
  const terms = orderBy.map((o) => {
    if (!fields.some((f) => f.name === o.column)) throw new DeltaError('INVALID_ARGUMENT', `unknown order column "${o.column}"`);
    const direction = o.direction === 'desc' ? 'DESC' : 'ASC';
    const nulls = o.nulls ?? (direction === 'DESC' ? 'first' : 'last');
    return `t.${quoteIdent(o.column)} ${direction} NULLS ${nulls === 'first' ? 'FIRST' : 'LAST'}`;
  });
  if (stable) terms.push(`t.${quoteIdent(FILE_COLUMN)}`, `t.${quoteIdent(ROW_COLUMN)}`);
  return terms.length ? ` ORDER BY ${terms.join(', ')}` : '';
}

function ensureCount(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new DeltaError('INVALID_ARGUMENT', `${name} must be a non-negative integer`);
  }
}

/**
 * Builds the query for a plan. Identifiers are quoted, log-derived values are typed literals, caller values are
 * bound parameters (`$1`…, in `params`). Zero files give an empty result with the right columns.
 * @throws DeltaError UNSUPPORTED_FEATURE (see ensureScannable; variant columns), INVALID_ARGUMENT for bad
 *   order columns or limit/offset
 */
export function buildScanSql(plan: ScanPlan, options: ScanSqlOptions): ScanSql {
  ensureScannable(plan);
  ensureCount('limit', options.limit);
  ensureCount('offset', options.offset);
  const fields = neededFields(plan, options);
  const params: unknown[] = [];
  const where: string[] = [];
  if (plan.predicate) where.push(predicateSql(plan.predicate, 't', params));
  if (options.rawWhere !== undefined) where.push(`(${options.rawWhere})`);
  let sql = `SELECT ${plan.columns.map((c) => `t.${quoteIdent(c.name)}`).join(', ') || '*'} FROM (${innerSql(plan, fields, options)}) AS t`;
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  sql += orderSql(options.orderBy ?? [], plan.snapshot.schema.fields, options.stableOrder === true && plan.files.length > 0);
  if (options.limit !== undefined) {
    params.push(BigInt(options.limit));
    sql += ` LIMIT $${params.length}`;
  }
  if (options.offset !== undefined) {
    params.push(BigInt(options.offset));
    sql += ` OFFSET $${params.length}`;
  }
  return { sql, params, columns: plan.columns.map((c) => ({ name: c.name, type: c.type })) };
}
