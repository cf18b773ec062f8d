/**
 * The DuckDB query for a planned Delta scan (DESIGN.md decision 2): the FROM side (scan-source-sql.ts: files,
 * partition values, deletion vectors, column mapping) wrapped with the predicate as bound parameters, then
 * ORDER BY / LIMIT / OFFSET.
 */
import { columnMappingModeOf, physicalNaming } from './column-projection.ts';
import { DeltaError } from '../errors.ts';
import { predicateColumns } from './predicate.ts';
import type { ScanPlan } from './scan-planner.ts';
import { type DeletedRowsRef, FILE_COLUMN, ROW_COLUMN, sourceSql } from './scan-source-sql.ts';
import type { DataType, StructField } from '../snapshot/schema-types.ts';
import { quoteIdent } from './sql-text.ts';
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
  locate(add: { path: string }): string;
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
  /** Deleted rows of the planned files' deletion vectors, registered in DuckDB (required when a file has one). */
  deletedRows?: DeletedRowsRef;
  /** Column mapping mode id: field id → name in the data files (from their footers); default the physical names. */
  fieldIdNames?: ReadonlyMap<number, string>;
  /** How DuckDB reads the files' variant columns (see PhysicalNaming.variants); default binary. */
  variants?: 'binary' | 'native';
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

/**
 * Refuses what this reader cannot read correctly: a column mapping mode other than none, name or id.
 * @throws DeltaError UNSUPPORTED_FEATURE
 */
export function ensureScannable(plan: ScanPlan): void {
  columnMappingModeOf(plan.snapshot.metadata);
}

function neededFields(plan: ScanPlan, options: ScanSqlOptions): StructField[] {
  const fields = plan.snapshot.schema.fields;
  if (options.rawWhere !== undefined) return [...fields];
  const names = new Set(plan.columns.map((c) => c.name));
  if (plan.predicate) predicateColumns(plan.predicate, names);
  for (const o of options.orderBy ?? []) names.add(o.column);
  return fields.filter((f) => names.has(f.name));
}

/** The inner SELECT: one row per live data row, every needed column under its logical name and Delta type. */
function innerSql(plan: ScanPlan, fields: StructField[], options: ScanSqlOptions): string {
  const naming = physicalNaming(columnMappingModeOf(plan.snapshot.metadata), options.fieldIdNames, options.variants);
  return sourceSql(plan.files, fields, plan.partitionFields, {
    locate: options.locate,
    naming,
    presentColumns: options.presentColumns,
    uniformColumns: options.uniformColumns,
    deletedRows: options.deletedRows,
    rowPosition: options.stableOrder,
  });
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
 * @throws DeltaError UNSUPPORTED_FEATURE (see ensureScannable; a deletion vector missing from `deletedRows`),
 *   INVALID_ARGUMENT for bad order columns or limit/offset
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
