/**
 * An analytics subscription (`errorRate`, `anomalyAlerts`) over the live stream: each event is folded into the
 * subscriber's tumbling windows inside the hub's synchronous fan-out (a few map updates), and a timer closes the
 * windows the watermark has passed, offering each result to the subscriber's bounded buffer (SLOW_CONSUMER when
 * it overflows, like logEvents).
 */
import { GraphQLError } from 'graphql';
import { STREAM_ERROR_CODES } from '../constants.ts';
import type { LogHub } from '../log-stream/log-hub.ts';
import type { EventPredicate } from '../log-stream/log-filter.ts';
import { StreamFault, SubscriberQueue } from '../log-stream/subscriber-queue.ts';
import { createTumblingWindows, type WindowCount, type WindowDimension } from './tumbling-windows.ts';

export interface WindowSubscriptionOptions<T> {
  hub: LogHub;
  connection: object;
  bufferSize: number;
  windowMs: number;
  by: WindowDimension;
  allowedLatenessMs: number;
  predicate: EventPredicate;
  /** Turns a closed window row into what the subscriber receives (none, one or several items). */
  map: (w: WindowCount) => T[];
  /** Wall-clock tick that advances the watermark (default min(1 s, window / 4)). */
  tickMs?: number;
  /** Called after a SLOW_CONSUMER drop, as for logEvents (graphql-ws cuts a socket that stays stalled). */
  onSlowConsumer?: (stream: { readonly isClosed: boolean; readonly length: number }) => void;
}

/**
 * @throws GraphQLError TOO_MANY_SUBSCRIPTIONS or SHUTTING_DOWN
 */
export function openWindowSubscription<T>(o: WindowSubscriptionOptions<T>): AsyncIterableIterator<T | StreamFault> {
  const reservation = o.hub.reserve(o.connection);
  const windows = createTumblingWindows(o.windowMs, o.by, o.allowedLatenessMs);
  const detach = o.hub.attach((e) => {
    if (o.predicate(e)) windows.add(e);
  });
  const tick = o.tickMs ?? Math.max(50, Math.min(1_000, o.windowMs / 4));
  const timer = setInterval(() => {
    if (queue.isClosed) return stop(); // faulted or returned: the reader may never pull again
    for (const row of windows.advance(Date.now())) {
      for (const item of o.map(row)) {
        if (queue.offer(item)) continue;
        o.hub.countSlowConsumer();
        const error = new GraphQLError(`subscriber fell behind by more than ${o.bufferSize} results`, { extensions: { code: STREAM_ERROR_CODES.slowConsumer, lastCursor: null } });
        queue.fail(new StreamFault(error));
        stop(); // off the hub at once, not at the next tick
        return o.onSlowConsumer?.(queue);
      }
    }
  }, tick);
  timer.unref();
  const stop = () => {
    clearInterval(timer);
    detach();
    reservation.release();
    unregister();
  };
  const queue = new SubscriberQueue<T>(o.bufferSize, stop);
  const unregister = o.hub.onClose(() =>
    queue.fail(new StreamFault(new GraphQLError('the gateway is shutting down', { extensions: { code: STREAM_ERROR_CODES.shuttingDown } }))),
  );
  return queue;
}
