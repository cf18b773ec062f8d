/**
 * One subscriber of a shared execution (shared-subscriptions.ts) on its graphql-ws socket. It is handed each
 * result already serialized, splices in its own subscription id, and writes its frames to the socket corked (one
 * write for many frames). Its buffer counts the events of results not yet written by the socket (queued or in
 * flight); past SUBSCRIPTION_BUFFER events it is dropped with SLOW_CONSUMER and its own last cursor, like any
 * subscriber. To graphql-ws it is the operation's iterator: `next()` resolves (done) once the member has written
 * its last frame, after which graphql-ws sends `complete`; `return()` (client `complete`, socket closed) leaves.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { STREAM_ERROR_CODES } from './constants.ts';

interface Item {
  readonly json: Buffer;
  readonly cursor: string | null;
  readonly weight: number;
}

const SUFFIX = Buffer.from('}');

export interface SharedMemberOptions {
  socket: WebSocket;
  /** The graphql-ws subscription id. */
  id: string;
  /** Events held (queued or in flight) before the member is dropped as slow. */
  capacity: number;
  /** The response key of the root field, for the path of a SLOW_CONSUMER error. */
  responseKey: string;
  /** Position of the stream when the member joined (its last cursor until it got something). */
  startCursor: string | null;
  /** Called once when the member stops receiving (left, ended or dropped): release its slot, leave the group. */
  onLeave(slow: boolean): void;
  /** Told when the member was dropped as slow (the transport may cut a stalled socket). */
  onSlowConsumer?(stream: { readonly isClosed: boolean; readonly length: number }): void;
}

export class SharedMember implements AsyncIterableIterator<never> {
  private queue: Item[] = [];
  private head = 0;
  private held = 0;
  private inFlight = false;
  private scheduled = false;
  private closed = false;
  private left = false;
  private finished = false;
  private resolveDone: ((r: IteratorResult<never>) => void) | undefined;
  private readonly prefix: Buffer;
  /** Cursor of the last result written to the socket. */
  lastCursor: string | null;

  constructor(private readonly o: SharedMemberOptions) {
    this.prefix = Buffer.from(`{"id":${JSON.stringify(o.id)},"type":"next","payload":`);
    this.lastCursor = o.startCursor;
  }

  /** Results not yet handed to the socket. */
  get length(): number {
    return this.queue.length - this.head;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues a serialized result carrying `weight` events; drops the member as slow when its buffer is full. */
  offer(json: Buffer, cursor: string | null, weight: number): void {
    if (this.closed) return;
    if (this.held > 0 && this.held + weight > this.o.capacity) return this.dropSlow();
    this.held += weight;
    this.push({ json, cursor, weight });
  }

  /** Ends after a last result (a fault the group got), whose `lastCursor` extensions become the member's own. */
  endWith(errorResult: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> } | undefined): void {
    if (this.closed) return;
    if (errorResult) {
      const errors = errorResult.errors?.map((e) => (e.extensions && 'lastCursor' in e.extensions ? { ...e, extensions: { ...e.extensions, lastCursor: this.lastCursor } } : e));
      this.push({ json: Buffer.from(JSON.stringify({ ...errorResult, errors })), cursor: this.lastCursor, weight: 0 });
    }
    this.close(false);
    this.maybeFinish();
  }

  next(): Promise<IteratorResult<never>> {
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve) => {
      this.resolveDone = resolve;
      this.maybeFinish();
    });
  }

  return(): Promise<IteratorResult<never>> {
    this.queue = [];
    this.head = 0;
    this.close(false);
    this.finish();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private dropSlow(): void {
    const error = {
      message: `subscriber fell behind by more than ${this.o.capacity} events; resume with lastCursor`,
      path: [this.o.responseKey],
      extensions: { code: STREAM_ERROR_CODES.slowConsumer, lastCursor: this.lastCursor },
    };
    this.queue = []; // what was not written is dropped
    this.head = 0;
    this.push({ json: Buffer.from(JSON.stringify({ data: null, errors: [error] })), cursor: this.lastCursor, weight: 0 });
    this.close(true);
    this.o.onSlowConsumer?.(this);
  }

  private close(slow: boolean): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.left) {
      this.left = true;
      this.o.onLeave(slow);
    }
  }

  private push(item: Item): void {
    this.queue.push(item);
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    // Written after the current burst of results (the hub yields between chunks), many frames per socket write.
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.inFlight || this.length === 0) return this.maybeFinish();
    const { socket } = this.o;
    if (socket.readyState !== socket.OPEN) {
      void this.return();
      return;
    }
    const raw = (socket as unknown as { _socket?: Socket })._socket;
    raw?.cork();
    let weight = 0;
    const end = this.queue.length;
    for (let i = this.head; i < end; i++) {
      const item = this.queue[i]!;
      weight += item.weight;
      if (item.cursor !== null) this.lastCursor = item.cursor;
      const frame = Buffer.concat([this.prefix, item.json, SUFFIX]);
      if (i < end - 1) socket.send(frame, { binary: false });
      else socket.send(frame, { binary: false }, () => this.written(weight));
    }
    this.queue = [];
    this.head = 0;
    this.inFlight = true;
    raw?.uncork();
  };

  private written(weight: number): void {
    this.inFlight = false;
    this.held -= weight;
    if (this.length > 0) this.flush();
    else this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.closed && this.length === 0 && !this.inFlight) this.finish();
  }

  private finish(): void {
    this.finished = true;
    const resolve = this.resolveDone;
    this.resolveDone = undefined;
    resolve?.({ done: true, value: undefined });
  }
}
