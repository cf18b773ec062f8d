/**
 * The kafkajs client of the live stream: retries that outlast a broker restart (exponential, capped at 5 s)
 * and kafkajs' own log lines routed to our logger at warn and above.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../../logger.ts';

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
}

/** Retry policy of every request: about a minute of attempts before a consumer restarts itself. */
export const KAFKA_RETRY = { initialRetryTime: 300, maxRetryTime: 5_000, factor: 0.2, retries: 15 } as const;

export function createKafkaClient({ brokers, clientId, logger }: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId,
    brokers: [...brokers],
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: KAFKA_RETRY,
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log }: LogEntry) => {
      const { message, ...rest } = log;
      const entry = { kafka: namespace, broker: rest.broker, error: rest.error };
      if (level === logLevel.ERROR) logger.error(entry, message);
      else logger.warn(entry, message);
    },
  });
}

/** A consumer group id no other process or reader uses (live tail and replays never share offsets). */
export function privateGroupId(clientId: string, role: string): string {
  return `${clientId}-${role}-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
}
