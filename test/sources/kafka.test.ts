/** The shared Kafka broker takes messages from kafkajs and hands them back in order, per partition. */
import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName, waitFor } from '../support/services.ts';

const PARTITIONS = 3;
const MESSAGES = 60;

describe('kafka (real broker)', () => {
  const topic = uniqueName('test-kafka');
  const groupId = uniqueName('test-kafka-group');
  const kafka = new Kafka({ clientId: 'delta-gateway-test', brokers: inject('kafkaBrokers'), logLevel: logLevel.ERROR });
  const cleanups: Array<() => Promise<unknown>> = [];
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    expect(created).toBe(true);
    cleanups.push(() => admin.deleteTopics({ topics: [topic] }));
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it(`produces ${MESSAGES} messages and consumes them all from the beginning, in order per partition`, async () => {
    const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    // Six keys spread over the partitions; each message carries its global sequence number.
    const sent = Array.from({ length: MESSAGES }, (_, seq) => ({ key: `key-${seq % 6}`, value: String(seq) }));
    for (let i = 0; i < sent.length; i += 20) await producer.send({ topic, messages: sent.slice(i, i + 20) });

    const received: Array<{ partition: number; offset: bigint; key: string; seq: number }> = [];
    // A short fetch wait: disconnect() waits for the in-flight long poll (5 s by default).
    const consumer: Consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 250 });
    await consumer.connect();
    cleanups.push(async () => {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]);
    });
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        received.push({
          partition,
          offset: BigInt(message.offset),
          key: message.key!.toString(),
          seq: Number(message.value!.toString()),
        });
      },
    });
    await waitFor(() => received.length >= MESSAGES, { timeoutMs: 30_000, what: `${MESSAGES} messages` });

    expect(received).toHaveLength(MESSAGES);
    expect(received.map((m) => m.seq).sort((a, b) => a - b)).toEqual(sent.map((_, seq) => seq));
    const byPartition = new Map<number, typeof received>();
    for (const m of received) byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m]);
    expect(byPartition.size).toBeGreaterThan(1);
    for (const messages of byPartition.values()) {
      // Offsets run 0, 1, 2, ... and sequence numbers rise: the partition kept the send order.
      expect(messages.map((m) => m.offset)).toEqual(messages.map((_, i) => BigInt(i)));
      const seqs = messages.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    // A key always lands on the same partition.
    const partitionOfKey = new Map<string, Set<number>>();
    for (const m of received) partitionOfKey.set(m.key, (partitionOfKey.get(m.key) ?? new Set()).add(m.partition));
    for (const partitions of partitionOfKey.values()) expect(partitions.size).toBe(1);
  });
});
