/**
 * Canned analytics over any table with column roles: the table's scan (only the role columns, pruned by the
 * time range) becomes the relation the pure SQL builders of src/analytics read from, and the scan executor runs
 * the result. Answers are cached under the normalised request (table identity and version, analytics kind and
 * parameters, time range, roles), so a hit neither plans nor builds SQL.
 */
import {
  buildAnomalyRuleQuery,
  buildAnomalyScoresQuery,
  buildErrorsByEndpointQuery,
  buildPerformanceQuery,
  buildSessionsQuery,
  buildTimeSeriesQuery,
  type AnalyticsSource,
  type AnomalyRuleParams,
  type AnomalyRuleRow,
  type AnomalyScoreParams,
  type AnomalyScoreRow,
  type ColumnRoles,
  type ErrorsByEndpointParams,
  type ErrorsByEndpointRow,
  type PerformanceParams,
  type PerformanceRow,
  type SessionsParams,
  type SessionsRow,
  type SqlQuery,
  type TimeSeriesParams,
  type TimeSeriesRow,
} from '../analytics/index.ts';
import type { Predicate } from '../delta/index.ts';
import type { AsOf } from '../sources/table-catalog.ts';
import type { GatewayContext } from './context.ts';
import { badInput } from './errors.ts';
import { answerOf, cachedByRequest, scanOptions } from './run-scan.ts';
import { snapshotFor } from './table-info.ts';

export interface AnalyticsScope {
  table: string;
  asOf?: AsOf;
  from?: Date;
  to?: Date;
}

/** Each analytics kind: its parameters (the time range comes from the scope) and its row. */
interface AnalyticsKinds {
  errors: { params: ErrorsByEndpointParams; row: ErrorsByEndpointRow };
  performance: { params: PerformanceParams; row: PerformanceRow };
  sessions: { params: SessionsParams; row: SessionsRow };
  timeSeries: { params: TimeSeriesParams; row: TimeSeriesRow };
  anomalyRule: { params: AnomalyRuleParams; row: AnomalyRuleRow };
  anomalies: { params: AnomalyScoreParams; row: AnomalyScoreRow };
}

export type AnalyticsKind = keyof AnalyticsKinds;
export type AnalyticsParams<K extends AnalyticsKind> = Omit<AnalyticsKinds[K]['params'], 'from' | 'to'>;
export type AnalyticsRow<K extends AnalyticsKind> = AnalyticsKinds[K]['row'];

/** The builder of each kind (the table the compiler checks: a kind without a builder does not compile). */
const BUILDERS: { [K in AnalyticsKind]: (source: AnalyticsSource, params: AnalyticsKinds[K]['params']) => SqlQuery } = {
  errors: buildErrorsByEndpointQuery,
  performance: buildPerformanceQuery,
  sessions: buildSessionsQuery,
  timeSeries: buildTimeSeriesQuery,
  anomalyRule: buildAnomalyRuleQuery,
  anomalies: buildAnomalyScoresQuery,
};

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

/** The scan's time range over the timestamp role: [from, to). */
function rangePredicate(scope: AnalyticsScope, roles: ColumnRoles): Predicate | undefined {
  const range: Predicate[] = [];
  if (scope.from) range.push({ op: 'gte', column: roles.timestamp, value: scope.from });
  if (scope.to) range.push({ op: 'lt', column: roles.timestamp, value: scope.to });
  return range.length ? { and: range } : undefined;
}

/**
 * Runs one kind of analytics over the scope's table and returns its rows (read through the query cache).
 * @throws BAD_USER_INPUT (from not before to, no timestamp role); the builders' AnalyticsInputError
 */
export async function runAnalytics<K extends AnalyticsKind>(ctx: GatewayContext, scope: AnalyticsScope, kind: K, params: AnalyticsParams<K>): Promise<AnalyticsRow<K>[]> {
  if (scope.from && scope.to && scope.from.getTime() >= scope.to.getTime()) throw badInput('from must be before to');
  const table = await ctx.catalog.get(scope.table);
  const snapshot = await snapshotFor(ctx, scope.table, scope.asOf);
  const roles = rolesFor(scope, table.roles, new Set(snapshot.schema.fields.map((f) => f.name)));
  const identity = {
    mode: 'analytics', kind, params, from: scope.from ?? null, to: scope.to ?? null, roles,
    root: table.storage.root, tableId: snapshot.metadata.id, answer: 'rows+figures',
  };
  const build = BUILDERS[kind] as (source: AnalyticsSource, params: object) => SqlQuery;
  const { rows, figures } = await cachedByRequest(ctx, { table: scope.table, version: snapshot.version, kind: 'analytics' }, identity, async () => {
    const request = { storage: table.storage, snapshot, predicate: rangePredicate(scope, roles), columns: [...new Set(Object.values(roles))] };
    return answerOf(ctx, await ctx.scans.aggregate(request, (scan) =>
      build({ relation: `(${scan.sql})`, roles, params: scan.params }, { ...params, from: scope.from, to: scope.to }), scanOptions(ctx)));
  });
  ctx.trace.recordScan(figures);
  return rows as unknown as AnalyticsRow<K>[];
}
