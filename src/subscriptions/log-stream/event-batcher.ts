/**
 * `logEventBatches`: a subscription's matching events collected into batches, each emitted when it holds
 * `maxEvents` or `maxWaitMs` after its first event, whichever comes first. Latency grows by at most maxWaitMs
 * while messages (and GraphQL executions, and websocket frames) drop by up to maxEvents times: at high rates the
 * only way a socket, and the client behind it, keeps up.
 */
import type { LogEvent } from './log-event.ts';
import type { SubscriberQueue } from './subscriber-queue.ts';

export interface LogEventBatch {
  /** In stream order (per partition, offset order). Never empty. */
  readonly events: readonly LogEvent[];
  /** The cursor of the batch's last event: `after: cursor` resumes right after the batch. */
  readonly cursor: string;
}

class Batch implements LogEventBatch {
  constructor(readonly events: LogEvent[]) {}
  get cursor(): string {
    return this.events[this.events.length - 1]!.cursor;
  }
}

/** Where a subscription writes matching events: the subscriber's queue itself, or a batcher in front of it. */
export interface EventSink {
  /** Live delivery: adds without waiting; false when the subscriber's buffer overflowed (or it closed). */
  offer(event: LogEvent): boolean;
  /** Replay and backfill: waits for room; false when the stream closed meanwhile. */
  put(event: LogEvent): Promise<boolean>;
  /** Called once the subscription delivers live (after any replay). */
  goLive?(): void;
  /** Called when the stream ends: drops what is pending. */
  stop?(): void;
}

export class EventBatcher implements EventSink {
  private events: LogEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private live = false;

  /**
   * @param queue the subscriber's bounded queue of batches
   * @param onOverflow called when a timed flush finds the (live) queue full: the subscriber is too slow
   */
  constructor(
    private readonly queue: SubscriberQueue<LogEventBatch>,
    private readonly maxEvents: number,
    private readonly maxWaitMs: number,
    private readonly onOverflow: () => void,
  ) {}

  offer(event: LogEvent): boolean {
    this.events.push(event);
    if (this.events.length >= this.maxEvents) return this.queue.offer(this.take());
    this.arm();
    return !this.queue.isClosed;
  }

  async put(event: LogEvent): Promise<boolean> {
    this.events.push(event);
    if (this.events.length >= this.maxEvents) return this.queue.put(this.take());
    this.arm();
    return !this.queue.isClosed;
  }

  goLive(): void {
    this.live = true;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.events = [];
  }

  private take(): Batch {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = new Batch(this.events);
    this.events = [];
    return batch;
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = undefined;
    if (this.events.length === 0 || this.queue.isClosed) return;
    if (this.queue.offer(new Batch(this.events))) {
      this.events = [];
      return;
    }
    // During a replay the reader waits for room (puts are sequential, so a retry keeps the order); live, the
    // subscriber fell behind.
    if (this.live) this.onOverflow();
    else this.arm();
  }
}
