import { AnalyticsInputError } from './errors.ts';
import { ensureRole } from './sql-ident.ts';
import type { SqlParams } from './sql-params.ts';
import type { ResolvedTimeRange } from './time-range.ts';
import type { AnalyticsSource } from './types.ts';

/**
 * The common head of every canned query:
 *   WITH src AS (SELECT * FROM <relation>),
 *        base AS (SELECT epoch_us(<timestamp>) AS ts_us, <columns> FROM src WHERE <time filter>)
 * Time is handled as epoch microseconds, which DuckDB computes the same for TIMESTAMP (read as UTC) and
 * TIMESTAMPTZ whatever the session time zone. Rows with a NULL timestamp are left out. `columns` maps an
 * output alias (a plain lower-case word chosen by the builder) to a SQL expression over `src`.
 * Throws AnalyticsInputError (BAD_USER_INPUT) for an empty relation or an unmapped timestamp role.
 */
export function baseCtes(
  source: AnalyticsSource,
  range: ResolvedTimeRange,
  columns: Record<string, string>,
  params: SqlParams,
): string {
  if (typeof source.relation !== 'string' || source.relation.trim() === '') {
    throw new AnalyticsInputError('the analytics source needs a relation to read from', 'relation');
  }
  const ts = ensureRole(source, 'timestamp', 'analytics');
  const tsUs = `epoch_us(${ts})`;
  const where = [`${ts} IS NOT NULL`];
  if (range.fromUs !== undefined) where.push(`${tsUs} >= ${params.add(range.fromUs, 'BIGINT')}`);
  if (range.toUs !== undefined) where.push(`${tsUs} < ${params.add(range.toUs, 'BIGINT')}`);
  const select = [`${tsUs} AS ts_us`, ...Object.entries(columns).map(([alias, expr]) => `${expr} AS ${alias}`)];
  return [
    `WITH src AS (SELECT * FROM ${source.relation}),`,
    `base AS (`,
    `  SELECT ${select.join(',\n         ')}`,
    `  FROM src`,
    `  WHERE ${where.join(' AND ')}`,
    `)`,
  ].join('\n');
}
