/**
 * Typed scalar values of Delta primitive types (PROTOCOL.md "Primitive Types"), shared by partition values,
 * predicates and per-file statistics: one canonical JS form per type, exact text parsers for dates, timestamps and
 * decimals, and a total order that matches the engine's (strings by code point, i.e. UTF-8 byte order).
 */
import type { DataType } from '../snapshot/schema-types.ts';

/** A decimal as an unscaled integer and its scale: 12.34 is { unscaled: 1234n, scale: 2 }. */
export interface DecimalValue {
  readonly unscaled: bigint;
  readonly scale: number;
}

/**
 * Canonical forms: string → string; byte/short/integer/float/double → number; long → bigint; boolean → boolean;
 * date → days since 1970-01-01 (number); timestamp and timestamp_ntz → microseconds since the epoch (bigint);
 * decimal → DecimalValue; binary → Uint8Array.
 */
export type ScalarValue = string | number | bigint | boolean | DecimalValue | Uint8Array;

const MICROS_PER_DAY = 86_400_000_000n;

/** Days since 1970-01-01 for a proleptic Gregorian date (any year; no Date object, so no 1900 quirk). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The inverse of daysFromCivil. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= lengths[month - 1]!;
}

const DATE_RE = /^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})$/;

/** `YYYY-MM-DD` to days since the epoch, or undefined when malformed. */
export function parseDateText(text: string): number | undefined {
  const m = DATE_RE.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(year, month, day) ? daysFromCivil(year, month, day) : undefined;
}

const TIMESTAMP_RE =
  /^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A timestamp in the partition-value or statistics forms (`2021-01-01 00:00:00`, with a fraction, ISO 8601 with
 * `T`, with `Z` or a `±HH:MM` offset) to microseconds since the epoch; text without a zone is read as UTC.
 * Fractions beyond microseconds are truncated. Returns undefined when malformed.
 */
export function parseTimestampText(text: string): { micros: bigint; hasZone: boolean } | undefined {
  const m = TIMESTAMP_RE.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6) || '0');
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && /^[+-]/.test(zone)) {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * (zone[0] === '-' ? -1 : 1);
  }
  const seconds = BigInt(hour * 3600 + minute * 60 + second - offsetMinutes * 60);
  const micros = BigInt(daysFromCivil(year, month, day)) * MICROS_PER_DAY + seconds * 1_000_000n + fraction;
  return { micros, hasZone: zone !== undefined };
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Decimal text (plain or with an exponent, as Java's BigDecimal prints it) to an exact DecimalValue. */
export function parseDecimalText(text: string): DecimalValue | undefined {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const fraction = m[3] ?? '';
  let unscaled = BigInt(`${m[2] || '0'}${fraction}`);
  let scale = fraction.length - Number(m[4] ?? 0);
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { unscaled: m[1] === '-' ? -unscaled : unscaled, scale };
}

/** Rescales to `scale` exactly, or undefined when that would drop non-zero digits. */
export function rescaleDecimal(value: DecimalValue, scale: number): DecimalValue | undefined {
  if (scale >= value.scale) return { unscaled: value.unscaled * 10n ** BigInt(scale - value.scale), scale };
  const factor = 10n ** BigInt(value.scale - scale);
  return value.unscaled % factor === 0n ? { unscaled: value.unscaled / factor, scale } : undefined;
}

/** Number of integer digits (precision minus scale) a decimal needs. */
export function decimalIntegerDigits(value: DecimalValue): number {
  const abs = value.unscaled < 0n ? -value.unscaled : value.unscaled;
  const digits = abs === 0n ? 1 : abs.toString().length;
  return Math.max(digits - value.scale, 0);
}

function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return Math.sign(a.length - b.length);
}

/**
 * Orders two values of the same Delta type. Returns undefined when the order is not known for certain (NaN
 * involved, mismatched forms), so callers never prune on a guess.
 */
export function compareScalars(type: DataType, a: ScalarValue, b: ScalarValue): number | undefined {
  if (type.kind === 'decimal') {
    const [x, y] = [a as DecimalValue, b as DecimalValue];
    const scale = Math.max(x.scale, y.scale);
    const [p, q] = [rescaleDecimal(x, scale)!.unscaled, rescaleDecimal(y, scale)!.unscaled];
    return p === q ? 0 : p < q ? -1 : 1;
  }
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
    return a === b ? 0 : a < b ? -1 : 1;
  }
  return undefined;
}

/** `YYYY-MM-DD` for days since the epoch (years outside 0000–9999 keep their sign and width). */
export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  const y = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` (no zone) for microseconds since the epoch. */
export function formatTimestampMicros(micros: bigint): string {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const seconds = Number(rest / 1_000_000n);
  const fraction = String(rest % 1_000_000n).padStart(6, '0');
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `${formatDate(Number(days))} ${hh}:${mm}:${ss}.${fraction}`;
}

/** Plain decimal text (`-12.34`) of a DecimalValue. */
export function formatDecimal(value: DecimalValue): string {
  const negative = value.unscaled < 0n;
  const digits = (negative ? -value.unscaled : value.unscaled).toString().padStart(value.scale + 1, '0');
  const text = value.scale === 0 ? digits : `${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}`;
  return negative ? `-${text}` : text;
}
