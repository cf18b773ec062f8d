/**
 * A private single-node KRaft broker for tests that stop and restart Kafka on purpose, so the shared broker
 * (used by test files running in parallel) is never touched. Same jars as scripts/services (.cache/kafka/libs,
 * fetched by `scripts/services up kafka`), its own temp dir and spare ports; `stop()` keeps the data, `start()`
 * brings it back on the same port, `destroy()` stops it and removes the dir.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { freePort, waitFor } from './services.ts';

const LIBS = resolve(import.meta.dirname, '../../.cache/kafka/libs');

export interface ExtraKafka {
  readonly broker: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

async function answers(broker: string): Promise<boolean> {
  const admin = new Kafka({ brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.fetchOffsets({ groupId: 'extra-kafka-warmup' }); // waits out "coordinator loading"
    return cluster.brokers.length > 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function startExtraKafka(): Promise<ExtraKafka> {
  if (!existsSync(LIBS)) throw new Error(`no Kafka jars in ${LIBS}: run bash scripts/services up kafka once`);
  const dir = await mkdtemp(join(tmpdir(), 'dg-extra-kafka-'));
  const port = await freePort();
  let cport = await freePort();
  while (cport === port) cport = await freePort();
  const props = join(dir, 'server.properties');
  await writeFile(props, [
    'process.roles=broker,controller', 'node.id=1', `controller.quorum.voters=1@127.0.0.1:${cport}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${cport}`, `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER', 'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT', `log.dirs=${join(dir, 'data')}`,
    'num.partitions=2', 'offsets.topic.replication.factor=1', 'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1', 'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1', 'share.coordinator.state.topic.min.isr=1',
    'auto.create.topics.enable=true', 'group.initial.rebalance.delay.ms=0',
  ].join('\n'));
  await writeFile(join(dir, 'log4j2.properties'), 'status = warn\nappender.out.type = Console\nappender.out.name = STDOUT\nappender.out.layout.type = PatternLayout\nappender.out.layout.pattern = %p %m%n\nrootLogger.level = WARN\nrootLogger.appenderRef.out.ref = STDOUT\n');
  const jvm = ['-Xms64m', '-Xmx384m', '-XX:TieredStopAtLevel=1', `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`, '-cp', `${LIBS}/*`];
  const clusterId = randomBytes(16).toString('base64url').slice(0, 22);
  // `--cluster-id=` form: a base64url id may start with '-', which the tool's parser would take for an option.
  const format = spawnSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', props], { encoding: 'utf8' });
  if (format.status !== 0) throw new Error(`kafka storage format failed: ${format.stderr}${format.stdout}`);

  const broker = `127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';
  async function start(): Promise<void> {
    child = spawn('java', [...jvm, 'kafka.Kafka', props], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    try {
      await waitFor(() => child?.exitCode === null && answers(broker), { timeoutMs: 60_000, intervalMs: 500, what: `extra kafka on ${broker}` });
    } catch (e) {
      await stop();
      throw new Error(`${(e as Error).message}\n${output}`);
    }
  }
  async function stop(): Promise<void> {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = once(c, 'exit');
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  await start();
  return {
    broker,
    start,
    stop,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
