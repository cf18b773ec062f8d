import { AnalyticsInputError } from './errors.ts';
import type { AnalyticsSource, ColumnRoles } from './types.ts';

/**
 * Quotes a column name as a DuckDB identifier: wrapped in double quotes, inner double quotes doubled.
 * Throws AnalyticsInputError (BAD_USER_INPUT) for an empty name or one holding a NUL character.
 */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\u0000')) {
    throw new AnalyticsInputError(`invalid column name ${JSON.stringify(name)}`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The quoted column mapped to `role`. Throws AnalyticsInputError (BAD_USER_INPUT) naming the analytics `purpose`
 * when the table maps no column to that role.
 */
export function ensureRole(source: AnalyticsSource, role: keyof ColumnRoles, purpose: string): string {
  const column = source.roles[role];
  if (column === undefined || column === '') {
    throw new AnalyticsInputError(`${purpose} needs a column mapped to the '${role}' role, and this table maps none`, role);
  }
  return quoteIdent(column);
}

/** The quoted column mapped to `role`, or undefined when the table maps none. */
export function optionalRole(source: AnalyticsSource, role: keyof ColumnRoles): string | undefined {
  const column = source.roles[role];
  return column === undefined || column === '' ? undefined : quoteIdent(column);
}
