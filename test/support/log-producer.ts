/** Test producer of log events to a topic: numbered events (sessionId `s-<seq>`), keyed to spread partitions. */
import { waitFor } from './services.ts';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { encodeLogEvent, type LogEventFields } from '../../src/subscriptions/log-event.ts';
import type { Cleanups } from './stream-clients.ts';

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

export interface TestProducer {
  producer: Producer;
  /** Sends events (key `k<seq % keys>`, record timestamp = event timestamp) in batches of 500. */
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
