/**
 * Per-file statistics (PROTOCOL.md "Per-file Statistics"): numRecords plus minValues, maxValues and nullCount
 * mirroring the schema, for the first `delta.dataSkippingNumIndexedCols` (default 32) leaf columns. Computed
 * with one aggregate query per data file. Bounds are always safe: strings keep a 32-character prefix as the
 * minimum and drop a longer maximum; timestamp maxima are rounded up to the millisecond.
 */
import type { FileStats } from '../../log/actions.ts';
import type { DataType, StructType } from '../../snapshot/schema-types.ts';
import { quoteIdent, quoteLiteral } from './schema-json.ts';

/** Strings keep this many leading characters as their minimum (Delta's `delta.dataSkippingStringPrefixLength`). */
export const STRING_PREFIX = 32;

/** A leaf column of a schema: its path from the top-level column and its type. */
export interface Leaf {
  path: string[];
  type: DataType;
}

/** Leaf columns in schema order (structs are descended; arrays and maps are leaves). */
export function leaves(schema: StructType, prefix: string[] = []): Leaf[] {
  return schema.fields.flatMap((f) =>
    f.type.kind === 'struct' ? leaves(f.type, [...prefix, f.name]) : [{ path: [...prefix, f.name], type: f.type }],
  );
}

function colSql(path: string[]): string {
  const [head, ...rest] = path;
  return rest.reduce((acc, p) => `struct_extract(${acc}, ${quoteLiteral(p)})`, quoteIdent(head!));
}

/** SQL for min and max as text, or undefined when the type carries no min/max statistics. */
function boundsSql(col: string, type: DataType): [string, string] | undefined {
  if (type.kind === 'decimal') return [`CAST(min(${col}) AS VARCHAR)`, `CAST(max(${col}) AS VARCHAR)`];
  if (type.kind !== 'primitive') return undefined;
  switch (type.name) {
    case 'string':
      return [`left(min(${col}), ${STRING_PREFIX})`, `CASE WHEN length(max(${col})) <= ${STRING_PREFIX} THEN max(${col}) END`];
    case 'date':
      return [`strftime(min(${col}), '%Y-%m-%d')`, `strftime(max(${col}), '%Y-%m-%d')`];
    case 'timestamp':
      return [
        `strftime(min(${col}) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ')`,
        `strftime((max(${col}) + INTERVAL 999 MICROSECOND) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ')`,
      ];
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'float':
    case 'double':
      return [`CAST(min(${col}) AS VARCHAR)`, `CAST(max(${col}) AS VARCHAR)`];
    default:
      return undefined;
  }
}

/** The aggregate query that computes stats for the rows `from` (a table or subquery) and `where` select. */
export interface StatsQuery {
  sql: string;
  toStats(row: Record<string, unknown>): FileStats;
}

/** Sets `value` at a nested path, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const p of path.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

/** A min or max as text to its JSON value; undefined when JSON cannot carry it exactly. */
export function boundValue(text: unknown, type: DataType): unknown {
  if (text === null || text === undefined) return undefined;
  const s = String(text);
  const numeric = type.kind === 'decimal' || (type.kind === 'primitive' && ['long', 'integer', 'short', 'byte', 'float', 'double'].includes(type.name));
  if (!numeric) return s;
  const n = Number(s);
  // A bound JSON cannot carry exactly (NaN, infinities, longs past 2^53) is left out: absent is always safe.
  if (!Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n) && type.kind !== 'decimal')) return undefined;
  return n;
}

/**
 * Builds the stats query for `dataSchema` (the columns stored in the file, partition columns excluded).
 * @param maxColumns leaf columns with statistics (`delta.dataSkippingNumIndexedCols`, -1 for all)
 */
export function buildStatsQuery(dataSchema: StructType, from: string, where: string, maxColumns = 32): StatsQuery {
  const all = leaves(dataSchema);
  const cols = maxColumns < 0 ? all : all.slice(0, maxColumns);
  const parts = ['count(*)::VARCHAR AS n'];
  cols.forEach((leaf, i) => {
    const col = colSql(leaf.path);
    parts.push(`(count(*) - count(${col}))::VARCHAR AS c${i}`);
    const b = boundsSql(col, leaf.type);
    if (b) parts.push(`${b[0]} AS lo${i}`, `${b[1]} AS hi${i}`);
  });
  return {
    sql: `SELECT ${parts.join(', ')} FROM ${from} WHERE ${where}`,
    toStats(row) {
      const minValues: Record<string, unknown> = {};
      const maxValues: Record<string, unknown> = {};
      const nullCount: Record<string, unknown> = {};
      cols.forEach((leaf, i) => {
        setPath(nullCount, leaf.path, Number(row[`c${i}`]));
        const lo = boundValue(row[`lo${i}`], leaf.type);
        const hi = boundValue(row[`hi${i}`], leaf.type);
        if (lo !== undefined) setPath(minValues, leaf.path, lo);
        if (hi !== undefined) setPath(maxValues, leaf.path, hi);
      });
      return { numRecords: Number(row.n), minValues, maxValues, nullCount };
    },
  };
}
