/**
 * The live fan-out (DESIGN.md decision 4): one record source per process, each record decoded once into a
 * LogEvent carrying its cursor, then handed synchronously to every attached listener. Listeners only filter and
 * offer to their own bounded buffers, so a slow subscriber can never stall the source or the others. The hub
 * also owns the subscription limits (per connection and per process) and the counters of bad records and gaps.
 */
import { GraphQLError } from 'graphql';
import type { Logger } from '../../logger.ts';
import { FANOUT_CHUNK, STREAM_ERROR_CODES } from '../constants.ts';
import { encodeCursor, type Positions } from './resume-token.ts';
import { decodeLogRecord, type LogEvent, type LogEventFields, type LogRecord } from './log-event.ts';
import type { LogRecordSource, ReplayReader } from './log-source.ts';

export type EventListener = (event: LogEvent) => void;

export interface HubOptions {
  source: LogRecordSource;
  logger: Logger;
  maxPerConnection: number;
  maxPerProcess: number;
  maxMessageBytes: number;
}

export interface HubStats {
  subscriptions: number;
  listeners: number;
  records: number;
  events: number;
  badRecords: number;
  gaps: number;
  slowConsumers: number;
}

/** A slot under the subscription limits; `release` is idempotent. */
export interface Reservation {
  release(): void;
}

export interface LogHub {
  readonly source: LogRecordSource;
  /** Resolves once the source delivers live (rejects only if the hub is closed first). */
  ready(): Promise<void>;
  /** The last processed offset per partition (a copy). */
  positions(): number[];
  /** @throws GraphQLError TOO_MANY_SUBSCRIPTIONS (or SHUTTING_DOWN) */
  reserve(connection: object): Reservation;
  /** Adds a listener called for every live event; returns its detach function. */
  attach(listener: EventListener): () => void;
  /** Runs `stop` when the hub closes (subscriptions end themselves); returns an unregister function. */
  onClose(stop: () => void): () => void;
  /** Builds an event for a record from a replay (cursor = the replay's positions), or a fault reason. */
  toEvent(record: LogRecord, positions: Positions, gapBefore: number): LogEvent | undefined;
  openReplay(after: Positions): Promise<ReplayReader>;
  countSlowConsumer(): void;
  stats(): HubStats;
  close(): Promise<void>;
}

/** An event whose cursor text is built only when a subscriber selects it. */
class StreamEvent implements LogEvent {
  readonly timestamp: number; readonly level: string; readonly source: string; readonly endpoint: string; readonly method: string;
  readonly status: number; readonly responseTimeMs: number; readonly userId: string | null; readonly sessionId: string;
  readonly message: string | null;
  private cursorText: string | undefined;
  constructor(f: LogEventFields, readonly partition: number, readonly offset: number, readonly gapBefore: number, private readonly at: Positions) {
    // Field by field, not Object.assign: one hidden class for every event, and no generic copy per event.
    this.timestamp = f.timestamp; this.level = f.level; this.source = f.source; this.endpoint = f.endpoint; this.method = f.method;
    this.status = f.status; this.responseTimeMs = f.responseTimeMs; this.userId = f.userId; this.sessionId = f.sessionId; this.message = f.message;
  }
  get cursor(): string {
    return (this.cursorText ??= encodeCursor(this.at));
  }
}

export function createLogHub(options: HubOptions): LogHub {
  const { source, logger } = options;
  let listeners: EventListener[] = [];
  const positions: number[] = [];
  const perConnection = new WeakMap<object, number>();
  const closers = new Set<() => void>();
  let subscriptions = 0;
  let closed = false;
  const counters = { records: 0, events: 0, badRecords: 0, gaps: 0, slowConsumers: 0 };

  function toEvent(record: LogRecord, at: Positions, gapBefore: number): LogEvent | undefined {
    const decoded = decodeLogRecord(record.value, options.maxMessageBytes);
    if (!decoded.ok) {
      counters.badRecords++;
      logger.warn({ source: source.name, partition: record.partition, offset: record.offset, reason: decoded.reason }, 'skipped bad log record');
      return undefined;
    }
    return new StreamEvent(decoded.fields, record.partition, record.offset, gapBefore, at);
  }

  /** Fans records out in chunks, yielding between them; resolves when all are handed out. */
  async function ingest(records: LogRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += FANOUT_CHUNK) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      if (closed) return;
      ingestChunk(records, i, Math.min(records.length, i + FANOUT_CHUNK));
    }
  }

  function ingestChunk(records: LogRecord[], from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const record = records[i]!;
      const last = positions[record.partition] ?? -1;
      if (record.offset <= last) continue; // redelivered after a consumer restart
      const gapBefore = last >= 0 && record.offset > last + 1 ? record.offset - last - 1 : 0;
      if (gapBefore > 0) {
        counters.gaps++;
        logger.warn({ source: source.name, partition: record.partition, from: last + 1, to: record.offset - 1 }, 'offsets missing from the stream');
      }
      positions[record.partition] = record.offset;
      counters.records++;
      const event = toEvent(record, positions.slice(), gapBefore);
      if (!event) continue;
      counters.events++;
      const current = listeners;
      for (let i = 0; i < current.length; i++) current[i]!(event);
    }
  }

  let resolveReady!: () => void;
  let rejectReady!: (e: Error) => void;
  const readyPromise = new Promise<void>((resolve, reject) => ((resolveReady = resolve), (rejectReady = reject)));
  readyPromise.catch(() => undefined);
  source.start(ingest).then(
    (start) => {
      for (let p = 0; p < start.length; p++) positions[p] = Math.max(positions[p] ?? -1, start[p] ?? -1);
      logger.info({ source: source.name, partitions: start.length }, 'live log stream started');
      resolveReady();
    },
    (e: Error) => {
      if (!closed) logger.error({ source: source.name, err: e.message }, 'live log stream failed to start');
      rejectReady(e);
    },
  );

  return {
    source,
    ready: () => readyPromise,
    positions: () => positions.slice(),
    reserve(connection) {
      const code = STREAM_ERROR_CODES;
      if (closed) throw new GraphQLError('the gateway is shutting down', { extensions: { code: code.shuttingDown } });
      const held = perConnection.get(connection) ?? 0;
      if (held >= options.maxPerConnection) {
        throw new GraphQLError(`at most ${options.maxPerConnection} subscriptions per connection`, { extensions: { code: code.tooManySubscriptions } });
      }
      if (subscriptions >= options.maxPerProcess) {
        throw new GraphQLError(`the gateway holds its maximum of ${options.maxPerProcess} subscriptions`, { extensions: { code: code.tooManySubscriptions } });
      }
      perConnection.set(connection, held + 1);
      subscriptions++;
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          subscriptions--;
          perConnection.set(connection, (perConnection.get(connection) ?? 1) - 1);
        },
      };
    },
    attach(listener) {
      listeners = [...listeners, listener];
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
    onClose(stop) {
      closers.add(stop);
      return () => closers.delete(stop);
    },
    toEvent,
    openReplay: (after) => source.openReplay(after),
    countSlowConsumer: () => void counters.slowConsumers++,
    stats: () => ({ subscriptions, listeners: listeners.length, ...counters }),
    async close() {
      if (closed) return;
      closed = true;
      for (const stop of [...closers]) stop();
      closers.clear();
      listeners = [];
      rejectReady(new Error('closed'));
      await source.close();
    },
  };
}
