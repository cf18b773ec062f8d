/**
 * Coercion of caller-supplied predicate values (JSON-ish: strings, numbers, bigints, booleans, Dates, bytes) into
 * the canonical ScalarValue of a Delta primitive type, refusing anything that does not fit the type exactly.
 */
import { DeltaError } from '../errors.ts';
import {
  type ScalarValue,
  decimalIntegerDigits,
  parseDateText,
  parseDecimalText,
  parseTimestampText,
} from './scalar-values.ts';
import type { DataType } from '../snapshot/schema-types.ts';

const INTEGER_BOUNDS: Record<string, [bigint, bigint]> = {
  byte: [-128n, 127n],
  short: [-32_768n, 32_767n],
  integer: [-2_147_483_648n, 2_147_483_647n],
  long: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
};

function invalid(label: string, value: unknown, type: string): DeltaError {
  const shown = typeof value === 'bigint' ? `${value}` : JSON.stringify(value) ?? String(value);
  return new DeltaError('INVALID_ARGUMENT', `value ${shown?.slice(0, 80)} does not fit column "${label}" of type ${type}`);
}

function toInteger(value: unknown, typeName: string, label: string): number | bigint {
  let big: bigint | undefined;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  else if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) big = BigInt(value.trim());
  const [min, max] = INTEGER_BOUNDS[typeName]!;
  if (big === undefined || big < min || big > max) throw invalid(label, value, typeName);
  return typeName === 'long' ? big : Number(big);
}

function toFloating(value: unknown, typeName: string, label: string): number {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    n = /^[+-]?nan$/i.test(text) ? Number.NaN : Number(text.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
    if (Number.isNaN(n) && !/nan/i.test(text)) n = undefined;
  }
  if (n === undefined) throw invalid(label, value, typeName);
  return n;
}

function toTimestamp(value: unknown, typeName: string, label: string): bigint {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return BigInt(value.getTime()) * 1000n;
  if (typeof value === 'string') {
    const parsed = parseTimestampText(value);
    // A zone on a timestamp_ntz value would silently shift it: refuse instead.
    if (parsed && !(typeName === 'timestamp_ntz' && parsed.hasZone && !/z$/i.test(value.trim()))) return parsed.micros;
  }
  throw invalid(label, value, typeName);
}

/**
 * Coerces one predicate value to the canonical form of `type`:
 * integers from safe numbers, bigints or digit strings (range-checked); float/double from numbers or numeric text
 * (`NaN`, `Infinity` allowed); decimal from text, number or bigint (must fit the precision, any scale);
 * date from `YYYY-MM-DD`; timestamp from ISO text (no zone = UTC) or a Date; timestamp_ntz from zone-less text;
 * binary from a Uint8Array; string and boolean as themselves.
 * @throws DeltaError INVALID_ARGUMENT when the value is null/undefined or does not fit
 */
export function coerceScalar(value: unknown, type: DataType, label: string): ScalarValue {
  if (value === null || value === undefined) {
    throw new DeltaError('INVALID_ARGUMENT', `null value for column "${label}": use isNull / isNotNull`);
  }
  if (type.kind === 'decimal') {
    const text = typeof value === 'string' || typeof value === 'bigint' || typeof value === 'number' ? String(value) : '';
    const parsed = parseDecimalText(text);
    const digits = parsed ? decimalIntegerDigits(parsed) : Infinity;
    // The engine compares at DECIMAL(38, max(scale, value scale)): the value must fit that exactly.
    if (!parsed || digits > type.precision - type.scale || digits + Math.max(parsed.scale, type.scale) > 38) {
      throw invalid(label, value, 'decimal');
    }
    return parsed;
  }
  if (type.kind !== 'primitive') throw invalid(label, value, type.kind);
  switch (type.name) {
    case 'string':
      if (typeof value !== 'string') throw invalid(label, value, 'string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(label, value, 'boolean');
      return value;
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      return toInteger(value, type.name, label);
    case 'float':
    case 'double':
      return toFloating(value, type.name, label);
    case 'date': {
      const days = typeof value === 'string' ? parseDateText(value) : undefined;
      if (days === undefined) throw invalid(label, value, 'date');
      return days;
    }
    case 'timestamp':
    case 'timestamp_ntz':
      return toTimestamp(value, type.name, label);
    case 'binary':
      if (!(value instanceof Uint8Array)) throw invalid(label, value, 'binary');
      return value;
    case 'variant':
      throw invalid(label, value, 'variant');
  }
}
