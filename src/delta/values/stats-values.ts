/**
 * Min/max values in per-file statistics (PROTOCOL.md "Per-file Statistics") come as JSON (numbers, strings with
 * ISO timestamps in the writer's offset) or, from checkpoints' stats_parsed, as whatever the parquet reader gives.
 * This turns one into the column's canonical ScalarValue, or undefined whenever it cannot be read EXACTLY.
 */
import {
  type ScalarValue,
  parseDateText,
  parseDecimalText,
  parseTimestampText,
  rescaleDecimal,
} from './scalar-values.ts';
import type { DataType } from '../snapshot/schema-types.ts';

const MS_PER_DAY = 86_400_000;

function integerStat(raw: unknown, long: boolean): number | bigint | undefined {
  let value: bigint | undefined;
  // JSON.parse rounds integers beyond 2^53; such a number is no longer a sure bound.
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) value = BigInt(raw);
  else if (typeof raw === 'bigint') value = raw;
  else if (typeof raw === 'string' && /^[+-]?\d+$/.test(raw)) value = BigInt(raw);
  if (value === undefined) return undefined;
  return long ? value : Number(value);
}

function decimalStat(raw: unknown, scale: number): ScalarValue | undefined {
  let text: string | undefined;
  if (typeof raw === 'string') text = raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) {
    text = String(raw);
    // A double holds 15 significant digits for sure; beyond that the JSON number may have been rounded.
    if (text.replace(/e.*$/i, '').replace(/[-.]/g, '').replace(/^0+/, '').length > 15) return undefined;
  }
  const parsed = text === undefined ? undefined : parseDecimalText(text);
  if (!parsed) return undefined;
  // Keep the value exact at a scale at least the column's: comparisons rescale both sides.
  return rescaleDecimal(parsed, Math.max(scale, parsed.scale));
}

/**
 * One statistics value as the canonical ScalarValue of `type`, or undefined when absent, of an unexpected form,
 * possibly rounded (longs beyond 2^53, long decimals), non-finite (NaN/Infinity) or of a type we never prune on.
 */
export function statValue(raw: unknown, type: DataType): ScalarValue | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (type.kind === 'decimal') return decimalStat(raw, type.scale);
  if (type.kind !== 'primitive') return undefined;
  switch (type.name) {
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      return integerStat(raw, type.name === 'long');
    case 'double':
    case 'float':
      return typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
    case 'string':
      return typeof raw === 'string' ? raw : undefined;
    case 'boolean':
      return typeof raw === 'boolean' ? raw : undefined;
    case 'date':
      if (raw instanceof Date) return Math.floor(raw.getTime() / MS_PER_DAY);
      return typeof raw === 'string' ? parseDateText(raw) : undefined;
    case 'timestamp':
    case 'timestamp_ntz':
      if (raw instanceof Date) return BigInt(raw.getTime()) * 1000n;
      return typeof raw === 'string' ? parseTimestampText(raw)?.micros : undefined;
    default:
      return undefined;
  }
}
