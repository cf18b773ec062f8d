/**
 * DuckDB result values as JSON-safe values for GraphQL and exports: 64/128-bit integers and decimals as exact
 * strings, dates as `YYYY-MM-DD`, TIMESTAMPTZ as ISO 8601 with `Z`, TIMESTAMP (no zone) as ISO without one,
 * blobs as base64, NaN/Infinity as strings, lists/structs/maps recursively (maps as `{ key, value }` entries).
 */
import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { formatDate, formatTimestampMicros } from '../../delta/index.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function isoMicros(micros: bigint, utc: boolean): string {
  return `${formatTimestampMicros(micros).replace(' ', 'T')}${utc ? 'Z' : ''}`;
}

function finiteOrText(n: number): number | string {
  return Number.isFinite(n) ? n : String(n);
}

/** Converts one DuckDB value (as read with getRowObjects) to its JSON-safe form. */
export function toJsonValue(value: DuckDBValue): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return finiteOrText(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof DuckDBTimestampTZValue) return isoMicros(value.micros, true);
  if (value instanceof DuckDBTimestampValue) return isoMicros(value.micros, false);
  if (value instanceof DuckDBTimestampMillisecondsValue) return isoMicros(value.millis * 1000n, false);
  if (value instanceof DuckDBTimestampSecondsValue) return isoMicros(value.seconds * 1_000_000n, false);
  if (value instanceof DuckDBTimestampNanosecondsValue) return isoMicros(value.nanos / 1000n, false);
  if (value instanceof DuckDBDateValue) return formatDate(value.days);
  if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('base64');
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(toJsonValue);
  if (value instanceof DuckDBStructValue) {
    return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, toJsonValue(v)]));
  }
  if (value instanceof DuckDBMapValue) return value.entries.map((e) => ({ key: toJsonValue(e.key), value: toJsonValue(e.value) }));
  return value.toString(); // decimal (exact text), uuid, interval, time, bit, ...
}

/** Converts a row object. */
export function toJsonRow(row: Record<string, DuckDBValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(row)) out[k] = toJsonValue(v);
  return out;
}
