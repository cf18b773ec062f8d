/**
 * A private broker (never the shared one) is stopped and restarted during a subscription: the gateway's consumer
 * reconnects on its own, the graphql-ws client never reconnects, and every event arrives exactly once with no gap.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExtraKafka, type ExtraKafka } from '../support/extra-kafka.ts';
import { uniqueName, waitFor } from '../support/services.ts';
import { startStreamGateway, waitForSubscriptions, wsClient, type Cleanups } from '../support/stream-clients.ts';
import { createTestProducer, createTopic, numberedEvents as batch, seqOf } from '../support/log-producer.ts';

const cleanups: Cleanups = [];
let lakeRoot: string;
let kafka: ExtraKafka;

beforeAll(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'dg-restart-'));
  kafka = await startExtraKafka();
}, 90_000);
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await kafka?.destroy();
  await rm(lakeRoot, { recursive: true, force: true });
}, 60_000);

describe('broker restart', () => {
  it('keeps delivering across a broker stop and start without client reconnects', async () => {
    const brokers = [kafka.broker];
    const topic = uniqueName('test-restart');
    await createTopic(cleanups, brokers, topic, 2);
    const gw = await startStreamGateway(cleanups, { LAKE_ROOT: lakeRoot, KAFKA_BROKERS: kafka.broker, KAFKA_LOGS_TOPIC: topic });
    await gw.app.services.streams!.hub.ready();
    const client = wsClient(cleanups, gw.wsUrl);
    const sub = client.subscribe<{ sessionId: string; gapBefore: number }>('subscription { logEvents { sessionId gapBefore } }');
    await waitForSubscriptions(gw, 1);

    let producer = await createTestProducer(cleanups, brokers, topic);
    await producer.send(batch(0, 100));
    await waitFor(() => sub.items.length >= 100, { what: 'first 100' });

    await kafka.stop();
    await new Promise((r) => setTimeout(r, 2000));
    await kafka.start();
    producer = await createTestProducer(cleanups, brokers, topic);
    await producer.send(batch(100, 200));
    await waitFor(() => sub.items.length >= 200, { timeoutMs: 90_000, what: 'events after the restart' });
    await new Promise((r) => setTimeout(r, 500));

    const seqs = sub.items.map(seqOf).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(sub.items.every((e) => e.gapBefore === 0)).toBe(true);
    expect(sub.done).toBe(false);
    expect(client.closes).toEqual([]);
  }, 150_000);
});
