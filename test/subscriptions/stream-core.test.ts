/**
 * The transport-agnostic core without sockets: cursors, filters, the bounded queue, tumbling windows, anomaly
 * alerts, and the hub over the in-process demo stream (replay handover without gaps or duplicates).
 */
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, reached } from '../../src/subscriptions/log-stream/resume-token.ts';
import { compileLogFilter } from '../../src/subscriptions/log-stream/log-filter.ts';
import { StreamFault, SubscriberQueue } from '../../src/subscriptions/log-stream/subscriber-queue.ts';
import { createTumblingWindows } from '../../src/subscriptions/windows/tumbling-windows.ts';
import { createAnomalyDetector } from '../../src/subscriptions/windows/anomaly-detector.ts';
import { createDemoStream } from '../../src/subscriptions/log-stream/demo-stream.ts';
import { createLogHub } from '../../src/subscriptions/log-stream/log-hub.ts';
import { openLogSubscription } from '../../src/subscriptions/log-stream/log-subscription.ts';
import { openWindowSubscription } from '../../src/subscriptions/windows/window-subscription.ts';
import { EventBatcher, type LogEventBatch } from '../../src/subscriptions/log-stream/event-batcher.ts';
import { encodeLogEvent, type LogEvent } from '../../src/subscriptions/log-stream/log-event.ts';
import { createLogger } from '../../src/logger.ts';
import { numberedEvent } from '../support/log-producer.ts';
import { waitFor } from '../support/services.ts';
import { codeOf } from '../support/error-codes.ts';

describe('cursor', () => {
  it('round-trips positions and refuses foreign text', () => {
    expect(decodeCursor(encodeCursor([5, -1, 12]))).toEqual([5, -1, 12]);
    expect(codeOf(() => decodeCursor('abc'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor(Buffer.from('c1.x').toString('base64url')))).toBe('BAD_USER_INPUT');
    expect(reached([3, 4], [3, 2])).toBe(true);
    expect(reached([3, 1], [3, 2])).toBe(false);
  });
});

describe('log filter', () => {
  it('matches all given parts and refuses bad input with BAD_USER_INPUT', () => {
    const e = numberedEvent(4, 0); // status 500, ERROR
    expect(compileLogFilter({ levels: ['error'], statusMin: 500 })(e)).toBe(true);
    expect(compileLogFilter({ levels: ['INFO'] })(e)).toBe(false);
    expect(compileLogFilter({ text: 'REQUEST 4' })(e)).toBe(true);
    for (const bad of [{ levels: [] }, { levels: ['LOUD'] }, { statusMin: 600, statusMax: 500 }, { statusMin: 42 }, { minResponseTime: -1 }, { text: '' }]) {
      expect(codeOf(() => compileLogFilter(bad))).toBe('BAD_USER_INPUT');
    }
  });
});

describe('subscriber queue', () => {
  it('offers up to capacity, then a fault replaces the buffer and ends the stream', async () => {
    let returned = 0;
    const q = new SubscriberQueue<number>(2, () => returned++);
    expect([q.offer(1), q.offer(2), q.offer(3)]).toEqual([true, true, false]);
    expect((await q.next()).value).toBe(1);
    q.fail(new StreamFault(new Error('slow')));
    const last = await q.next();
    expect(last.value).toBeInstanceOf(StreamFault);
    expect((await q.next()).done).toBe(true);
    expect(returned).toBe(1);
    expect(q.lastPulled).toBe(1);
  });
});

describe('event batcher', () => {
  it('emits a batch when full or maxWaitMs after its first event, and overflows only when live', async () => {
    const queue = new SubscriberQueue<LogEventBatch>(2, () => undefined);
    let overflows = 0;
    const batcher = new EventBatcher(queue, 3, 30, () => overflows++);
    const ev = (i: number) => ({ ...numberedEvent(i, 0), partition: 0, offset: i, gapBefore: 0, cursor: `c${i}` });
    batcher.goLive();
    expect([1, 2, 3].map((i) => batcher.offer(ev(i)))).toEqual([true, true, true]); // full: emitted at once
    expect(queue.length).toBe(1);
    batcher.offer(ev(4));
    expect(queue.length).toBe(1);
    await waitFor(() => queue.length === 2, { what: 'timed batch' });
    const sizes = [];
    for (let i = 0; i < 2; i++) {
      const b = (await queue.next()).value as LogEventBatch;
      sizes.push(b.events.length);
      expect(b.cursor).toBe(`c${b.events.at(-1)!.offset}`);
    }
    expect(sizes).toEqual([3, 1]);
    for (const i of [5, 6, 7, 8, 9, 10]) batcher.offer(ev(i)); // two full batches fill the queue
    batcher.offer(ev(11));
    await waitFor(() => overflows === 1, { what: 'overflow of the timed flush' });
    batcher.stop();
  });
});

describe('tumbling windows and anomalies', () => {
  it('closes windows by watermark, counts late events, and alerts on a spike', () => {
    const w = createTumblingWindows(1000, 'ALL', 500);
    const ev = (t: number, status = 200) => ({ ...numberedEvent(0, t), status, level: status >= 500 ? 'ERROR' : 'INFO' });
    w.add(ev(100));
    w.add(ev(900, 500));
    w.add(ev(1200));
    expect(w.advance(1400)).toEqual([]); // watermark 900: window [0, 1000) still open
    const closed = w.advance(1600);
    expect(closed.map((c) => [c.windowStart, c.requests, c.errors, c.rate])).toEqual([[0, 2, 1, 0.5]]);
    w.add(ev(500)); // its window is closed
    expect(w.lateEvents).toBe(1);

    const detect = createAnomalyDetector({ threshold: 3, minRequests: 10, history: 10 });
    const win = (i: number, errors: number) => ({ windowStart: i, windowEnd: i + 1, dimension: 'ALL' as const, key: '*', requests: 100, errors, rate: errors / 100, responseTimeSum: 100 * 50 });
    for (let i = 0; i < 5; i++) expect(detect(win(i, 1 + (i % 2)))).toEqual([]);
    const alerts = detect(win(5, 30));
    expect(alerts.map((a) => a.metric)).toEqual(['ERROR_RATE']);
  });
});

describe('hub over the demo stream', () => {
  it('replays after a cursor and hands over to live without gaps or duplicates', async () => {
    const source = createDemoStream({ rate: 1, retention: 10_000, tickMs: 60_000 });
    const hub = createLogHub({ source, logger: createLogger('silent'), maxPerConnection: 5, maxPerProcess: 5, maxMessageBytes: 10_000 });
    await hub.ready();
    const push = (from: number, to: number) => { for (let i = from; i < to; i++) source.append(Buffer.from(encodeLogEvent(numberedEvent(i, Date.now())))); };
    push(0, 50);
    const cursor = decodeCursor(encodeCursor([19]));
    const stream = openLogSubscription({ hub, connection: {}, predicate: () => true, bufferSize: 10, after: cursor });
    const got: number[] = [];
    const reading = (async () => {
      for await (const item of stream) {
        got.push(Number((item as LogEvent).sessionId.slice(2)));
        if (got.length === 80) break;
      }
    })();
    const pushing = (async () => { for (let i = 50; i < 100; i += 5) { push(i, i + 5); await new Promise((r) => setTimeout(r, 5)); } })();
    await pushing;
    await waitFor(() => got.length === 80, { what: '80 events' });
    await reading;
    expect(got).toEqual(Array.from({ length: 80 }, (_, i) => 20 + i));
    expect(hub.stats().subscriptions).toBe(0);
    await hub.close();
  });
});

describe('window subscriptions over the hub', () => {
  it('drops a subscriber that falls behind with SLOW_CONSUMER, leaves the hub at once and reports the drop', async () => {
    const source = createDemoStream({ rate: 1, retention: 10_000, tickMs: 60_000 });
    const hub = createLogHub({ source, logger: createLogger('silent'), maxPerConnection: 5, maxPerProcess: 5, maxMessageBytes: 10_000 });
    await hub.ready();
    const dropped: number[] = [];
    // Three results per closed window into a buffer of one, with nobody reading: the first window overflows it.
    const stream = openWindowSubscription({
      hub, connection: {}, bufferSize: 1, windowMs: 1_000, by: 'ENDPOINT', allowedLatenessMs: 0, tickMs: 20,
      predicate: () => true, map: (w) => [w, w, w], onSlowConsumer: (s) => void dropped.push(s.length),
    });
    expect(hub.stats().subscriptions).toBe(1);
    const past = Date.now() - 10_000; // windows the watermark has already passed: they close at the first tick
    for (let i = 0; i < 20; i++) source.append(Buffer.from(encodeLogEvent(numberedEvent(i, past))));
    await waitFor(() => dropped.length === 1, { what: 'the SLOW_CONSUMER drop' });
    expect(hub.stats()).toMatchObject({ subscriptions: 0, slowConsumers: 1 });
    const items: unknown[] = [];
    for await (const item of stream) items.push(item);
    const fault = items.at(-1);
    expect(fault).toBeInstanceOf(StreamFault);
    expect(((fault as StreamFault).error as { extensions?: { code?: string } }).extensions?.code).toBe('SLOW_CONSUMER');
    await hub.close();
  });
});
