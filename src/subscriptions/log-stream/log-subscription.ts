/**
 * One `logEvents` (or `logEventBatches`) subscription over the hub. Live only: attach at once. With `after` (a cursor) or a backfill
 * (`since`): a dedicated replay reader delivers every record after the start positions, with backpressure, until
 * it has reached the hub's live position in every partition; in that same tick the subscriber attaches to the
 * live stream, skipping offsets the replay already delivered, so the handover has no gap and no duplicate.
 */
import { GraphQLError } from 'graphql';
import { STREAM_ERROR_CODES } from '../constants.ts';
import { encodeCursor, reached, type Positions } from './resume-token.ts';
import type { LogHub } from './log-hub.ts';
import type { LogEvent, LogEventFields } from './log-event.ts';
import type { EventPredicate } from './log-filter.ts';
import { EventBatcher, type EventSink, type LogEventBatch } from './event-batcher.ts';
import { StreamFault, SubscriberQueue } from './subscriber-queue.ts';

export type LogStream = AsyncIterableIterator<LogEvent | StreamFault>;
export type LogBatchStream = AsyncIterableIterator<LogEventBatch | StreamFault>;

/** What the transport may watch of an open stream (shared executions read the last item taken). */
export interface OpenedStream {
  readonly lastPulled: { readonly cursor: string } | undefined;
}

/** A `since:` backfill: rows from the Delta table strictly before `switchAt`, then Kafka from `switchAt` on. */
export interface Backfill {
  /** Event time (ms) from which the stream, not the table, serves events. */
  switchAt: number;
  /** Rows of the table with since <= timestamp < switchAt, in timestamp order (read lazily, page by page). */
  rows: AsyncIterable<LogEventFields>;
}

export interface LogSubscriptionOptions {
  hub: LogHub;
  /** Key of the client connection, for the per-connection limit. */
  connection: object;
  predicate: EventPredicate;
  bufferSize: number;
  /** Resume after a decoded cursor. */
  after?: Positions;
  backfill?: Backfill;
  /** Told when the subscriber was dropped as slow, so the transport can cut a stalled socket. */
  onSlowConsumer?: (stream: { readonly isClosed: boolean; readonly length: number }) => void;
  /** Told the stream once it is open. */
  onOpened?: (stream: OpenedStream) => void;
  /**
   * False for a shared execution's own stream (graphql-ws-server.ts): its members hold the subscription slots,
   * so it takes none (default true).
   */
  holdsSlot?: boolean;
}

export interface BatchOptions {
  /** Events per batch at most (>= 1). */
  maxEvents: number;
  /** A batch is emitted this long after its first event at the latest. */
  maxWaitMs: number;
}

function fault(code: string, message: string, lastCursor: string | null): StreamFault {
  return new StreamFault(new GraphQLError(message, { extensions: { code, lastCursor } }));
}

/**
 * Opens a `logEvents` subscription (the limits are checked here, synchronously).
 * @throws GraphQLError TOO_MANY_SUBSCRIPTIONS or SHUTTING_DOWN
 */
export function openLogSubscription(o: LogSubscriptionOptions): LogStream {
  return openStream<LogEvent>(o, o.bufferSize, (queue) => queue);
}

/**
 * Opens a `logEventBatches` subscription. Its buffer holds about `bufferSize` events: ceil(bufferSize / maxEvents)
 * batches, at least 2.
 * @throws GraphQLError TOO_MANY_SUBSCRIPTIONS or SHUTTING_DOWN
 */
export function openLogBatchSubscription(o: LogSubscriptionOptions, batch: BatchOptions): LogBatchStream {
  const capacity = Math.max(2, Math.ceil(o.bufferSize / batch.maxEvents));
  return openStream<LogEventBatch>(o, capacity, (queue, overflow) => new EventBatcher(queue, batch.maxEvents, batch.maxWaitMs, overflow));
}

function openStream<T extends { readonly cursor: string }>(
  o: LogSubscriptionOptions,
  capacity: number,
  makeSink: (queue: SubscriberQueue<T>, overflow: () => void) => EventSink,
): AsyncIterableIterator<T | StreamFault> {
  const { hub } = o;
  const reservation = o.holdsSlot === false ? { release: () => undefined } : hub.reserve(o.connection);
  let detach: (() => void) | undefined;
  let startCursor: string | null = null;
  const queue = new SubscriberQueue<T>(capacity, () => {
    detach?.();
    sink.stop?.();
    reservation.release();
    unregister();
  });
  const sink = makeSink(queue, dropSlow);
  const lastCursor = () => queue.lastPulled?.cursor ?? startCursor;
  const unregister = hub.onClose(() => queue.fail(fault(STREAM_ERROR_CODES.shuttingDown, 'the gateway is shutting down; resume with lastCursor', lastCursor())));
  const minTimestamp = o.backfill?.switchAt ?? -Infinity;
  const predicate: EventPredicate = o.backfill ? (e) => e.timestamp >= minTimestamp && o.predicate(e) : o.predicate;

  function dropSlow(): void {
    if (queue.isClosed) return;
    queue.fail(fault(STREAM_ERROR_CODES.slowConsumer, `subscriber fell behind by more than ${o.bufferSize} events; resume with lastCursor`, lastCursor()));
    detach?.();
    sink.stop?.();
    reservation.release();
    hub.countSlowConsumer();
    o.onSlowConsumer?.(queue);
  }

  function goLive(delivered: Positions | undefined): void {
    if (queue.isClosed) return;
    const skipUpTo = delivered ? delivered.slice() : undefined;
    sink.goLive?.();
    const listener = (e: LogEvent) => {
      if (skipUpTo !== undefined && e.offset <= (skipUpTo[e.partition] ?? -1)) return;
      if (!predicate(e) || sink.offer(e)) return;
      dropSlow();
    };
    detach = hub.attach(listener);
  }

  async function catchUp(): Promise<void> {
    await hub.ready();
    const live = hub.positions();
    let start: number[];
    if (o.backfill) start = [...(await hub.source.positionsBefore(o.backfill.switchAt))];
    else start = [...o.after!];
    for (let p = 0; p < live.length; p++) start[p] ??= -1;
    startCursor = encodeCursor(start);
    if (o.backfill) {
      for await (const fields of o.backfill.rows) {
        const event: LogEvent = { ...fields, partition: -1, offset: -1, gapBefore: 0, cursor: startCursor };
        if (queue.isClosed || (o.predicate(event) && !(await sink.put(event)))) return;
      }
    }
    await replayUntilLive(start);
  }

  async function replayUntilLive(position: number[]): Promise<void> {
    if (queue.isClosed) return;
    const reader = await hub.openReplay(position);
    try {
      while (!queue.isClosed) {
        if (reached(position, hub.positions())) return goLive(position); // same tick as the check: no gap
        for (const r of await reader.read()) {
          const last = position[r.partition] ?? -1;
          if (r.offset <= last) continue;
          position[r.partition] = r.offset;
          const event = hub.toEvent(r, position.slice(), r.offset > last + 1 ? r.offset - last - 1 : 0);
          if (event && predicate(event) && !(await sink.put(event))) return;
        }
      }
    } finally {
      await reader.close();
    }
  }

  if (o.after === undefined && o.backfill === undefined) {
    const now = hub.positions();
    startCursor = now.length > 0 ? encodeCursor(now) : null;
    goLive(undefined);
  } else {
    catchUp().catch((e: Error) => {
      // Domain errors (a Delta scan's) keep their code through the edge mapper; source failures get ours.
      const known = e instanceof GraphQLError || typeof (e as { code?: unknown }).code === 'string';
      queue.fail(known ? new StreamFault(e) : fault(STREAM_ERROR_CODES.streamUnavailable, `replay failed: ${e.message}`, lastCursor()));
    });
  }
  o.onOpened?.(queue);
  return queue;
}
