/**
 * The embedded default (no KAFKA_BROKERS): the in-process demo stream reaches graphql-ws and SSE clients through
 * buildApp; cursors resume exactly after an event; bad filters and too many subscriptions are refused with codes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/services.ts';
import { sseSubscribe, startStreamGateway, wsClient, type Cleanups } from '../support/stream-clients.ts';

interface Ev { timestamp: string; sessionId: string; message: string; status: number; cursor: string }
const FIELDS = 'timestamp sessionId message status cursor';
const cleanups: Cleanups = [];
let lakeRoot: string;

beforeAll(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'dg-demo-stream-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await rm(lakeRoot, { recursive: true, force: true });
});

const env = () => ({ LAKE_ROOT: lakeRoot, DEMO_STREAM_RATE: '400', SUBSCRIPTION_MAX_PER_CONNECTION: '2' });
const key = (e: Ev) => `${e.timestamp}|${e.sessionId}|${e.message}`;

describe('demo stream (embedded default)', () => {
  it('streams live events over graphql-ws and SSE, and resumes exactly after a cursor', async () => {
    const gw = await startStreamGateway(cleanups, env());
    const ws = wsClient(cleanups, gw.wsUrl);
    const live = ws.subscribe<Ev>(`subscription { logEvents { ${FIELDS} } }`);
    const sse = sseSubscribe<Ev>(cleanups, gw.url, `subscription { logEvents { ${FIELDS} } }`);
    expect(await sse.status).toBe(200);
    await waitFor(() => live.items.length >= 200 && sse.items.length >= 50, { timeoutMs: 15_000, what: 'live events' });
    expect(live.errors).toEqual([]);
    expect(sse.errors).toEqual([]);
    // SSE and websocket see the same stream, from the first event both received (either may start first).
    const sseKeys = sse.items.map(key);
    const liveKeys = live.items.map(key);
    const start = sseKeys.findIndex((k) => liveKeys.includes(k));
    expect(start).toBeGreaterThanOrEqual(0);
    const at = liveKeys.indexOf(sseKeys[start]!);
    const overlap = Math.min(40, sseKeys.length - start, liveKeys.length - at);
    expect(overlap).toBeGreaterThan(20);
    expect(liveKeys.slice(at, at + overlap)).toEqual(sseKeys.slice(start, start + overlap));

    const pivot = live.items[20]!;
    const resumed = ws.subscribe<Ev>(`subscription($after: String) { logEvents(after: $after) { ${FIELDS} } }`, { after: pivot.cursor });
    await waitFor(() => resumed.items.length >= 300, { timeoutMs: 15_000, what: 'resumed events' });
    const expected = live.items.slice(21).map(key);
    const got = resumed.items.map(key);
    const n = Math.min(expected.length, got.length);
    expect(n).toBeGreaterThan(150);
    expect(got.slice(0, n)).toEqual(expected.slice(0, n));
  });

  it('refuses invalid filters and too many subscriptions with codes', async () => {
    const gw = await startStreamGateway(cleanups, env());
    const ws = wsClient(cleanups, gw.wsUrl);
    const bad = ws.subscribe<Ev>('subscription { logEvents(filter: { statusMin: 500, statusMax: 400 }) { status } }');
    const badLevel = ws.subscribe<Ev>('subscription { logEvents(filter: { levels: ["LOUD"] }) { status } }');
    const badCursor = ws.subscribe<Ev>('subscription { logEvents(after: "nope!") { status } }');
    await waitFor(() => bad.done && badLevel.done && badCursor.done, { what: 'refusals' });
    for (const r of [bad, badLevel, badCursor]) expect(r.errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);

    const a = ws.subscribe<Ev>('subscription { logEvents { status } }');
    const b = ws.subscribe<Ev>('subscription { errorRate(window: "1s") { key } }');
    const c = ws.subscribe<Ev>('subscription { logEvents { status } }');
    await waitFor(() => c.done, { what: 'third subscription refused' });
    expect(c.errors.map((e) => e.extensions?.code)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    await waitFor(() => a.items.length > 0, { what: 'first still live' });
    expect(a.done || b.done).toBe(false);
    // A slot frees when a subscription ends.
    a.stop();
    await waitFor(() => gw.app.services.streams!.hub.stats().subscriptions === 1, { what: 'slot released' });
    const d = ws.subscribe<Ev>('subscription { logEvents { status } }');
    await waitFor(() => d.items.length > 0, { what: 'fourth subscription live' });
    expect(d.errors).toEqual([]);
  });
});
