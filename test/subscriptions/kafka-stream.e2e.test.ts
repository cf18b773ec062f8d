/**
 * logEvents and errorRate over the shared Kafka broker through buildApp, with real graphql-ws and SSE clients:
 * filters deliver exactly the matching events in order per partition; a cursor resumes with nothing missed or
 * repeated (while events keep coming); a paused socket is dropped as SLOW_CONSUMER while a fast one gets
 * everything; bad records are skipped and counted; tumbling windows equal a batch computation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName, waitFor } from '../support/services.ts';
import { sseSubscribe, waitForSubscriptions as subscriptions, wsClient, type Cleanups } from '../support/stream-clients.ts';
import { expectOrderPerKey, numberedEvent, numberedEvents as events, seqOf, startLiveStream } from '../support/log-producer.ts';
import type { LogEventFields } from '../../src/subscriptions/log-stream/log-event.ts';

interface Ev { sessionId: string; cursor: string; status: number; level: string; endpoint: string; gapBefore: number }
const FIELDS = 'sessionId cursor status level endpoint gapBefore';
const cleanups: Cleanups = [];
const brokers = inject('kafkaBrokers');
let lakeRoot: string;

beforeAll(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'dg-kafka-stream-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await rm(lakeRoot, { recursive: true, force: true });
});

const setup = (partitions: number, env: Record<string, string> = {}) =>
  startLiveStream(cleanups, brokers, uniqueName('test-logs'), partitions, { LAKE_ROOT: lakeRoot, ...env });

describe('logEvents over Kafka', () => {
  it('delivers exactly the matching events, in order per partition, over graphql-ws and SSE', async () => {
    const { gw, producer } = await setup(3);
    const ws = wsClient(cleanups, gw.wsUrl);
    const q = (filter: string) => `subscription { logEvents${filter} { ${FIELDS} } }`;
    const filters: Array<[string, (e: LogEventFields) => boolean]> = [
      ['', () => true],
      ['(filter: { levels: ["error"] })', (e) => e.level === 'ERROR'],
      ['(filter: { endpoints: ["/api/search", "/api/cart"], statusMin: 200, statusMax: 404 })', (e) => ['/api/search', '/api/cart'].includes(e.endpoint) && e.status >= 200 && e.status <= 404],
      ['(filter: { text: "TIMEOUT", minResponseTime: 100 })', (e) => (e.message ?? '').toLowerCase().includes('timeout') && e.responseTimeMs >= 100],
      ['(filter: { sources: ["auth-service"], levels: ["INFO", "WARN"] })', (e) => e.source === 'auth-service' && ['INFO', 'WARN'].includes(e.level)],
    ];
    const subs = filters.map(([f]) => ws.subscribe<Ev>(q(f)));
    const sse = sseSubscribe<Ev>(cleanups, gw.url, q(filters[1]![0]));
    await subscriptions(gw, filters.length + 1);

    const sent = events(0, 900);
    await producer.send(sent);
    for (const [i, [, match]] of filters.entries()) {
      const expected = sent.filter((s) => match(s.event)).map((s) => s.seq);
      await waitFor(() => subs[i]!.items.length >= expected.length, { what: `filter ${i}: ${expected.length} events` });
      await new Promise((r) => setTimeout(r, 100)); // nothing extra arrives
      const got = subs[i]!.items.map(seqOf);
      expect(got.slice().sort((a, b) => a - b)).toEqual(expected);
      expectOrderPerKey(got);
      expect(subs[i]!.errors).toEqual([]);
    }
    const errors = sent.filter((s) => s.event.level === 'ERROR').map((s) => s.seq);
    await waitFor(() => sse.items.length >= errors.length, { what: 'SSE events' });
    expect(sse.items.map(seqOf).sort((a, b) => a - b)).toEqual(errors);
  });

  it('resumes after a cursor with nothing missed or repeated while events keep arriving', async () => {
    const { gw, producer } = await setup(3);
    const ws = wsClient(cleanups, gw.wsUrl);
    const first = ws.subscribe<Ev>(`subscription { logEvents { ${FIELDS} } }`);
    await subscriptions(gw, 1);
    await producer.send(events(0, 300));
    await waitFor(() => first.items.length >= 300, { what: '300 events' });
    first.stop();
    const pivot = first.items[120]!;
    const seen = new Set(first.items.slice(0, 121).map(seqOf));

    await producer.send(events(300, 600)); // nobody listens
    const resumed = ws.subscribe<Ev>(`subscription($after: String) { logEvents(after: $after) { ${FIELDS} } }`, { after: pivot.cursor });
    const more = producer.send(events(600, 1200)); // arrives during the replay and the handover
    await more;
    await waitFor(() => resumed.items.length >= 1200 - seen.size, { timeoutMs: 30_000, what: 'resumed events' });
    await new Promise((r) => setTimeout(r, 200));
    const got = resumed.items.map(seqOf);
    expect(new Set(got).size).toBe(got.length); // no duplicates
    const expected = Array.from({ length: 1200 }, (_, i) => i).filter((s) => !seen.has(s));
    expect(got.slice().sort((a, b) => a - b)).toEqual(expected);
    expectOrderPerKey(got);
    expect(resumed.items.every((e) => e.gapBefore === 0)).toBe(true);
  });

  it('drops a paused subscriber with SLOW_CONSUMER while a fast one receives everything', async () => {
    const { gw, producer } = await setup(1, { SUBSCRIPTION_BUFFER: '64' });
    const fastClient = wsClient(cleanups, gw.wsUrl);
    const slowClient = wsClient(cleanups, gw.wsUrl);
    const fast = fastClient.subscribe<Ev>('subscription { logEvents { sessionId } }');
    const slow = slowClient.subscribe<Ev>('subscription { logEvents { sessionId message cursor } }');
    await subscriptions(gw, 2);
    await waitFor(() => slowClient.socket(), { what: 'slow socket' });
    // Stop reading: the kernel buffers fill, then the server's send stalls and the subscriber's buffer overflows.
    (slowClient.socket() as unknown as { _socket: { pause(): void } })._socket.pause();
    let sent = 0;
    const hub = gw.app.services.streams!.hub;
    while (hub.stats().slowConsumers === 0 && sent < 400_000) {
      await producer.send(events(sent, sent + 2000).map((e) => ({ ...e, event: { ...e.event, message: 'x'.repeat(1500) } })));
      sent += 2000;
    }
    expect(hub.stats().slowConsumers).toBe(1);
    // Reading again at once (within the grace period, else the socket is cut: 1006), the slow client sees the
    // SLOW_CONSUMER error (with its last cursor) or the 4029 close.
    (slowClient.socket() as unknown as { _socket: { resume(): void } })._socket.resume();
    await waitFor(() => fast.items.length >= sent, { timeoutMs: 30_000, what: `fast subscriber: ${sent} events` });
    expect(fast.items.map(seqOf)).toEqual(Array.from({ length: sent }, (_, i) => i));
    expect(fast.errors).toEqual([]);
    await waitFor(() => slow.done, { timeoutMs: 20_000, what: 'slow subscriber ended' });
    const code = slow.errors[0]?.extensions?.code;
    expect(code === 'SLOW_CONSUMER' || slow.closeCode === 4029 || slowClient.closes.includes(4029)).toBe(true);
    if (code === 'SLOW_CONSUMER') expect(typeof slow.errors[0]!.extensions!.lastCursor).toBe('string');
    expect(slow.items.length).toBeLessThan(sent);
  });

  it('skips and counts malformed and oversized records', async () => {
    const { gw, producer } = await setup(1, { SUBSCRIPTION_MAX_MESSAGE_BYTES: '2000' });
    const ws = wsClient(cleanups, gw.wsUrl);
    const sub = ws.subscribe<Ev>(`subscription { logEvents { ${FIELDS} } }`);
    await subscriptions(gw, 1);
    await producer.send(events(0, 5));
    await producer.sendRaw(['not json', '{"level":"INFO"}', '[1,2]', JSON.stringify({ ...numberedEvent(99, Date.now()), message: 'y'.repeat(3000) })]);
    await producer.send(events(5, 10));
    await waitFor(() => sub.items.length >= 10, { what: '10 good events' });
    await waitFor(() => gw.app.services.streams!.hub.stats().badRecords === 4, { what: '4 bad records counted' });
    expect(sub.items.map(seqOf)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('errorRate over Kafka', () => {
  it('emits tumbling windows equal to a batch computation over the same events', async () => {
    const { gw, producer } = await setup(2, { SUBSCRIPTION_ALLOWED_LATENESS_MS: '400' });
    const ws = wsClient(cleanups, gw.wsUrl);
    interface W { windowStart: string; windowEnd: string; key: string; requests: number; errors: number; rate: number }
    const windows = ws.subscribe<W>('subscription { errorRate(window: "1s", by: ENDPOINT) { windowStart windowEnd key requests errors rate } }');
    await subscriptions(gw, 1);
    const sent: LogEventFields[] = [];
    for (let round = 0; round < 25; round++) {
      const batch = events(round * 40, round * 40 + 40);
      sent.push(...batch.map((b) => b.event));
      await producer.send(batch);
      await new Promise((r) => setTimeout(r, 100));
    }
    const batch = new Map<string, { requests: number; errors: number }>();
    for (const e of sent) {
      const k = `${new Date(Math.floor(e.timestamp / 1000) * 1000).toISOString()}|${e.endpoint}`;
      const c = batch.get(k) ?? { requests: 0, errors: 0 };
      c.requests++;
      if (e.status >= 500 || e.level === 'ERROR') c.errors++;
      batch.set(k, c);
    }
    await waitFor(() => windows.items.length >= batch.size, { timeoutMs: 10_000, what: `${batch.size} windows` });
    await new Promise((r) => setTimeout(r, 300));
    const got = new Map(windows.items.map((w) => [`${w.windowStart}|${w.key}`, { requests: w.requests, errors: w.errors }]));
    expect(got).toEqual(batch);
    for (const w of windows.items) {
      expect(Date.parse(w.windowEnd) - Date.parse(w.windowStart)).toBe(1000);
      expect(w.rate).toBeCloseTo(w.errors / w.requests, 10);
    }
  });
});
