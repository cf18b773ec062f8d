/**
 * The bounded buffer between the stream and one subscriber, read as an async iterator by the transport
 * (graphql-ws or SSE). Live events are `offer`ed and never waited for: a full buffer means the subscriber fell
 * behind, so the buffer is dropped and replaced by its terminal fault. Replayed and backfilled events are `put`,
 * which waits for room (they come from a source dedicated to this subscriber, so waiting stalls nobody else).
 */
/** The last item of a stream that ends in an error: the subscription field throws it when resolving it. */
export class StreamFault {
  /** A GraphQLError with a public code, or a domain error the edge mapper (mask-errors.ts) translates. */
  constructor(readonly error: Error) {}
}

export class SubscriberQueue<T> implements AsyncIterableIterator<T | StreamFault> {
  private items: (T | StreamFault)[] = [];
  private head = 0;
  private closed = false;
  private waitingReader: ((r: IteratorResult<T | StreamFault>) => void) | undefined;
  private waitingWriters: Array<() => void> = [];
  /** The last item handed to the reader (not counting faults). */
  lastPulled: T | undefined;

  /**
   * @param capacity items held before `offer` overflows (>= 1)
   * @param onReturn called once when the reader stops (return(), or after a fault or end was pulled)
   */
  constructor(private readonly capacity: number, private readonly onReturn: () => void) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** True once ended, faulted or returned: producers stop. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Adds without waiting; false (and nothing added) when the buffer is full or closed. */
  offer(item: T): boolean {
    if (this.closed || this.length >= this.capacity) return false;
    this.push(item);
    return true;
  }

  /** Adds once there is room; false when the queue closed meanwhile. */
  async put(item: T): Promise<boolean> {
    while (!this.closed && this.length >= this.capacity) await new Promise<void>((r) => this.waitingWriters.push(r));
    if (this.closed) return false;
    this.push(item);
    return true;
  }

  /** Drops what is buffered and ends the stream with `fault` (delivered at the next pull). */
  fail(fault: StreamFault): void {
    if (this.closed) return;
    this.items = [fault];
    this.head = 0;
    this.closed = true;
    this.wake();
    this.releaseWriters();
  }

  /** Ends the stream after what is buffered. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    this.releaseWriters();
  }

  next(): Promise<IteratorResult<T | StreamFault>> {
    if (this.length > 0) return Promise.resolve(this.take());
    if (this.closed) return Promise.resolve(this.finish());
    return new Promise((resolve) => (this.waitingReader = resolve));
  }

  return(): Promise<IteratorResult<T | StreamFault>> {
    this.items = [];
    this.head = 0;
    this.closed = true;
    this.releaseWriters();
    const result = this.finish();
    // A reader waiting in next() (a for-await loop) ends too, instead of waiting forever.
    const reader = this.waitingReader;
    this.waitingReader = undefined;
    reader?.(result);
    return Promise.resolve(result);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private push(item: T | StreamFault): void {
    if (this.waitingReader && this.length === 0) {
      const resolve = this.waitingReader;
      this.waitingReader = undefined;
      this.items.push(item);
      resolve(this.take());
      return;
    }
    this.items.push(item);
  }

  private take(): IteratorResult<T | StreamFault> {
    const value = this.items[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (!(value instanceof StreamFault)) {
      this.lastPulled = value;
    }
    const writer = this.waitingWriters.shift();
    writer?.();
    return { value, done: false };
  }

  private finished = false;
  private finish(): IteratorResult<T | StreamFault> {
    if (!this.finished) {
      this.finished = true;
      this.onReturn();
    }
    return { value: undefined, done: true };
  }

  private wake(): void {
    if (!this.waitingReader) return;
    const resolve = this.waitingReader;
    this.waitingReader = undefined;
    resolve(this.length > 0 ? this.take() : this.finish());
  }

  private releaseWriters(): void {
    for (const w of this.waitingWriters.splice(0)) w();
  }
}
