/**
 * `delta-gateway produce-demo [--rate 5000] [--duration 60s] [--brokers host:port,...] [--topic logs]`: produces
 * realistic demo log events into Kafka at a steady rate (message timestamp = event timestamp, key = session), so
 * a gateway with KAFKA_BROKERS has a live stream to show. Brokers and topic default to KAFKA_BROKERS and
 * KAFKA_LOGS_TOPIC. Without --duration it runs until interrupted.
 */
import { parseArgs } from 'node:util';
import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { loadConfig } from '../config.ts';
import { parseInterval } from '../analytics/interval.ts';
import { createDemoEventGenerator } from '../subscriptions/log-stream/demo-events.ts';
import { encodeLogEvent } from '../subscriptions/log-stream/log-event.ts';
import { runCommand, UsageError } from './table-command.ts';

const USAGE = 'delta-gateway produce-demo [--rate 5000] [--duration 60s] [--brokers host:port,...] [--topic logs]';
/**
 * Produce every 5 ms: small, frequent sends. Each event is stamped when generated, just before its send, so the
 * latency a consumer measures includes the producer's batching; at 20 ms ticks (~400 events a send at 20k/s)
 * that batching alone was the largest share of produce -> consume latency (P5: produce -> broker append p50 9-14 ms,
 * against 2 ms at 5 ms ticks).
 */
const TICK_MS = 5;
const SEND_CHUNK = 1_000;

interface ProduceOptions {
  rate: number;
  durationMs: number;
  brokers: string[];
  topic: string;
  clientId: string;
}

/** The command line over the KAFKA_* defaults; UsageError for a bad --rate or --duration, or no brokers. */
function parseOptions(args: string[]): ProduceOptions {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { rate: { type: 'string' }, duration: { type: 'string' }, brokers: { type: 'string' }, topic: { type: 'string' } }, strict: true }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: ${USAGE}`);
  }
  const config = loadConfig();
  const rate = Number(values.rate ?? 5000);
  if (!Number.isFinite(rate) || rate <= 0) throw new UsageError(`--rate must be a positive number\nusage: ${USAGE}`);
  let durationMs = Infinity;
  if (values.duration !== undefined) {
    try {
      durationMs = parseInterval(values.duration) * 1000;
    } catch (e) {
      throw new UsageError(`--duration: ${(e as Error).message}\nusage: ${USAGE}`);
    }
  }
  const brokers = (values.brokers ?? config.kafka?.brokers.join(',') ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) throw new UsageError(`no brokers: pass --brokers or set KAFKA_BROKERS\nusage: ${USAGE}`);
  return { rate, durationMs, brokers, topic: values.topic ?? config.kafka?.logsTopic ?? 'logs', clientId: config.kafka?.clientId ?? 'delta-gateway' };
}

/** Sends the events due at `rate` every TICK_MS until `durationMs` has passed or `stopped()`; returns how many. */
async function produceAtRate(producer: Producer, { rate, durationMs, topic }: ProduceOptions, stopped: () => boolean): Promise<number> {
  const generate = createDemoEventGenerator();
  const started = Date.now();
  let sent = 0;
  while (!stopped() && Date.now() - started < durationMs) {
    const tickStart = Date.now();
    const due = Math.floor(((Date.now() - started) / 1000) * rate) - sent;
    if (due > 0) {
      const now = Date.now();
      const messages = Array.from({ length: due }, () => {
        const e = generate(now);
        return { key: e.sessionId, value: encodeLogEvent(e), timestamp: String(now) };
      });
      // Chunks keep every request under the broker's size limit when the producer catches up after a stall.
      for (let i = 0; i < messages.length; i += SEND_CHUNK) await producer.send({ topic, messages: messages.slice(i, i + SEND_CHUNK) });
      sent += due;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, TICK_MS - (Date.now() - tickStart))));
  }
  return sent;
}

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const options = parseOptions(args);
    const kafka = new Kafka({ clientId: `${options.clientId}-produce-demo`, brokers: options.brokers, logLevel: logLevel.ERROR });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
    await producer.connect();
    let stop = false;
    const onSignal = () => (stop = true);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const started = Date.now();
    let sent = 0;
    try {
      sent = await produceAtRate(producer, options, () => stop);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await producer.disconnect();
    }
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`produced ${sent} events to ${options.topic} in ${seconds.toFixed(1)} s (${Math.round(sent / seconds)} ev/s)\n`);
  });
}
