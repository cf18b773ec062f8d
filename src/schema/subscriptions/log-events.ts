/**
 * `logEvents` (live tail with filters, resume cursors and a Delta backfill) and `logEventBatches` (the same in
 * batches, for high rates), with the `LogEventFilter` input the live analytics share.
 */
import type { LogEvent } from '../../subscriptions/log-stream/log-event.ts';
import type { StreamFault } from '../../subscriptions/log-stream/subscriber-queue.ts';
import type { LogEventBatch } from '../../subscriptions/log-stream/event-batcher.ts';
import { subscribeLogEventBatches, subscribeLogEvents } from '../../resolvers/log-events.ts';
import type { Builder } from '../builder.ts';
import { perBuilder } from '../per-builder.ts';
import { unwrapPayload, type SubscriptionFieldBuilder } from './subscription-root.ts';

// Events of one producer batch share their timestamp: format it once (the DateTime scalar passes text through).
let lastMs = NaN;
let lastIso = '';
const isoOf = (ms: number) => (ms === lastMs ? lastIso : ((lastMs = ms), (lastIso = new Date(ms).toISOString())));

/** `LogEventFilter`: the filter of every log subscription, live analytics included. */
export const logEventFilterRef = perBuilder((builder: Builder) =>
  builder.inputType('LogEventFilter', {
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
  }),
);

const logEventRef = perBuilder((builder: Builder) =>
  builder.objectRef<LogEvent>('LogEvent').implement({
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
  }),
);

const logEventBatchRef = perBuilder((builder: Builder) =>
  builder.objectRef<LogEventBatch>('LogEventBatch').implement({
    description: 'Consecutive matching events of the live stream (never empty).',
    fields: (t) => ({
      events: t.field({ type: [logEventRef(builder)], resolve: (b) => b.events }),
      cursor: t.exposeString('cursor', { description: 'The last event\'s cursor: `after: cursor` continues right after this batch.' }),
    }),
  }),
);

/** The arguments of both tails: the event filter, a resume cursor and the backfill start. */
function tailArgs(builder: Builder, t: SubscriptionFieldBuilder) {
  return {
    filter: t.arg({ type: logEventFilterRef(builder), required: false }),
    after: t.arg.string({ required: false }),
    since: t.arg({ type: 'DateTime', required: false }),
  };
}

/** Adds the subscription fields `logEvents(filter, after, since)` and `logEventBatches(…, maxEvents, maxWaitMs)`. */
export function addLogEventFields(builder: Builder): void {
  builder.subscriptionField('logEvents', (t) =>
    t.field({
      type: logEventRef(builder),
      description: 'Live log events matching the filter. `after`: resume right after a cursor. `since`: first the table rows since then, then the stream.',
      args: tailArgs(builder, t),
      subscribe: (_root, args, ctx) => subscribeLogEvents(args, ctx),
      resolve: (payload) => unwrapPayload(payload as LogEvent | StreamFault),
    }),
  );
  builder.subscriptionField('logEventBatches', (t) =>
    t.field({
      type: logEventBatchRef(builder),
      description: 'Like logEvents, in batches: each is sent when it holds `maxEvents` or `maxWaitMs` after its first event, so latency grows by at most maxWaitMs while messages drop by up to maxEvents times. For high rates.',
      args: {
        ...tailArgs(builder, t),
        maxEvents: t.arg.int({ required: true, defaultValue: 500, description: '1 to 5000.' }),
        maxWaitMs: t.arg.int({ required: true, defaultValue: 20, description: '0 to 5000.' }),
      },
      subscribe: (_root, args, ctx) => subscribeLogEventBatches(args, ctx),
      resolve: (payload) => unwrapPayload(payload as LogEventBatch | StreamFault),
    }),
  );
}
