import { AnalyticsInputError } from './errors.ts';

/** Largest `topN` any builder accepts. */
export const MAX_TOP_N = 10_000;

/**
 * `value` (or `fallback` when undefined/null) as an integer within [min, max].
 * Throws AnalyticsInputError (BAD_USER_INPUT) naming `field` otherwise.
 */
export function ensureInt(field: string, value: unknown, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new AnalyticsInputError(`${field} must be an integer between ${min} and ${max}, got ${String(v)}`, field);
  }
  return v;
}

/**
 * `value` (or `fallback` when undefined/null) as a finite number within [min, max].
 * Throws AnalyticsInputError (BAD_USER_INPUT) naming `field` otherwise.
 */
export function ensureNumber(field: string, value: unknown, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new AnalyticsInputError(`${field} must be a number between ${min} and ${max}, got ${String(v)}`, field);
  }
  return v;
}

/** `value` (or `fallback`) when it is one of `allowed`; throws AnalyticsInputError (BAD_USER_INPUT) otherwise. */
export function ensureChoice<T extends string>(field: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  const v = value ?? fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new AnalyticsInputError(`${field} must be one of ${allowed.join(', ')}, got ${String(v)}`, field);
  }
  return v as T;
}

/** `topN`, default 10, between 1 and MAX_TOP_N; throws AnalyticsInputError (BAD_USER_INPUT) otherwise. */
export function ensureTopN(value: unknown, fallback = 10): number {
  return ensureInt('topN', value, fallback, 1, MAX_TOP_N);
}
