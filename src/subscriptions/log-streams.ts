/**
 * The live-stream services of one gateway process: the record source (Kafka when KAFKA_BROKERS is set, else the
 * in-process demo stream), the hub over it, and the stream settings resolvers need. Created by buildApp and
 * closed by its close().
 */
import type { Logger } from '../logger.ts';
import type { StreamConfig } from '../config.ts';
import { createKafkaLogSource } from '../sources/kafka/kafka-log-source.ts';
import { createDemoStream } from './log-stream/demo-stream.ts';
import { createLogHub, type LogHub } from './log-stream/log-hub.ts';
import type { LogRecordSource } from './log-stream/log-source.ts';
import type { OpenedStream } from './log-stream/log-subscription.ts';

/** What a transport tells a subscription about the connection it runs on. */
export interface StreamConnection {
  /** Identity for the per-connection limit. */
  readonly key: object;
  /** Called when a subscription on this connection was dropped as slow (the transport may cut the socket). */
  onSlowConsumer?(stream: { readonly isClosed: boolean; readonly length: number }): void;
  /** Told each stream opened on this connection (shared executions watch their own stream's last item). */
  onOpened?(stream: OpenedStream): void;
  /** True for a shared execution's own connection: its streams take no subscription slot (its members do). */
  readonly shared?: boolean;
}

export interface LogStreams {
  readonly hub: LogHub;
  readonly config: StreamConfig;
  close(): Promise<void>;
}

export interface LogStreamsOptions {
  config: StreamConfig;
  kafka: { readonly brokers: readonly string[]; readonly clientId: string; readonly logsTopic: string } | undefined;
  logger: Logger;
  /** A source to use instead (tests). */
  source?: LogRecordSource;
}

export function createLogStreams({ config, kafka, logger, source: given }: LogStreamsOptions): LogStreams {
  const source: LogRecordSource =
    given ??
    (kafka
      ? createKafkaLogSource({ brokers: kafka.brokers, clientId: kafka.clientId, topic: kafka.logsTopic, logger })
      : createDemoStream({ rate: config.demoRate, retention: config.demoRetention }));
  const hub = createLogHub({
    source,
    logger,
    maxPerConnection: config.maxPerConnection,
    maxPerProcess: config.maxPerProcess,
    maxMessageBytes: config.maxMessageBytes,
  });
  return { hub, config, close: () => hub.close() };
}
