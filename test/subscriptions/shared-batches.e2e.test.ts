/**
 * High-rate delivery over the shared Kafka broker through buildApp: identical live subscriptions share one
 * execution (one hub listener for the group) yet each keeps its own buffer, so a paused member is dropped as
 * SLOW_CONSUMER alone while the others get everything; `logEventBatches` delivers every matching event once, in
 * order per partition, in batches of at most maxEvents, and a batch's cursor resumes right after it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName, waitFor } from '../support/services.ts';
import { waitForSubscriptions as subscriptions, wsClient, type Cleanups } from '../support/stream-clients.ts';
import { expectOrderPerKey, numberedEvent, numberedEvents as events, seqOf, startLiveStream } from '../support/log-producer.ts';

interface Ev { sessionId: string; cursor: string }
interface Batch { events: Ev[]; cursor: string }
const cleanups: Cleanups = [];
const brokers = inject('kafkaBrokers');
let lakeRoot: string;

beforeAll(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'dg-shared-batches-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await rm(lakeRoot, { recursive: true, force: true });
});

const setup = (partitions: number, env: Record<string, string> = {}) =>
  startLiveStream(cleanups, brokers, uniqueName('test-shared'), partitions, { LAKE_ROOT: lakeRoot, SUBSCRIPTION_MAX_PER_CONNECTION: '50', ...env });

describe('shared execution', () => {
  it('runs identical subscriptions once, delivering to each; a paused member alone is dropped as SLOW_CONSUMER', async () => {
    const { gw, producer } = await setup(1, { SUBSCRIPTION_BUFFER: '64' });
    const hub = gw.app.services.streams!.hub;
    const query = 'subscription { logEvents { sessionId message cursor } }';
    const fastClients = [wsClient(cleanups, gw.wsUrl), wsClient(cleanups, gw.wsUrl)];
    const fast = [...fastClients.map((c) => c.subscribe<Ev>(query)), fastClients[0]!.subscribe<Ev>(query)];
    const other = fastClients[1]!.subscribe<Ev>('subscription { logEvents(filter: { levels: ["ERROR"] }) { sessionId } }');
    const slowClient = wsClient(cleanups, gw.wsUrl);
    const slow = slowClient.subscribe<Ev>(query);
    await subscriptions(gw, 5);
    expect(hub.stats().listeners).toBe(2); // two groups: the identical four, the filtered one
    await waitFor(() => slowClient.socket(), { what: 'slow socket' });
    (slowClient.socket() as unknown as { _socket: { pause(): void } })._socket.pause();
    let sent = 0;
    while (hub.stats().slowConsumers === 0 && sent < 400_000) {
      await producer.send(events(sent, sent + 2000).map((e) => ({ ...e, event: { ...e.event, message: 'x'.repeat(1500) } })));
      sent += 2000;
    }
    expect(hub.stats().slowConsumers).toBe(1);
    // Reading again at once (within the grace period), it sees the SLOW_CONSUMER error or the 4029 close.
    (slowClient.socket() as unknown as { _socket: { resume(): void } })._socket.resume();
    for (const f of fast) {
      await waitFor(() => f.items.length >= sent, { timeoutMs: 30_000, what: `fast member: ${sent} events` });
      expect(f.items.map(seqOf)).toEqual(Array.from({ length: sent }, (_, i) => i));
      expect(f.errors).toEqual([]);
    }
    const errors = Array.from({ length: sent }, (_, i) => i).filter((i) => numberedEvent(i, 0).level === 'ERROR');
    await waitFor(() => other.items.length >= errors.length, { what: 'filtered events' });
    expect(other.items.map(seqOf)).toEqual(errors);
    await waitFor(() => slow.done, { timeoutMs: 20_000, what: 'slow member ended' });
    const code = slow.errors[0]?.extensions?.code;
    expect({ code, closes: slowClient.closes, closeCode: slow.closeCode }).toSatisfy((r: { code?: string; closes: number[]; closeCode?: number }) => r.code === 'SLOW_CONSUMER' || r.closeCode === 4029 || r.closes.includes(4029));
    if (code === 'SLOW_CONSUMER') {
      // Its own last cursor: the last event it was sent, not the group's.
      const lastCursor = slow.errors[0]!.extensions!.lastCursor;
      expect(typeof lastCursor).toBe('string');
      if (slow.items.length > 0) expect(lastCursor).toBe(slow.items.at(-1)!.cursor);
    }
    expect(slow.items.length).toBeLessThan(sent);
    for (const f of fast) f.stop();
    other.stop();
    await subscriptions(gw, 0);
    await waitFor(() => hub.stats().listeners === 0, { what: 'groups stopped' });
  });
});

describe('logEventBatches', () => {
  it('delivers every matching event once, in order, in bounded batches; a batch cursor resumes after it', async () => {
    const { gw, producer } = await setup(3);
    const ws = wsClient(cleanups, gw.wsUrl);
    const q = 'subscription($after: String) { logEventBatches(filter: { statusMin: 400 }, maxEvents: 50, maxWaitMs: 10, after: $after) { cursor events { sessionId cursor } } }';
    const first = ws.subscribe<Batch>(q);
    const all = ws.subscribe<Batch>('subscription { logEventBatches(maxEvents: 100) { events { sessionId } } }');
    await subscriptions(gw, 2);
    const sent = events(0, 1200);
    await producer.send(sent);
    const expected = sent.filter((s) => s.event.status >= 400).map((s) => s.seq);
    const flat = (batches: Batch[]) => batches.flatMap((b) => b.events.map(seqOf));
    await waitFor(() => flat(first.items).length >= expected.length && flat(all.items).length >= sent.length, { what: 'all batches' });
    await new Promise((r) => setTimeout(r, 100));
    const got = flat(first.items);
    expect(got.slice().sort((a, b) => a - b)).toEqual(expected);
    expectOrderPerKey(got);
    expect(first.items.every((b) => b.events.length >= 1 && b.events.length <= 50 && b.cursor === b.events.at(-1)!.cursor)).toBe(true);
    expect(flat(all.items).sort((a, b) => a - b)).toEqual(sent.map((s) => s.seq));
    expect(all.items.every((b) => b.events.length <= 100)).toBe(true);
    first.stop();

    const pivot = first.items[Math.floor(first.items.length / 2)]!;
    const seen = new Set(first.items.slice(0, first.items.indexOf(pivot) + 1).flatMap((b) => b.events.map(seqOf)));
    const resumed = ws.subscribe<Batch>(q, { after: pivot.cursor });
    await producer.send(events(1200, 1500));
    const rest = [...expected, ...events(1200, 1500).filter((s) => s.event.status >= 400).map((s) => s.seq)].filter((s) => !seen.has(s));
    await waitFor(() => flat(resumed.items).length >= rest.length, { timeoutMs: 30_000, what: 'resumed batches' });
    await new Promise((r) => setTimeout(r, 200));
    expect(flat(resumed.items).sort((a, b) => a - b)).toEqual(rest);
  });

  it('refuses out-of-range batch arguments at subscribe time', async () => {
    const { gw } = await setup(1);
    const ws = wsClient(cleanups, gw.wsUrl);
    const bad = ws.subscribe<Batch>('subscription { logEventBatches(maxEvents: 0) { cursor } }');
    const bad2 = ws.subscribe<Batch>('subscription { logEventBatches(maxWaitMs: 999999) { cursor } }');
    await waitFor(() => bad.done && bad2.done, { what: 'refusals' });
    expect(bad.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad2.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(gw.app.services.streams!.hub.stats().subscriptions).toBe(0);
  });
});
