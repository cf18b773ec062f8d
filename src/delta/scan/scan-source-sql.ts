/**
 * The FROM side of a Delta scan (DESIGN.md decision 2): data files read with `read_parquet`, partition values
 * (never in the files) joined from the add actions, deletion vectors applied as an anti-join on
 * `file_row_number` against deleted-row bitstrings registered in DuckDB (PROTOCOL.md "Deletion Vectors"), and each
 * physical column projected to its logical name and Delta type (column mapping, variants, type widening casts).
 */
import type { Add } from '../log/actions.ts';
import { logicalExpr, type PhysicalNaming } from './column-projection.ts';
import { DeltaError } from '../errors.ts';
import { fileKey as logicalFileKey } from '../snapshot/replay.ts';
import type { ScalarValue } from '../values/scalar-values.ts';
import type { DataType, StructField } from '../snapshot/schema-types.ts';
import { duckDbType, quoteIdent, quoteString, scalarLiteral } from './sql-text.ts';

/** Deleted rows registered in a DuckDB table (see src/sources/duckdb/deleted-rows.ts). */
export interface DeletedRowsRef {
  /** Table with columns (dv UBIGINT, bits BIT): bit i set when row i is in the set. */
  readonly table: string;
  /** Registered id of each deletion vector, keyed by fileKey(add.path, add.deletionVector). */
  readonly ids: ReadonlyMap<string, string>;
}

/** One file to read and its typed partition values by logical name. */
export interface SourceFile {
  readonly add: Pick<Add, 'path' | 'deletionVector'>;
  readonly partitionValues: ReadonlyMap<string, ScalarValue | null>;
  /** Rows to keep: all but the DV's (default), or only the rows of a registered set (change data feed). */
  readonly onlyRows?: string;
}

export interface SourceOptions {
  locate(add: Pick<Add, 'path'>): string;
  naming: PhysicalNaming;
  presentColumns?: ReadonlySet<string>;
  uniformColumns?: ReadonlySet<string>;
  deletedRows?: DeletedRowsRef;
  /** Adds the file key and row position as FILE_COLUMN / ROW_COLUMN (stable paging). */
  rowPosition?: boolean;
  /** Extra physical columns passed through under their own names (e.g. `_change_type` of change data files). */
  passThrough?: readonly string[];
}

export const FILE_COLUMN = '__delta_scan_file';
export const ROW_COLUMN = '__delta_scan_row';

function castable(type: DataType): boolean {
  return type.kind === 'primitive' || type.kind === 'decimal';
}

/** How rows are tied to their file: DuckDB's integer file_index, unless a data column of that name shadows it. */
function fileKeyOf(options: SourceOptions): { expr: string; option: string; key: (i: number, location: string) => string } {
  if (!options.presentColumns?.has('file_index')) return { expr: 'd.file_index', option: '', key: (i) => String(i) };
  return { expr: `d.${quoteIdent(FILE_COLUMN)}`, option: `, filename = ${quoteString(FILE_COLUMN)}`, key: (_, location) => location };
}

/** The select item of one data field: typed NULL when no file has it, else its logical projection cast to type. */
function dataItem(f: StructField, options: SourceOptions): string {
  const alias = quoteIdent(f.name);
  const physical = options.naming.nameOf(f);
  if (options.presentColumns && !options.presentColumns.has(physical.toLowerCase())) return `CAST(NULL AS ${duckDbType(f.type)}) AS ${alias}`;
  const expr = logicalExpr(`d.${quoteIdent(physical)}`, f.type, options.naming);
  return castable(f.type) ? `CAST(${expr} AS ${duckDbType(f.type)}) AS ${alias}` : `${expr} AS ${alias}`;
}

/** union_by_name is needed when a needed column is missing from some file or differs in physical type. */
function needsUnionByName(dataFields: readonly StructField[], options: SourceOptions): boolean {
  if (!options.uniformColumns) return true;
  return dataFields.some((f) => {
    const name = options.naming.nameOf(f).toLowerCase();
    return options.presentColumns?.has(name) !== false && !options.uniformColumns!.has(name);
  });
}

/**
 * The join and filter that remove deleted rows (or keep only listed rows): each file's set is a bitstring, so the
 * test per row is one get_bit, not a hash join against every deleted row. '' when no file needs one.
 */
function rowFilter(files: readonly SourceFile[], options: SourceOptions, key: ReturnType<typeof fileKeyOf>, locations: string[]): { join: string; where: string } {
  const pairs: string[] = [];
  let only = 0;
  files.forEach((file, i) => {
    let id = file.onlyRows;
    if (id !== undefined) only++;
    else if (file.add.deletionVector) {
      id = options.deletedRows?.ids.get(logicalFileKey(file.add.path, file.add.deletionVector));
      if (id === undefined) throw new DeltaError('UNSUPPORTED_FEATURE', `deletion vector of ${file.add.path} was not loaded for this scan`);
    }
    if (id !== undefined) pairs.push(`(${key.key(i, locations[i]!)}, CAST(${id} AS UBIGINT))`);
  });
  if (pairs.length === 0) return { join: '', where: '' };
  if (only > 0 && only !== files.length) throw new DeltaError('INVALID_ARGUMENT', 'row selections must cover every file of a scan');
  const table = options.deletedRows?.table;
  if (!table) throw new DeltaError('INVALID_ARGUMENT', 'a row selection needs the deleted rows table');
  const sets = `(SELECT k.f AS f, r.bits AS bits FROM (VALUES ${pairs.join(', ')}) AS k(f, dv) JOIN ${quoteIdent(table)} AS r ON r.dv = k.dv)`;
  // CASE, not AND: DuckDB evaluates both sides of AND, and get_bit past the end is an error.
  const listed = 'CASE WHEN x.bits IS NULL OR d.file_row_number >= bit_length(x.bits) THEN FALSE ELSE get_bit(x.bits, CAST(d.file_row_number AS INTEGER)) = 1 END';
  return { join: ` LEFT JOIN ${sets} AS x ON x.f = ${key.expr}`, where: only > 0 ? ` WHERE ${listed}` : ` WHERE NOT ${listed}` };
}

/**
 * SELECT over the files: one row per live data row, each field of `fields` under its logical name and type.
 * Zero files give an empty result with the right columns.
 * @throws DeltaError UNSUPPORTED_FEATURE when a file's deletion vector is not in `deletedRows`
 */
export function sourceSql(files: readonly SourceFile[], fields: readonly StructField[], partitionFields: readonly StructField[], options: SourceOptions): string {
  if (files.length === 0) {
    const nulls = fields.map((f) => `CAST(NULL AS ${duckDbType(f.type)}) AS ${quoteIdent(f.name)}`);
    const extra = (options.passThrough ?? []).map((c) => `CAST(NULL AS VARCHAR) AS ${quoteIdent(c)}`);
    return `SELECT ${[...nulls, ...extra].join(', ') || 'NULL AS "_"'} WHERE FALSE`;
  }
  const usedPartitions = partitionFields.filter((f) => fields.includes(f));
  const tuples = files.map((file) => usedPartitions.map((f) => scalarLiteral(f.type, file.partitionValues.get(f.name) ?? null)));
  const constant = tuples.every((t) => t.join('\u0001') === tuples[0]!.join('\u0001'));
  const join = usedPartitions.length > 0 && !constant;
  const key = fileKeyOf(options);
  const select = fields.map((f) => {
    const at = usedPartitions.indexOf(f);
    if (at >= 0) return join ? `p.${quoteIdent(f.name)} AS ${quoteIdent(f.name)}` : `${tuples[0]![at]} AS ${quoteIdent(f.name)}`;
    return dataItem(f, options);
  });
  for (const c of options.passThrough ?? []) select.push(`d.${quoteIdent(c)} AS ${quoteIdent(c)}`);
  if (options.rowPosition) select.push(`${key.expr} AS ${quoteIdent(FILE_COLUMN)}`, `d.file_row_number AS ${quoteIdent(ROW_COLUMN)}`);
  const locations = files.map((f) => quoteString(options.locate(f.add)));
  const filter = rowFilter(files, options, key, locations);
  const readOptions = [
    join || options.rowPosition || filter.join ? key.option : '',
    options.rowPosition || filter.join ? ', file_row_number = true' : '',
    needsUnionByName(fields.filter((f) => !partitionFields.includes(f)), options) ? ', union_by_name = true' : '',
  ].join('');
  let from = `read_parquet([${locations.join(', ')}]${readOptions}) AS d`;
  if (join) {
    const rows = files.map((_, i) => `(${[key.key(i, locations[i]!), ...tuples[i]!].join(', ')})`);
    const names = [FILE_COLUMN, ...usedPartitions.map((f) => f.name)].map(quoteIdent).join(', ');
    from += ` JOIN (VALUES ${rows.join(', ')}) AS p(${names}) ON ${key.expr} = p.${quoteIdent(FILE_COLUMN)}`;
  }
  return `SELECT ${select.join(', ') || 'NULL AS "_"'} FROM ${from}${filter.join}${filter.where}`;
}
