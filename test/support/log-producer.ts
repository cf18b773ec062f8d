/** Test producer of log events to a topic: numbered events (sessionId `s-<seq>`), keyed to spread partitions. */
import { waitFor } from './services.ts';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { expect } from 'vitest';
import { encodeLogEvent, type LogEventFields } from '../../src/subscriptions/log-stream/log-event.ts';
import type { TestGateway } from './gateway.ts';
import { startStreamGateway, type Cleanups } from './stream-clients.ts';

const ENDPOINTS = ['/api/products', '/api/search', '/api/cart', '/api/login'];
const SOURCES = ['catalog-service', 'search-service', 'cart-service', 'auth-service'];
const LEVELS = ['INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG'];

/** A deterministic event for sequence number `seq` at `timestamp`. */
export function numberedEvent(seq: number, timestamp: number): LogEventFields {
  const status = [200, 200, 201, 404, 500, 503, 200][seq % 7]!;
  return {
    timestamp, level: status >= 500 ? 'ERROR' : LEVELS[seq % LEVELS.length]!, source: SOURCES[seq % 4]!, endpoint: ENDPOINTS[(seq >> 1) % 4]!,
    method: seq % 3 === 0 ? 'POST' : 'GET', status, responseTimeMs: (seq * 37) % 900, userId: seq % 5 === 0 ? null : `u${seq % 50}`,
    sessionId: `s-${seq}`, message: seq % 11 === 0 ? `Timeout talking to upstream #${seq}` : `request ${seq} ok`,
  };
}

/** Numbered events `from` .. `to - 1`, stamped now, ready for `TestProducer.send`. */
export function numberedEvents(from: number, to: number): Array<{ seq: number; event: LogEventFields }> {
  return Array.from({ length: to - from }, (_, i) => ({ seq: from + i, event: numberedEvent(from + i, Date.now()) }));
}

/** The sequence number of a numbered event, from its sessionId `s-<seq>`. */
export const seqOf = (e: { sessionId: string }): number => Number(e.sessionId.slice(2));

/** Every key's events arrive in the order they were sent (`send` keys by `seq % keys`; keys map to partitions). */
export function expectOrderPerKey(seqs: number[], keys = 6): void {
  for (let k = 0; k < keys; k++) {
    const mine = seqs.filter((s) => s % keys === k);
    expect(mine).toEqual([...mine].sort((a, b) => a - b));
  }
}

export interface TestProducer {
  producer: Producer;
  /** Sends events (key `k<seq % keys>`, message timestamp = event timestamp) in batches of 500. */
  send(events: Array<{ seq: number; event: LogEventFields }>, keys?: number): Promise<void>;
  sendRaw(values: Array<string | Buffer>): Promise<void>;
}

export async function createTestProducer(cleanups: Cleanups, brokers: string[], topic: string): Promise<TestProducer> {
  const kafka = new Kafka({ clientId: 'dg-test-producer', brokers, logLevel: logLevel.NOTHING, retry: { retries: 30, maxRetryTime: 2000 } });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  cleanups.push(() => producer.disconnect());
  return {
    producer,
    async send(events, keys = 6) {
      for (let i = 0; i < events.length; i += 500) {
        const messages = events.slice(i, i + 500).map(({ seq, event }) => ({ key: `k${seq % keys}`, value: encodeLogEvent(event), timestamp: String(event.timestamp) }));
        await producer.send({ topic, messages });
      }
    },
    async sendRaw(values) {
      await producer.send({ topic, messages: values.map((value) => ({ key: 'raw', value })) });
    },
  };
}

export async function createTopic(cleanups: Cleanups, brokers: string[], topic: string, partitions: number): Promise<void> {
  const admin = new Kafka({ clientId: 'dg-test-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  // A freshly started broker can answer the create's leader wait with "does not host this topic-partition"
  // before its metadata settles: retry until every partition has a leader.
  await waitFor(
    async () => {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true }).catch(() => false);
      const meta = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
      const found = meta?.topics[0]?.partitions ?? [];
      return found.length === partitions && found.every((p) => p.leader >= 0);
    },
    { timeoutMs: 30_000, intervalMs: 200, what: `topic ${topic} with leaders` },
  );
  cleanups.push(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });
}

/**
 * A fresh topic of `partitions` partitions on `brokers`, a gateway streaming it (`env` adds to or overrides the
 * Kafka settings) once its hub is live, and a producer to it; everything is registered on `cleanups`.
 */
export async function startLiveStream(
  cleanups: Cleanups,
  brokers: string[],
  topic: string,
  partitions: number,
  env: Record<string, string>,
): Promise<{ gw: TestGateway; producer: TestProducer }> {
  await createTopic(cleanups, brokers, topic, partitions);
  const gw = await startStreamGateway(cleanups, { KAFKA_BROKERS: brokers.join(','), KAFKA_LOGS_TOPIC: topic, ...env });
  await gw.app.services.streams!.hub.ready();
  return { gw, producer: await createTestProducer(cleanups, brokers, topic) };
}
