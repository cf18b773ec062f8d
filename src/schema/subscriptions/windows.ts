/**
 * Live analytics over tumbling event-time windows of the log stream: `errorRate` (one `ErrorRateWindow` per
 * closed window and dimension value) and `anomalyAlerts` (an `AnomalyAlert` when a window departs from the
 * previous ones of its key).
 */
import type { AnomalyAlert } from '../../subscriptions/windows/anomaly-detector.ts';
import type { WindowCount } from '../../subscriptions/windows/tumbling-windows.ts';
import type { StreamFault } from '../../subscriptions/log-stream/subscriber-queue.ts';
import { subscribeAnomalyAlerts, subscribeErrorRate } from '../../resolvers/log-events.ts';
import type { Builder } from '../builder.ts';
import { perBuilder } from '../per-builder.ts';
import { logEventFilterRef } from './log-events.ts';
import { unwrapPayload, type SubscriptionFieldBuilder } from './subscription-root.ts';

const streamDimensionRef = perBuilder((builder: Builder) =>
  builder.enumType('StreamDimension', { values: ['ENDPOINT', 'SOURCE', 'METHOD', 'ALL'] as const }),
);

const errorRateWindowRef = perBuilder((builder: Builder) =>
  builder.objectRef<WindowCount>('ErrorRateWindow').implement({
    description: 'A closed tumbling window (event time) for one value of the dimension. Errors: status >= 500 or level ERROR/FATAL.',
    fields: (t) => ({
      windowStart: t.field({ type: 'DateTime', resolve: (w) => w.windowStart }),
      windowEnd: t.field({ type: 'DateTime', resolve: (w) => w.windowEnd }),
      dimension: t.field({ type: streamDimensionRef(builder), resolve: (w) => w.dimension }),
      key: t.exposeString('key', { description: 'The endpoint, source or method; `*` for ALL.' }),
      requests: t.exposeInt('requests'),
      errors: t.exposeInt('errors'),
      rate: t.exposeFloat('rate'),
    }),
  }),
);

const anomalyAlertRef = perBuilder((builder: Builder) => {
  const StreamAnomalyMetric = builder.enumType('StreamAnomalyMetric', { values: ['ERROR_RATE', 'LATENCY'] as const });
  return builder.objectRef<AnomalyAlert>('AnomalyAlert').implement({
    fields: (t) => ({
      windowStart: t.field({ type: 'DateTime', resolve: (a) => a.windowStart }),
      windowEnd: t.field({ type: 'DateTime', resolve: (a) => a.windowEnd }),
      dimension: t.field({ type: streamDimensionRef(builder), resolve: (a) => a.dimension }),
      key: t.exposeString('key'),
      metric: t.field({ type: StreamAnomalyMetric, resolve: (a) => a.metric }),
      value: t.exposeFloat('value'),
      baseline: t.exposeFloat('baseline', { description: 'Mean of the previous windows of this key.' }),
      zScore: t.exposeFloat('zScore'),
      requests: t.exposeInt('requests'),
      message: t.exposeString('message'),
    }),
  });
});

/** The arguments every window subscription takes: window length, dimension and the event filter. */
function windowArgs(builder: Builder, t: SubscriptionFieldBuilder) {
  return {
    window: t.arg.string({ required: true, defaultValue: '1m', description: 'Tumbling window length, 1s to 1h (e.g. 10s, 1m, 5m).' }),
    by: t.arg({ type: streamDimensionRef(builder), required: true, defaultValue: 'ENDPOINT' }),
    filter: t.arg({ type: logEventFilterRef(builder), required: false }),
  };
}

/** Adds the subscription fields `errorRate(window, by, filter)` and `anomalyAlerts(…, threshold, minRequests, history)`. */
export function addWindowFields(builder: Builder): void {
  builder.subscriptionField('errorRate', (t) =>
    t.field({
      type: errorRateWindowRef(builder),
      description: 'Error rate per window and dimension value, emitted when a window closes (event time, allowed lateness SUBSCRIPTION_ALLOWED_LATENESS_MS).',
      args: windowArgs(builder, t),
      subscribe: (_root, args, ctx) => subscribeErrorRate({ window: args.window, by: args.by, filter: args.filter }, ctx),
      resolve: (payload) => unwrapPayload(payload as WindowCount | StreamFault),
    }),
  );
  builder.subscriptionField('anomalyAlerts', (t) =>
    t.field({
      type: anomalyAlertRef(builder),
      description: 'An alert when a window\'s error rate or mean latency for a key is `threshold` standard deviations above its previous `history` windows.',
      args: {
        ...windowArgs(builder, t),
        threshold: t.arg.float({ required: true, defaultValue: 3 }),
        minRequests: t.arg.int({ required: true, defaultValue: 20 }),
        history: t.arg.int({ required: true, defaultValue: 10 }),
      },
      subscribe: (_root, args, ctx) => subscribeAnomalyAlerts({ window: args.window, by: args.by, filter: args.filter, threshold: args.threshold, minRequests: args.minRequests, history: args.history }, ctx),
      resolve: (payload) => unwrapPayload(payload as AnomalyAlert | StreamFault),
    }),
  );
}
