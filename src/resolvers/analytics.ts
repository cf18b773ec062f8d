/**
 * Canned analytics over any table with column roles: the table's scan (only the role columns, pruned by the
 * time range) becomes the relation the pure SQL builders of src/analytics read from, and DuckDB runs the result.
 */
import { badInput } from './errors.ts';
import type { AnalyticsSource, ColumnRoles, SqlQuery } from '../analytics/index.ts';
import type { Predicate } from '../delta/index.ts';
import type { AsOf } from '../sources/table-catalog.ts';
import type { GatewayContext } from './context.ts';
import { prepareScan, recordPlan, runQuery } from './run-scan.ts';
import { snapshotFor } from './table-info.ts';

export interface AnalyticsScope {
  table: string;
  asOf?: AsOf;
  from?: Date;
  to?: Date;
}

const ROLE_NAMES = ['timestamp', 'level', 'status', 'endpoint', 'source', 'responseTime', 'user', 'session'] as const;

/** The table's roles restricted to columns its schema has; BAD_USER_INPUT without a timestamp role. */
function rolesFor(scope: AnalyticsScope, mapped: Readonly<Record<string, string>> | undefined, columns: ReadonlySet<string>): ColumnRoles {
  const roles: Partial<ColumnRoles> = {};
  for (const role of ROLE_NAMES) {
    const column = mapped?.[role];
    if (column !== undefined && columns.has(column)) roles[role] = column;
  }
  if (!roles.timestamp) {
    throw badInput(`table "${scope.table}" has no timestamp column role; declare its roles in the tables file`);
  }
  return roles as ColumnRoles;
}

/** Runs one analytics builder over the scope's table and returns its rows. */
export async function runAnalytics<R, P extends object = object>(
  ctx: GatewayContext,
  scope: AnalyticsScope,
  build: (source: AnalyticsSource, params: P & { from?: Date; to?: Date }) => SqlQuery,
  params: P,
): Promise<R[]> {
  if (scope.from && scope.to && scope.from.getTime() >= scope.to.getTime()) throw badInput('from must be before to');
  const table = await ctx.catalog.get(scope.table);
  const snapshot = await snapshotFor(ctx, scope.table, scope.asOf);
  const roles = rolesFor(scope, table.roles, new Set(snapshot.schema.fields.map((f) => f.name)));
  const range: Predicate[] = [];
  if (scope.from) range.push({ op: 'gte', column: roles.timestamp, value: scope.from });
  if (scope.to) range.push({ op: 'lt', column: roles.timestamp, value: scope.to });
  const { plan, scan } = await prepareScan(ctx, {
    storage: table.storage,
    snapshot,
    predicate: range.length ? { and: range } : undefined,
    columns: [...new Set(Object.values(roles))],
  });
  recordPlan(ctx, plan);
  const query = build({ relation: `(${scan.sql})`, roles, params: scan.params }, { ...params, from: scope.from, to: scope.to });
  return (await runQuery(ctx, query.sql, query.params, { table: scope.table, version: snapshot.version, kind: 'analytics' })) as R[];
}
