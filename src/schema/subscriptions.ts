/**
 * The Subscription type: `logEvents` (live tail with filters, resume cursors and a Delta backfill),
 * `logEventBatches` (the same in batches, for high rates) and the live analytics `errorRate` and `anomalyAlerts`. Served over graphql-ws (websocket, `/graphql`) and GraphQL over SSE
 * (`Accept: text/event-stream`), both through yoga's envelop. A stream that ends in an error (SLOW_CONSUMER,
 * SHUTTING_DOWN) delivers it as its last payload: resolving that payload throws the error, then the stream ends.
 */
import type { AnomalyAlert } from '../subscriptions/windows/anomaly-detector.ts';
import type { LogEvent } from '../subscriptions/log-stream/log-event.ts';
import type { WindowCount } from '../subscriptions/windows/tumbling-windows.ts';
import { StreamFault } from '../subscriptions/log-stream/subscriber-queue.ts';
import type { LogEventBatch } from '../subscriptions/log-stream/event-batcher.ts';
import { subscribeAnomalyAlerts, subscribeErrorRate, subscribeLogEventBatches, subscribeLogEvents } from '../resolvers/log-events.ts';
import type { Builder } from './builder.ts';

/** Type names this file owns (generated per-table types never reuse them). */
export const SUBSCRIPTION_TYPE_PREFIXES = ['LogEvent', 'ErrorRateWindow', 'AnomalyAlert', 'Stream'] as const;

// Events of one producer batch share their timestamp: format it once (the DateTime scalar passes text through).
let lastMs = NaN;
let lastIso = '';
const isoOf = (ms: number) => (ms === lastMs ? lastIso : ((lastMs = ms), (lastIso = new Date(ms).toISOString())));

function unwrap<T>(payload: T | StreamFault): T {
  if (payload instanceof StreamFault) throw payload.error;
  return payload;
}

export function addSubscriptionFields(builder: Builder): void {
  builder.subscriptionType({ description: 'Live log events and analytics computed from the stream.' });

  const StreamDimension = builder.enumType('StreamDimension', { values: ['ENDPOINT', 'SOURCE', 'METHOD', 'ALL'] as const });
  const StreamAnomalyMetric = builder.enumType('StreamAnomalyMetric', { values: ['ERROR_RATE', 'LATENCY'] as const });

  const LogEventFilter = builder.inputType('LogEventFilter', {
    description: 'All given parts must hold. Lists match any of their values; text is a case-insensitive substring of the message.',
    fields: (t) => ({
      levels: t.stringList({ required: false, description: 'Log levels (case-insensitive): TRACE, DEBUG, INFO, WARN, ERROR, FATAL.' }),
      sources: t.stringList({ required: false }),
      endpoints: t.stringList({ required: false }),
      statusMin: t.int({ required: false }),
      statusMax: t.int({ required: false }),
      minResponseTime: t.float({ required: false, description: 'Milliseconds.' }),
      text: t.string({ required: false }),
    }),
  });

  const LogEventRef = builder.objectRef<LogEvent>('LogEvent').implement({
    description: 'One log event from the live stream (or from the Delta table during a `since:` backfill).',
    fields: (t) => ({
      timestamp: t.field({ type: 'DateTime', resolve: (e) => isoOf(e.timestamp) }),
      level: t.exposeString('level'),
      source: t.exposeString('source'),
      endpoint: t.exposeString('endpoint'),
      method: t.exposeString('method'),
      status: t.exposeInt('status'),
      responseTimeMs: t.exposeFloat('responseTimeMs'),
      userId: t.exposeString('userId', { nullable: true }),
      sessionId: t.exposeString('sessionId'),
      message: t.exposeString('message', { nullable: true }),
      cursor: t.exposeString('cursor', { description: 'Opaque resume token: `logEvents(after: cursor)` continues right after this event.' }),
      gapBefore: t.exposeInt('gapBefore', { description: 'Offsets of this partition lost (by Kafka) right before this event; 0 normally.' }),
    }),
  });

  const LogEventBatchRef = builder.objectRef<LogEventBatch>('LogEventBatch').implement({
    description: 'Consecutive matching events of the live stream (never empty).',
    fields: (t) => ({
      events: t.field({ type: [LogEventRef], resolve: (b) => b.events }),
      cursor: t.exposeString('cursor', { description: 'The last event\'s cursor: `after: cursor` continues right after this batch.' }),
    }),
  });

  const ErrorRateWindow = builder.objectRef<WindowCount>('ErrorRateWindow').implement({
    description: 'A closed tumbling window (event time) for one value of the dimension. Errors: status >= 500 or level ERROR/FATAL.',
    fields: (t) => ({
      windowStart: t.field({ type: 'DateTime', resolve: (w) => w.windowStart }),
      windowEnd: t.field({ type: 'DateTime', resolve: (w) => w.windowEnd }),
      dimension: t.field({ type: StreamDimension, resolve: (w) => w.dimension }),
      key: t.exposeString('key', { description: 'The endpoint, source or method; `*` for ALL.' }),
      requests: t.exposeInt('requests'),
      errors: t.exposeInt('errors'),
      rate: t.exposeFloat('rate'),
    }),
  });

  const AnomalyAlertRef = builder.objectRef<AnomalyAlert>('AnomalyAlert').implement({
    fields: (t) => ({
      windowStart: t.field({ type: 'DateTime', resolve: (a) => a.windowStart }),
      windowEnd: t.field({ type: 'DateTime', resolve: (a) => a.windowEnd }),
      dimension: t.field({ type: StreamDimension, resolve: (a) => a.dimension }),
      key: t.exposeString('key'),
      metric: t.field({ type: StreamAnomalyMetric, resolve: (a) => a.metric }),
      value: t.exposeFloat('value'),
      baseline: t.exposeFloat('baseline', { description: 'Mean of the previous windows of this key.' }),
      zScore: t.exposeFloat('zScore'),
      requests: t.exposeInt('requests'),
      message: t.exposeString('message'),
    }),
  });

  const windowArgs = (t: Parameters<Parameters<typeof builder.subscriptionField>[1]>[0]) => ({
    window: t.arg.string({ required: true, defaultValue: '1m', description: 'Tumbling window length, 1s to 1h (e.g. 10s, 1m, 5m).' }),
    by: t.arg({ type: StreamDimension, required: true, defaultValue: 'ENDPOINT' }),
    filter: t.arg({ type: LogEventFilter, required: false }),
  });

  builder.subscriptionField('logEvents', (t) =>
    t.field({
      type: LogEventRef,
      description: 'Live log events matching the filter. `after`: resume right after a cursor. `since`: first the table rows since then, then the stream.',
      args: {
        filter: t.arg({ type: LogEventFilter, required: false }),
        after: t.arg.string({ required: false }),
        since: t.arg({ type: 'DateTime', required: false }),
      },
      subscribe: (_root, args, ctx) => subscribeLogEvents(args, ctx),
      resolve: (payload) => unwrap(payload as LogEvent | StreamFault),
    }),
  );

  builder.subscriptionField('logEventBatches', (t) =>
    t.field({
      type: LogEventBatchRef,
      description: 'Like logEvents, in batches: each is sent when it holds `maxEvents` or `maxWaitMs` after its first event, so latency grows by at most maxWaitMs while messages drop by up to maxEvents times. For high rates.',
      args: {
        filter: t.arg({ type: LogEventFilter, required: false }),
        after: t.arg.string({ required: false }),
        since: t.arg({ type: 'DateTime', required: false }),
        maxEvents: t.arg.int({ required: true, defaultValue: 500, description: '1 to 5000.' }),
        maxWaitMs: t.arg.int({ required: true, defaultValue: 20, description: '0 to 5000.' }),
      },
      subscribe: (_root, args, ctx) => subscribeLogEventBatches(args, ctx),
      resolve: (payload) => unwrap(payload as LogEventBatch | StreamFault),
    }),
  );

  builder.subscriptionField('errorRate', (t) =>
    t.field({
      type: ErrorRateWindow,
      description: 'Error rate per window and dimension value, emitted when a window closes (event time, allowed lateness SUBSCRIPTION_ALLOWED_LATENESS_MS).',
      args: windowArgs(t),
      subscribe: (_root, args, ctx) => subscribeErrorRate({ window: args.window, by: args.by, filter: args.filter }, ctx),
      resolve: (payload) => unwrap(payload as WindowCount | StreamFault),
    }),
  );

  builder.subscriptionField('anomalyAlerts', (t) =>
    t.field({
      type: AnomalyAlertRef,
      description: 'An alert when a window\'s error rate or mean latency for a key is `threshold` standard deviations above its previous `history` windows.',
      args: {
        ...windowArgs(t),
        threshold: t.arg.float({ required: true, defaultValue: 3 }),
        minRequests: t.arg.int({ required: true, defaultValue: 20 }),
        history: t.arg.int({ required: true, defaultValue: 10 }),
      },
      subscribe: (_root, args, ctx) => subscribeAnomalyAlerts({ window: args.window, by: args.by, filter: args.filter, threshold: args.threshold, minRequests: args.minRequests, history: args.history }, ctx),
      resolve: (payload) => unwrap(payload as AnomalyAlert | StreamFault),
    }),
  );
}
