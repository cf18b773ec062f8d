/**
 * A short-lived Kafka reader for one subscriber's replay: its own consumer group whose offsets are set to the
 * replay's start before it joins, read with backpressure (the fetch loop waits, heartbeating, while the reader's
 * small queue is full). Offsets below the log start (deleted by retention) restart at the earliest offset, which
 * the caller sees as a gap. The group is deleted on close.
 */
import type { Admin, Kafka } from 'kafkajs';

export interface KafkaRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly value: Buffer | null;
}

export interface KafkaReplayReader {
  read(): Promise<KafkaRecord[]>;
  close(): Promise<void>;
}

export interface KafkaReplayOptions {
  kafka: Kafka;
  admin: Admin;
  topic: string;
  groupId: string;
  /** First offset to read, per partition. */
  from: Array<{ partition: number; offset: number }>;
}

const HIGH_WATER = 2_000;
const READ_BATCH = 1_000;
const IDLE_WAIT_MS = 100;

export async function openKafkaReplay({ kafka, admin, topic, groupId, from }: KafkaReplayOptions): Promise<KafkaReplayReader> {
  await admin.setOffsets({ groupId, topic, partitions: from.map((f) => ({ partition: f.partition, offset: String(f.offset) })) });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  const queue: KafkaRecord[] = [];
  let wake: (() => void) | undefined;
  let open = true;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, heartbeat, isRunning }) => {
      const partition = batch.partition;
      for (const m of batch.messages) queue.push({ partition, offset: Number(m.offset), timestamp: Number(m.timestamp), value: m.value });
      wake?.();
      while (open && isRunning() && queue.length > HIGH_WATER) {
        await new Promise((r) => setTimeout(r, 20));
        await heartbeat();
      }
    },
  });
  return {
    async read() {
      if (queue.length === 0 && open) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => ((wake = undefined), resolve()), IDLE_WAIT_MS);
          wake = () => ((wake = undefined), clearTimeout(t), resolve());
        });
      }
      return queue.splice(0, READ_BATCH);
    },
    async close() {
      if (!open) return;
      open = false;
      wake?.();
      await consumer.disconnect().catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
    },
  };
}
