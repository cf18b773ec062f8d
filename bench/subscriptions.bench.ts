/**
 * P5, live fan-out: produce -> client receive latency (the event's own timestamp against the client's clock) at
 * 5k, 20k and 50k events/s with 1, 100 and 1000 graphql-ws subscribers, through buildApp over the shared Kafka
 * (scripts/services), for `logEvents` (a message per event) and `logEventBatches(maxWaitMs: 20)`. Producer
 * (`delta-gateway produce-demo`) and clients (bench/subscription-clients.ts; two processes from 100 subscribers,
 * so the client side is not one busy thread) run as child processes, the gateway in this one, all on the same
 * machine. Each case produces for WARMUP_S + DURATION_S and times the events of the last DURATION_S; reports p50/p99, events delivered per subscriber against events produced,
 * and SLOW_CONSUMER drops (buffer SUBSCRIPTION_BUFFER=10000 events: 0.5 s at 20k/s). Also the gateway's memory per
 * idle subscriber. Env: BENCH_STREAM_SECONDS, BENCH_STREAM_RATES, BENCH_STREAM_SUBS, BENCH_STREAM_MODES.
 * Run alone: `node bin/run-ts.mjs bench/subscriptions.bench.ts` (or via `npm run bench -- subscriptions`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { listenApp } from '../test/support/gateway.ts';
import { repoRoot, serviceValue, type BenchResult } from './support.ts';

const DURATION_S = Number(process.env.BENCH_STREAM_SECONDS ?? 8);
/**
 * Seconds produced before timing starts. The first second of a fresh producer, consumer and fan-out runs cold
 * (JIT, first metadata and connection set-up) at 100-250 ms; timing it would make p99 measure start-up, not the
 * steady stream. Events of the warm-up still count as delivered.
 */
const WARMUP_S = Number(process.env.BENCH_STREAM_WARMUP_SECONDS ?? 2);
const list = (v: string | undefined, d: number[]) => (v ? v.split(',').map(Number) : d);
const RATES = list(process.env.BENCH_STREAM_RATES, [5_000, 20_000, 50_000]);
const SUBSCRIBERS = list(process.env.BENCH_STREAM_SUBS, [1, 100, 1000]);
type Mode = 'events' | 'batches';
const MODES = (process.env.BENCH_STREAM_MODES?.split(',') ?? ['events', 'batches']) as Mode[];
const BATCH_WAIT_MS = 20;
const RUN_TS = resolve(repoRoot, 'bin/run-ts.mjs');

/** KAFKA_BROKERS from the environment, or the shared Kafka started by scripts/services. */
function kafkaBrokers(): string {
  return process.env.KAFKA_BROKERS || serviceValue('kafka', 'KAFKA_BROKERS');
}

async function startStreamingGateway(brokers: string, topic: string, lake: string): Promise<{ app: App; url: string }> {
  const config = loadConfig({
    PORT: '0', LOG_LEVEL: 'silent', LAKE_ROOT: lake, DEMO_LAKE: 'false', KAFKA_BROKERS: brokers, KAFKA_LOGS_TOPIC: topic,
    SUBSCRIPTION_MAX_PER_CONNECTION: '1000', SUBSCRIPTION_BUFFER: '10000', SHUTDOWN_TIMEOUT_MS: '2000',
  });
  const { app, url } = await listenApp({ config, logger: createLogger('silent') });
  await app.services.streams!.hub.ready();
  return { app, url: `${url.replace(/^http:/, 'ws:')}/graphql` };
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function runChild(args: string[]): { child: ChildProcess; lines: AsyncIterableIterator<string> } {
  const child = spawn(process.execPath, [RUN_TS, ...args], { stdio: ['pipe', 'pipe', 'inherit'], cwd: repoRoot });
  return { child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
}

function percentile(hist: Array<[number, number]>, total: number, p: number): number {
  let seen = 0;
  for (const [ms, n] of hist) if ((seen += n) >= total * p) return ms;
  return NaN; // no timed event arrived: the subscribers were still behind on the warm-up's backlog
}

/** A latency for the table; `behind` when no event of the timed window reached the clients before they stopped. */
const ms = (v: number) => (Number.isNaN(v) ? 'behind' : String(v));

interface CaseResult {
  mode: Mode; rate: number; subs: number; produced: number; p50: number; p99: number; minDelivered: number; meanDelivered: number; slow: number; errors: number;
  /** Produce -> hub (Kafka + consumer) share of the latency: p50 and p99 when the hub got each event. */
  hubP50: number; hubP99: number;
  /** Worst produce -> hub latency of the untimed warm-up. */
  warmupMaxAtHub: number;
}
interface ClientOutput { counts: number[]; slow: number; otherErrors: number; histogram: Array<[number, number]> }

/** Starts `subs` subscriptions over `sockets` websockets, spread over `procs` client processes. */
async function startClients(url: string, subs: number, sockets: number, procs: number, mode: string) {
  const children = Array.from({ length: procs }, (_, p) => {
    const mine = Math.floor(subs / procs) + (p < subs % procs ? 1 : 0);
    return runChild([resolve(repoRoot, 'bench/subscription-clients.ts'), url, String(mine), String(Math.max(1, Math.round(sockets / procs))), mode, String(BATCH_WAIT_MS)]);
  });
  for (const c of children) await c.lines.next(); // ready
  return {
    measureFrom(ms: number): void {
      for (const c of children) c.child.stdin!.write(`from ${ms}\n`);
    },
    async stop(): Promise<ClientOutput> {
      for (const c of children) c.child.stdin!.write('stop\n');
      const outs = await Promise.all(children.map(async (c) => JSON.parse((await c.lines.next()).value as string) as ClientOutput));
      const hist = new Map<number, number>();
      for (const o of outs) for (const [ms, n] of o.histogram) hist.set(ms, (hist.get(ms) ?? 0) + n);
      return {
        counts: outs.flatMap((o) => o.counts), slow: outs.reduce((s, o) => s + o.slow, 0), otherErrors: outs.reduce((s, o) => s + o.otherErrors, 0),
        histogram: [...hist].sort((a, b) => a[0] - b[0]),
      };
    },
  };
}

async function runCase(brokers: string, lake: string, mode: Mode, rate: number, subs: number): Promise<CaseResult> {
  const topic = `bench-stream-${Date.now().toString(36)}`;
  const { app, url } = await startStreamingGateway(brokers, topic, lake);
  try {
    const clients = await startClients(url, subs, Math.min(subs, 100), subs >= 100 ? 2 : 1, mode);
    await waitUntil(() => app.services.streams!.hub.stats().subscriptions === subs, 60_000);
    const atHub = new Map<number, number>();
    const measureFrom = Date.now() + WARMUP_S * 1000;
    clients.measureFrom(measureFrom);
    let warmupMaxAtHub = 0;
    const detach = app.services.streams!.hub.attach((e) => {
      const latency = Date.now() - e.timestamp;
      if (e.timestamp < measureFrom) warmupMaxAtHub = Math.max(warmupMaxAtHub, latency);
      else atHub.set(latency, (atHub.get(latency) ?? 0) + 1);
    });
    const producer = runChild([resolve(repoRoot, 'bin/delta-gateway.mjs'), 'produce-demo', '--rate', String(rate), '--duration', `${DURATION_S + WARMUP_S}s`, '--brokers', brokers, '--topic', topic]);
    const summary = (await producer.lines.next()).value as string;
    const produced = Number(/produced (\d+)/.exec(summary)?.[1] ?? NaN);
    await new Promise((r) => setTimeout(r, 2_000)); // drain
    const out = await clients.stop();
    detach();
    const total = out.histogram.reduce((s, [, n]) => s + n, 0);
    const hubHist = [...atHub].sort((a, b) => a[0] - b[0]);
    const hubTotal = hubHist.reduce((s, [, n]) => s + n, 0);
    return {
      mode, rate, subs, produced, p50: percentile(out.histogram, total, 0.5), p99: percentile(out.histogram, total, 0.99),
      minDelivered: Math.min(...out.counts), meanDelivered: out.counts.reduce((a, b) => a + b, 0) / out.counts.length, slow: out.slow, errors: out.otherErrors,
      hubP50: percentile(hubHist, hubTotal, 0.5), hubP99: percentile(hubHist, hubTotal, 0.99), warmupMaxAtHub,
    };
  } finally {
    await app.close();
  }
}

/** A real gc() for the memory measurement, also without --expose-gc. */
function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Gateway heap + RSS growth per idle subscriber (1000 subscriptions on 100 sockets, nothing produced): `same`
 * subscriptions share one execution; `distinct` ones (each its own filter) each run their own.
 */
async function idleMemory(brokers: string, lake: string, mode: 'events' | 'distinct'): Promise<{ heapPerSub: number; rssPerSub: number }> {
  const { app, url } = await startStreamingGateway(brokers, `bench-idle-${Date.now().toString(36)}`, lake);
  const gc = gcFunction();
  try {
    gc();
    const before = process.memoryUsage();
    const clients = await startClients(url, 1000, 100, 1, mode);
    await waitUntil(() => app.services.streams!.hub.stats().subscriptions === 1000, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    gc();
    const after = process.memoryUsage();
    await clients.stop();
    return { heapPerSub: (after.heapUsed - before.heapUsed) / 1000, rssPerSub: (after.rss - before.rss) / 1000 };
  } finally {
    await app.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const brokers = kafkaBrokers();
  const lake = mkdtempSync(join(tmpdir(), 'dg-bench-stream-'));
  const results: CaseResult[] = [];
  try {
    for (const rate of RATES) {
      for (const subs of SUBSCRIBERS) {
        for (const mode of MODES) {
          const r = await runCase(brokers, lake, mode, rate, subs);
          process.stderr.write(`  ${mode} ${rate} ev/s x ${subs} subs: p50 ${r.p50} ms, p99 ${r.p99} ms (at hub ${r.hubP50}/${r.hubP99}; warm-up max at hub ${r.warmupMaxAtHub}), delivered min ${r.minDelivered} / ${r.produced}, slow ${r.slow}, errors ${r.errors}\n`);
          results.push(r);
        }
      }
    }
    const same = await idleMemory(brokers, lake, 'events');
    const distinct = await idleMemory(brokers, lake, 'distinct');
    process.stdout.write('| subscription | events/s | subscribers | produced | p50 ms | p99 ms | at hub p50/p99 ms | warm-up max at hub ms | delivered/subscriber (min, mean) | SLOW_CONSUMER |\n|---|---|---|---|---|---|---|---|---|---|\n');
    for (const r of results) {
      const name = r.mode === 'batches' ? `logEventBatches(maxWaitMs: ${BATCH_WAIT_MS})` : 'logEvents';
      process.stdout.write(`| ${name} | ${r.rate} | ${r.subs} | ${r.produced} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.hubP50)}/${ms(r.hubP99)} | ${r.warmupMaxAtHub} | ${r.minDelivered}, ${Math.round(r.meanDelivered)} | ${r.slow} |\n`);
    }
    const kib = (b: number) => (b / 1024).toFixed(1);
    process.stdout.write(`idle subscriber (gateway side, 1000 subs on 100 sockets): identical ${kib(same.heapPerSub)} KiB heap, ${kib(same.rssPerSub)} KiB RSS; distinct filters ${kib(distinct.heapPerSub)} KiB heap, ${kib(distinct.rssPerSub)} KiB RSS\n`);
    return results.map((r) => ({
      case: `P5 ${r.mode} ${r.rate / 1000}k ev/s x ${r.subs} subs (p50 latency)`, ours: [r.p50], baselineName: 'none', baseline: [],
      note: `p99 ${r.p99} ms (warm-up max at hub ${r.warmupMaxAtHub} ms); delivered min ${r.minDelivered}/${r.produced}; slow ${r.slow}`,
    }));
  } finally {
    rmSync(lake, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('subscriptions.bench.ts')) {
  await run();
  process.exit(0);
}
