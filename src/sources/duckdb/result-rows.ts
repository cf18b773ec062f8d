/**
 * The two shapes a DuckDB result reaches callers in: `native` (what GraphQL's scalars and the query cache take:
 * BIGINT as bigint, DECIMAL as its exact text, timestamps as Date, other values as @duckdb/node-api's JS values)
 * and `json` (JSON-safe, see duckdb-json.ts: what records, the change feed and the CLI hand on as text).
 */
import { DuckDBTypeId, JSDuckDBValueConverter, type DuckDBResultReader, type DuckDBValue, type DuckDBValueConverter } from '@duckdb/node-api';
import { toJsonRow } from './duckdb-json.ts';

export type RowValues = 'native' | 'json';

/** JS values, except DECIMAL as an exact string (a double would round it). */
const exactConverter: DuckDBValueConverter<unknown> = (value, type, converter) =>
  type.typeId === DuckDBTypeId.DECIMAL && value !== null ? String(value) : JSDuckDBValueConverter(value, type, converter as never);

/** Every row of a read result as objects keyed by column name, in the shape `values` names. */
export function readRows(reader: DuckDBResultReader, values: RowValues): Record<string, unknown>[] {
  if (values === 'json') return (reader.getRowObjects() as Record<string, DuckDBValue>[]).map(toJsonRow);
  return reader.convertRowObjects(exactConverter) as Record<string, unknown>[];
}
