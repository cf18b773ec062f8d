/**
 * Readiness of the configured Kafka: the cluster answers a metadata request within the time limit. It has an
 * admin client of its own with tight timeouts and no retries: the live stream's client retries for a long time to
 * ride out broker restarts, which is what a readiness check must not do.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Closeable, ReadinessProbe } from '../lifecycle.ts';

export function createKafkaProbe(brokers: readonly string[], clientId: string, timeoutMs: number): ReadinessProbe & Closeable {
  const kafka = new Kafka({
    clientId: `${clientId}-probe`,
    brokers: [...brokers],
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  let connected = false;
  return {
    name: 'kafka',
    async check() {
      if (!connected) {
        await admin.connect();
        connected = true;
      }
      try {
        await admin.describeCluster();
      } catch (e) {
        connected = false;
        await admin.disconnect().catch(() => undefined);
        throw e;
      }
    },
    async close() {
      if (connected) await admin.disconnect().catch(() => undefined);
    },
  };
}
