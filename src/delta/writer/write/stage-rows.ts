/**
 * JS rows of a write batch as columns for the SQL engine's bulk append (no SQL text, no JSON for flat types):
 * each Delta type travels as the closest appendable type and is cast to its DuckDB type in the staged select.
 * Dates, decimals and timestamps given as strings travel as text so DuckDB parses them exactly as before;
 * nested values travel as JSON text and are cast from JSON.
 */
import type { DataType, StructField } from '../../snapshot/schema-types.ts';
import type { Row } from './row-validation.ts';
import { quoteIdent, toDuckDbType } from './schema-json.ts';
import type { AppendColumn, AppendType } from '../sql-engine.ts';

function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Map) return Object.fromEntries(v);
  return v;
}

const FLAT: Record<string, AppendType> = {
  string: 'VARCHAR', long: 'BIGINT', integer: 'INTEGER', short: 'SMALLINT', byte: 'TINYINT',
  double: 'DOUBLE', float: 'FLOAT', boolean: 'BOOLEAN', binary: 'BLOB',
};

/** A staged column: what is appended, and the expression that yields the Delta-typed value from it. */
export interface RowColumn {
  column: AppendColumn;
  /** SQL over the staged table giving the column in its DuckDB type. */
  expr: string;
}

function values(rows: readonly Row[], name: string, map?: (v: unknown) => unknown): unknown[] {
  const out = new Array<unknown>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]![name];
    out[i] = v === null || v === undefined ? null : map ? map(v) : v;
  }
  return out;
}

const onlyDates = (rows: readonly Row[], name: string) => rows.every((r) => r[name] === null || r[name] === undefined || r[name] instanceof Date);

/**
 * Timestamps: a column of Dates appends epoch milliseconds as doubles (exact below 2^53, and no BigInt per
 * value); any string in the column makes it text for DuckDB to parse, microseconds included.
 */
function timestampColumn(rows: readonly Row[], name: string, col: string): RowColumn {
  if (onlyDates(rows, name)) {
    return { column: { name, type: 'DOUBLE', values: values(rows, name, (v) => (v as Date).getTime()) }, expr: `epoch_ms(CAST(${col} AS BIGINT)) AT TIME ZONE 'UTC' AS ${col}` };
  }
  return { column: { name, type: 'VARCHAR', values: values(rows, name, (v) => (v instanceof Date ? v.toISOString() : v)) }, expr: `CAST(${col} AS TIMESTAMPTZ) AS ${col}` };
}

/** Dates: a column of Dates appends UTC day numbers; strings (YYYY-MM-DD) travel as text. */
function dateColumn(rows: readonly Row[], name: string, col: string): RowColumn {
  if (onlyDates(rows, name)) {
    return { column: { name, type: 'INTEGER', values: values(rows, name, (v) => Math.floor((v as Date).getTime() / 86_400_000)) }, expr: `DATE '1970-01-01' + ${col} AS ${col}` };
  }
  return { column: { name, type: 'VARCHAR', values: values(rows, name, (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)) }, expr: `CAST(${col} AS DATE) AS ${col}` };
}

/** Most distinct values an ENUM column gets: large enums cost more to create in DuckDB than they save. */
const MAX_DICTIONARY = 255;

/**
 * Strings: a column with few distinct values (levels, methods, service names) is appended as an ENUM of them,
 * which hands each distinct string to DuckDB once instead of once per row; other columns go as VARCHAR.
 */
function stringColumn(rows: readonly Row[], name: string, col: string): RowColumn {
  const distinct = new Set<string>();
  const out = new Array<unknown>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]![name];
    if (v === null || v === undefined) {
      out[i] = null;
      continue;
    }
    out[i] = v;
    distinct.add(v as string);
    if (distinct.size > MAX_DICTIONARY) return { column: { name, type: 'VARCHAR', values: values(rows, name) }, expr: col };
  }
  // An all-null column: DuckDB has no empty ENUM.
  if (distinct.size === 0) return { column: { name, type: 'VARCHAR', values: out }, expr: col };
  return { column: { name, type: 'ENUM', values: out, dictionary: [...distinct] }, expr: `CAST(${col} AS VARCHAR) AS ${col}` };
}

/** The staged column of field `f` (rows already validated against the schema). */
export function rowColumn(rows: readonly Row[], f: StructField): RowColumn {
  const name = f.name;
  const col = quoteIdent(name);
  const type: DataType = f.type;
  const cast = (c: AppendColumn, from = col): RowColumn => ({ column: c, expr: `CAST(${from} AS ${toDuckDbType(type)}) AS ${col}` });
  if (type.kind === 'primitive') {
    if (type.name === 'timestamp') return timestampColumn(rows, name, col);
    if (type.name === 'date') return dateColumn(rows, name, col);
    if (type.name === 'string') return stringColumn(rows, name, col);
    const flat = FLAT[type.name];
    if (flat) return { column: { name, type: flat, values: values(rows, name) }, expr: col };
  }
  if (type.kind === 'decimal') return cast({ name, type: 'VARCHAR', values: values(rows, name, String) });
  return cast({ name, type: 'VARCHAR', values: values(rows, name, (v) => JSON.stringify(v, jsonReplacer)) }, `CAST(${col} AS JSON)`);
}
