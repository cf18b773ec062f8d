/**
 * `logEvents(since:)`: the Delta table (written with our writer) serves since <= t < W (W = its newest event
 * time), Kafka serves t >= W from fetchTopicOffsetsByTimestamp(W), then the live tail follows. Two events share
 * the watermark time W, one of them in both table and topic: each is delivered exactly once, and the whole
 * stream equals the produced sequence from `since` on.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeTable } from '../../src/delta/writer/write/write-table.ts';
import { LOGS_SCHEMA } from '../../src/demo/demo-logs.ts';
import { createDuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../../src/sources/duckdb/duckdb-sql-engine.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import type { LogEventFields } from '../../src/subscriptions/log-stream/log-event.ts';
import { uniqueName, waitFor } from '../support/services.ts';
import { sseSubscribe, startStreamGateway, wsClient, type Cleanups } from '../support/stream-clients.ts';
import { createTestProducer, createTopic, numberedEvent } from '../support/log-producer.ts';

const cleanups: Cleanups = [];
const brokers = inject('kafkaBrokers');
let lakeRoot: string;

beforeAll(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'dg-since-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await rm(lakeRoot, { recursive: true, force: true });
});

function row(e: LogEventFields): Record<string, unknown> {
  const ts = new Date(e.timestamp);
  return {
    timestamp: ts.toISOString(), level: e.level, source: e.source, endpoint: e.endpoint, method: e.method, status: e.status,
    response_time_ms: e.responseTimeMs, user_id: e.userId, session_id: e.sessionId, message: e.message, date: ts.toISOString().slice(0, 10),
  };
}

describe('logEvents(since:)', () => {
  it('backfills from the Delta table, switches to Kafka at the watermark and tails live, exactly once each', async () => {
    const topic = uniqueName('test-since');
    await createTopic(cleanups, brokers, topic, 1);
    const base = Date.now() - 10 * 60_000;
    // Event i at base + i s, except 40, which shares 39's timestamp (the watermark W).
    const tsOf = (i: number) => base + (i === 40 ? 39 : i) * 1000;
    const all = Array.from({ length: 80 }, (_, i) => ({ seq: i, event: numberedEvent(i, tsOf(i)) }));

    const engine = await createDuckDbEngine({ poolSize: 2 });
    cleanups.push(() => engine.close());
    const ctx = { storage: createLocalStorage(join(lakeRoot, 'logs')), sql: createDuckDbSqlEngine(engine), parquetReader: engine.parquetReader };
    // The table holds 0..39 in two commits (the ingest sink would write the same); the topic holds 0..59.
    await writeTable(ctx, { rows: all.slice(0, 20).map((a) => row(a.event)) }, { schema: LOGS_SCHEMA, partitionBy: ['date'] });
    await writeTable(ctx, { rows: all.slice(20, 40).map((a) => row(a.event)) });
    const producer = await createTestProducer(cleanups, brokers, topic);
    await producer.send(all.slice(0, 60));

    const gw = await startStreamGateway(cleanups, { LAKE_ROOT: lakeRoot, KAFKA_BROKERS: brokers.join(','), KAFKA_LOGS_TOPIC: topic });
    await gw.app.services.streams!.hub.ready();
    const query = 'subscription($since: DateTime) { logEvents(since: $since) { sessionId timestamp cursor } }';
    const since = new Date(tsOf(10)).toISOString();
    const ws = wsClient(cleanups, gw.wsUrl).subscribe<{ sessionId: string; timestamp: string }>(query, { since });
    const sse = sseSubscribe<{ sessionId: string; timestamp: string }>(cleanups, gw.url, query, { since });
    await waitFor(() => ws.items.length >= 50 && sse.items.length >= 50, { timeoutMs: 30_000, what: 'backfill and replay' });
    await waitFor(() => gw.app.services.streams!.hub.stats().listeners === 2, { timeoutMs: 15_000, what: 'handover to live' });
    await producer.send(all.slice(60, 80)); // live
    await waitFor(() => ws.items.length >= 70 && sse.items.length >= 70, { timeoutMs: 20_000, what: 'live tail' });
    await new Promise((r) => setTimeout(r, 300));

    const expected = all.slice(10).map((a) => a.event.sessionId);
    for (const sub of [ws, sse]) {
      expect(sub.errors).toEqual([]);
      expect(sub.items.map((e) => e.sessionId)).toEqual(expected);
      expect(sub.items.map((e) => Date.parse(e.timestamp))).toEqual(all.slice(10).map((a) => a.event.timestamp));
    }
  });

  it('refuses since together with after, and a missing table, at subscribe time', async () => {
    const topic = uniqueName('test-since-bad');
    await createTopic(cleanups, brokers, topic, 1);
    const empty = await mkdtemp(join(tmpdir(), 'dg-since-empty-'));
    cleanups.push(() => rm(empty, { recursive: true, force: true }));
    const gw = await startStreamGateway(cleanups, { LAKE_ROOT: empty, KAFKA_BROKERS: brokers.join(','), KAFKA_LOGS_TOPIC: topic });
    const ws = wsClient(cleanups, gw.wsUrl);
    const both = ws.subscribe('subscription { logEvents(since: "2024-01-01T00:00:00Z", after: "YzEuMA") { sessionId } }');
    const noTable = ws.subscribe('subscription { logEvents(since: "2024-01-01T00:00:00Z") { sessionId } }');
    await waitFor(() => both.done && noTable.done, { what: 'refusals' });
    expect(both.errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(noTable.errors.map((e) => e.extensions?.code)).toEqual(['TABLE_NOT_FOUND']);
  });
});
