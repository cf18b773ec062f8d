/**
 * Per-file statistics (PROTOCOL.md "Per-file Statistics") read from the footer of the parquet file just written
 * (DuckDB's `COPY ... RETURN_STATS`) instead of a second aggregate pass over the rows. The rules are those of
 * file-stats.ts: strings keep a 32-character prefix as the minimum and drop a longer maximum (the footer may
 * hold a truncated one), timestamp bounds widen to whole milliseconds, a maximum beside a NaN is dropped.
 */
import type { FileStats } from '../../log/actions.ts';
import type { DataType, StructType } from '../../snapshot/schema-types.ts';
import { boundValue, leaves, setPath, STRING_PREFIX } from './file-stats.ts';
import type { ParquetLeafStats, WrittenParquet } from '../sql-engine.ts';

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?|Z)?$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A footer timestamp (`2024-01-01 00:00:00.123456+00`) as ISO-8601 UTC milliseconds, rounded down or up. */
export function timestampBound(text: string, roundUp: boolean): string | undefined {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (y < 1000) return undefined; // Date.UTC maps two-digit years; such bounds are simply left out
  const micros = Number((m[7] ?? '').padEnd(6, '0'));
  const offsetMin = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10] ?? 0)) : 0;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000 + (roundUp ? Math.ceil(micros / 1000) : Math.floor(micros / 1000));
  const iso = new Date(ms).toISOString();
  return iso.length === 24 ? iso : undefined;
}

function bounds(type: DataType, s: ParquetLeafStats): [unknown, unknown] {
  const { min, max } = s;
  if (type.kind === 'decimal') return [boundValue(min, type), boundValue(max, type)];
  if (type.kind !== 'primitive') return [undefined, undefined];
  switch (type.name) {
    case 'string': {
      const chars = (v: string | undefined) => (v === undefined ? undefined : Array.from(v));
      const [lo, hi] = [chars(min), chars(max)];
      return [lo?.slice(0, STRING_PREFIX).join(''), hi && hi.length <= STRING_PREFIX ? max : undefined];
    }
    case 'date':
      return [min !== undefined && DATE_RE.test(min) ? min : undefined, max !== undefined && DATE_RE.test(max) ? max : undefined];
    case 'timestamp':
      return [min === undefined ? undefined : timestampBound(min, false), max === undefined ? undefined : timestampBound(max, true)];
    case 'float':
    case 'double':
      // The footer's bounds skip NaN, which sorts above every number: a maximum beside a NaN is not one.
      return [boundValue(min, type), s.hasNaN ? undefined : boundValue(max, type)];
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
      return [boundValue(min, type), boundValue(max, type)];
    default:
      return [undefined, undefined];
  }
}

/**
 * Stats of a written file from its footer, for `dataSchema` (the columns stored in the file).
 * Returns undefined when the footer cannot give them exactly: an array or map column among the first
 * `maxColumns` leaves (the footer counts nulls per element, not per row) or a leaf without a null count.
 */
export function statsFromParquet(dataSchema: StructType, file: WrittenParquet, maxColumns = 32): FileStats | undefined {
  const all = leaves(dataSchema);
  const cols = maxColumns < 0 ? all : all.slice(0, maxColumns);
  const byPath = new Map(file.leaves.map((l) => [JSON.stringify(l.path), l]));
  const minValues: Record<string, unknown> = {};
  const maxValues: Record<string, unknown> = {};
  const nullCount: Record<string, unknown> = {};
  for (const leaf of cols) {
    if (leaf.type.kind === 'array' || leaf.type.kind === 'map') return undefined;
    const s = byPath.get(JSON.stringify(leaf.path));
    if (s?.nullCount === undefined) return undefined;
    setPath(nullCount, leaf.path, s.nullCount);
    const [lo, hi] = bounds(leaf.type, s);
    if (lo !== undefined) setPath(minValues, leaf.path, lo);
    if (hi !== undefined) setPath(maxValues, leaf.path, hi);
  }
  return { numRecords: file.numRecords, minValues, maxValues, nullCount };
}
