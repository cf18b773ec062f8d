import { AnalyticsInputError } from './errors.ts';
import { optionalRole } from './sql-ident.ts';
import type { SqlParams } from './sql-params.ts';
import type { AnalyticsSource } from './types.ts';
import { ensureInt } from './validate.ts';

/** What counts as an error row. */
export interface ErrorRule {
  /** Lowest error status, inclusive. Default 500. Used when the table maps a `status` column. */
  statusMin?: number;
  /** Highest error status, inclusive. Default: no upper bound. */
  statusMax?: number;
  /** Levels that count as errors, compared case-insensitively. Default `['ERROR']`; `[]` ignores levels. */
  levels?: string[];
}

const MAX_LEVELS = 32;

function levelPredicate(levelCol: string, levels: unknown, params: SqlParams): string | undefined {
  const list = levels ?? ['ERROR'];
  if (!Array.isArray(list) || list.length > MAX_LEVELS || !list.every((l) => typeof l === 'string' && l.trim() !== '')) {
    throw new AnalyticsInputError(`levels must be a list of at most ${MAX_LEVELS} non-empty strings`, 'levels');
  }
  if (list.length === 0) return undefined;
  const placeholders = [...new Set(list.map((l: string) => l.trim().toUpperCase()))].map((l) => params.add(l, 'VARCHAR'));
  return `upper(CAST(${levelCol} AS VARCHAR)) IN (${placeholders.join(', ')})`;
}

/**
 * SQL boolean (never NULL) telling whether a row of `src` is an error: status within [statusMin, statusMax]
 * (status read with TRY_CAST to INTEGER) OR level in `levels`. Only the mapped roles take part; returns undefined
 * when neither `status` nor `level` is mapped (or levels is `[]` and status unmapped).
 * Throws AnalyticsInputError (BAD_USER_INPUT) for statuses outside 100..999, statusMax < statusMin, or bad levels.
 */
export function errorPredicateSql(source: AnalyticsSource, rule: ErrorRule, params: SqlParams): string | undefined {
  const statusMin = ensureInt('statusMin', rule.statusMin, 500, 100, 999);
  const statusMax = rule.statusMax == null ? undefined : ensureInt('statusMax', rule.statusMax, 999, statusMin, 999);
  const parts: string[] = [];
  const statusCol = optionalRole(source, 'status');
  if (statusCol !== undefined) {
    const status = `TRY_CAST(${statusCol} AS INTEGER)`;
    const upper = statusMax === undefined ? '' : ` AND ${status} <= ${params.add(statusMax, 'INTEGER')}`;
    parts.push(`(${status} >= ${params.add(statusMin, 'INTEGER')}${upper})`);
  }
  const levelCol = optionalRole(source, 'level');
  const level = levelCol === undefined ? undefined : levelPredicate(levelCol, rule.levels, params);
  if (level !== undefined) parts.push(`(${level})`);
  return parts.length === 0 ? undefined : `coalesce(${parts.join(' OR ')}, false)`;
}
