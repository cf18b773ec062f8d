/**
 * `analytics(table, asOf, from, to)`: canned log analytics over any table whose columns are mapped to roles
 * (the demo `logs` table by default). One function per analytics kind declares its row type and its field on
 * `Analytics`; each field passes its kind and arguments to the resolver, which picks the SQL builder.
 */
import type { AnomalyRuleRow, AnomalyScoreRow, ErrorsByEndpointRow, PerformanceRow, SessionsRow, TimeSeriesRow } from '../analytics/index.ts';
import { runAnalytics, type AnalyticsScope } from '../resolvers/analytics.ts';
import type { Builder } from './builder.ts';
import { addAsOfInput, toAsOf } from './common/as-of.ts';

type AnalyticsRef = ReturnType<typeof addAnalyticsType>;
type DimensionRef = ReturnType<typeof addDimensionEnum>;

export function addAnalyticsFields(builder: Builder): void {
  const Dimension = addDimensionEnum(builder);
  const Analytics = addAnalyticsType(builder);
  addErrorsField(builder, Analytics);
  addPerformanceField(builder, Analytics, Dimension);
  addSessionsField(builder, Analytics);
  addTimeSeriesField(builder, Analytics);
  addAnomalyRuleField(builder, Analytics, Dimension);
  addAnomaliesField(builder, Analytics, Dimension);
  builder.queryField('analytics', (t) =>
    t.field({
      type: Analytics,
      args: { table: t.arg.string({ required: true }), asOf: t.arg({ type: addAsOfInput(builder) }), from: t.arg({ type: 'DateTime' }), to: t.arg({ type: 'DateTime' }) },
      resolve: (_root, args) => ({ table: args.table, asOf: toAsOf(args.asOf), from: args.from ?? undefined, to: args.to ?? undefined }),
    }),
  );
}

function addDimensionEnum(builder: Builder) {
  return builder.enumType('Dimension', { values: { ENDPOINT: { value: 'endpoint' }, SOURCE: { value: 'source' } } as const });
}

function addAnalyticsType(builder: Builder) {
  return builder.objectRef<AnalyticsScope>('Analytics').implement({
    description: 'Canned log analytics over one table, optionally limited to [from, to).',
  });
}

function addErrorsField(builder: Builder, Analytics: AnalyticsRef): void {
  const EndpointErrors = builder.objectRef<ErrorsByEndpointRow>('EndpointErrors').implement({
    fields: (t) => ({
      endpoint: t.exposeString('endpoint', { nullable: true }),
      errors: t.field({ type: 'Long', resolve: (r) => r.errors }),
      requests: t.field({ type: 'Long', resolve: (r) => r.requests }),
      errorRate: t.exposeFloat('errorRate'),
      avgResponseTime: t.exposeFloat('avgResponseTime', { nullable: true }),
      p95ResponseTime: t.exposeFloat('p95ResponseTime', { nullable: true }),
    }),
  });
  builder.objectField(Analytics, 'errors', (t) => t.field({
    type: [EndpointErrors],
    args: { statusMin: t.arg.int(), statusMax: t.arg.int(), levels: t.arg.stringList(), topN: t.arg.int() },
    resolve: (scope, args, ctx) => runAnalytics(ctx, scope, 'errors', clean(args)),
  }));
}

function addPerformanceField(builder: Builder, Analytics: AnalyticsRef, Dimension: DimensionRef): void {
  const PerformanceGroup = builder.objectRef<PerformanceRow>('PerformanceGroup').implement({
    fields: (t) => ({
      dimension: t.exposeString('dimension', { nullable: true }),
      requests: t.field({ type: 'Long', resolve: (r) => r.requests }),
      avgResponseTime: t.exposeFloat('avgResponseTime', { nullable: true }),
      p50ResponseTime: t.exposeFloat('p50ResponseTime', { nullable: true }),
      p95ResponseTime: t.exposeFloat('p95ResponseTime', { nullable: true }),
      p99ResponseTime: t.exposeFloat('p99ResponseTime', { nullable: true }),
      errorRate: t.exposeFloat('errorRate', { nullable: true }),
    }),
  });
  builder.objectField(Analytics, 'performance', (t) => t.field({
    type: [PerformanceGroup],
    args: { by: t.arg({ type: Dimension, defaultValue: 'endpoint' }), statusMin: t.arg.int(), statusMax: t.arg.int(), levels: t.arg.stringList(), topN: t.arg.int() },
    resolve: (scope, { by, ...args }, ctx) => runAnalytics(ctx, scope, 'performance', { ...clean(args), groupBy: by ?? 'endpoint' }),
  }));
}

function addSessionsField(builder: Builder, Analytics: AnalyticsRef): void {
  const UserSessions = builder.objectRef<SessionsRow>('UserSessions').implement({
    fields: (t) => ({
      user: t.exposeString('user'),
      sessions: t.field({ type: 'Long', resolve: (r) => r.sessions }),
      requests: t.field({ type: 'Long', resolve: (r) => r.requests }),
      firstSeen: t.field({ type: 'DateTime', resolve: (r) => r.firstSeen }),
      lastSeen: t.field({ type: 'DateTime', resolve: (r) => r.lastSeen }),
      avgSessionSeconds: t.exposeFloat('avgSessionSeconds', { nullable: true }),
    }),
  });
  builder.objectField(Analytics, 'sessions', (t) => t.field({
    type: [UserSessions],
    args: { minSessions: t.arg.int(), minRequests: t.arg.int(), topN: t.arg.int() },
    resolve: (scope, args, ctx) => runAnalytics(ctx, scope, 'sessions', clean(args)),
  }));
}

function addTimeSeriesField(builder: Builder, Analytics: AnalyticsRef): void {
  const TimeBucket = builder.objectRef<TimeSeriesRow>('TimeBucket').implement({
    fields: (t) => ({
      bucket: t.field({ type: 'DateTime', resolve: (r) => r.bucket }),
      requests: t.field({ type: 'Long', resolve: (r) => r.requests }),
      errors: t.field({ type: 'Long', nullable: true, resolve: (r) => r.errors }),
      avgResponseTime: t.exposeFloat('avgResponseTime', { nullable: true }),
      p95ResponseTime: t.exposeFloat('p95ResponseTime', { nullable: true }),
    }),
  });
  builder.objectField(Analytics, 'timeSeries', (t) => t.field({
    type: [TimeBucket],
    args: { interval: t.arg.string({ defaultValue: '1h', description: "Bucket size: '1m', '5m', '1h', '1d', '90 seconds', ..." }), statusMin: t.arg.int(), statusMax: t.arg.int(), levels: t.arg.stringList() },
    resolve: (scope, args, ctx) => runAnalytics(ctx, scope, 'timeSeries', clean(args)),
  }));
}

function addAnomalyRuleField(builder: Builder, Analytics: AnalyticsRef, Dimension: DimensionRef): void {
  const RuleAnomaly = builder.objectRef<AnomalyRuleRow>('RuleAnomaly').implement({
    description: 'A bucket and dimension with error rows or rows slower than the threshold.',
    fields: (t) => ({
      bucket: t.field({ type: 'DateTime', resolve: (r) => r.bucket }),
      dimension: t.exposeString('dimension', { nullable: true }),
      anomalies: t.field({ type: 'Long', resolve: (r) => r.anomalies }),
      errors: t.field({ type: 'Long', nullable: true, resolve: (r) => r.errors }),
      slow: t.field({ type: 'Long', nullable: true, resolve: (r) => r.slow }),
      requests: t.field({ type: 'Long', resolve: (r) => r.requests }),
      maxResponseTime: t.exposeFloat('maxResponseTime', { nullable: true }),
    }),
  });
  builder.objectField(Analytics, 'anomalyRule', (t) => t.field({
    type: [RuleAnomaly],
    description: 'The simple rule: error rows or rows slower than responseTimeThreshold, per bucket and dimension.',
    args: { interval: t.arg.string({ defaultValue: '5m' }), by: t.arg({ type: Dimension, defaultValue: 'endpoint' }), responseTimeThreshold: t.arg.float(), topN: t.arg.int() },
    resolve: (scope, { by, ...args }, ctx) => runAnalytics(ctx, scope, 'anomalyRule', { ...clean(args), dimension: by ?? 'endpoint' }),
  }));
}

function addAnomaliesField(builder: Builder, Analytics: AnalyticsRef, Dimension: DimensionRef): void {
  const AnomalyMetric = builder.enumType('AnomalyMetric', { values: { ERROR_RATE: { value: 'error_rate' }, LATENCY_P95: { value: 'latency_p95' } } as const });
  const Anomaly = builder.objectRef<AnomalyScoreRow>('Anomaly').implement({
    description: 'A bucket whose error rate or p95 latency departs from its dimension\'s baseline (robust z-score).',
    fields: (t) => ({
      bucket: t.field({ type: 'DateTime', resolve: (r) => r.bucket }),
      dimension: t.exposeString('dimension', { nullable: true }),
      metric: t.field({ type: AnomalyMetric, resolve: (r) => r.metric }),
      observed: t.exposeFloat('observed'),
      expected: t.exposeFloat('expected'),
      score: t.exposeFloat('score'),
      requests: t.field({ type: 'Long', resolve: (r) => r.requests }),
    }),
  });
  builder.objectField(Analytics, 'anomalies', (t) => t.field({
    type: [Anomaly],
    description: 'Robust statistical detector: per dimension and bucket, error rate and p95 latency scored against the median and MAD of the baseline.',
    args: { interval: t.arg.string({ defaultValue: '5m' }), by: t.arg({ type: Dimension, defaultValue: 'endpoint' }), minScore: t.arg.float(), minRequests: t.arg.int(), baselineBuckets: t.arg.int(), topN: t.arg.int(), statusMin: t.arg.int(), statusMax: t.arg.int(), levels: t.arg.stringList() },
    resolve: (scope, { by, ...args }, ctx) => runAnalytics(ctx, scope, 'anomalies', { ...clean(args), dimension: by ?? 'endpoint' }),
  }));
}

/** Drops null arguments so builders apply their defaults. */
function clean<T extends object>(args: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== undefined)) as never;
}
