/**
 * P5, live fan-out: produce -> client receive latency (the event's own timestamp against the client's clock) at
 * 5k, 20k and 50k events/s with 1, 100 and 1000 graphql-ws subscribers, through buildApp over the shared Kafka
 * (scripts/services). Producer (`delta-gateway produce-demo`) and clients (bench/subscription-clients.ts) run as
 * child processes, the gateway in this one. Each case runs DURATION_S; reports p50/p99, events delivered per
 * subscriber against events produced, and SLOW_CONSUMER drops. Also the gateway's memory per idle subscriber.
 * Run alone: `node bin/run-ts.mjs bench/subscriptions.bench.ts` (or via `npm run bench -- subscriptions`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { repoRoot, type BenchResult } from './support.ts';

const DURATION_S = Number(process.env.BENCH_STREAM_SECONDS ?? 8);
const RATES = [5_000, 20_000, 50_000];
const SUBSCRIBERS = [1, 100, 1000];
const RUN_TS = resolve(repoRoot, 'bin/run-ts.mjs');

function kafkaBrokers(): string {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  const r = spawnSync('bash', [resolve(repoRoot, 'scripts/services'), 'up', 'kafka'], { encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
  if (!line) throw new Error(`scripts/services up kafka failed: ${r.stderr}`);
  return line.slice('KAFKA_BROKERS='.length).trim();
}

async function startGateway(brokers: string, topic: string, lake: string): Promise<{ app: App; url: string }> {
  const config = loadConfig({
    PORT: '0', LOG_LEVEL: 'silent', LAKE_ROOT: lake, DEMO_LAKE: 'false', KAFKA_BROKERS: brokers, KAFKA_LOGS_TOPIC: topic,
    SUBSCRIPTION_MAX_PER_CONNECTION: '1000', SHUTDOWN_TIMEOUT_MS: '2000',
  });
  const app = await buildApp({ config, logger: createLogger('silent') });
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  await app.services.streams!.hub.ready();
  return { app, url: `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql` };
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
  return NaN;
}

interface CaseResult { rate: number; subs: number; produced: number; p50: number; p99: number; minDelivered: number; meanDelivered: number; slow: number }

async function runCase(brokers: string, lake: string, rate: number, subs: number): Promise<CaseResult> {
  const topic = `bench-stream-${Date.now().toString(36)}`;
  const { app, url } = await startGateway(brokers, topic, lake);
  try {
    const clients = runChild([resolve(repoRoot, 'bench/subscription-clients.ts'), url, String(subs), String(Math.min(subs, 100))]);
    await clients.lines.next(); // ready
    await waitUntil(() => app.services.streams!.hub.stats().subscriptions === subs, 60_000);
    const producer = runChild([resolve(repoRoot, 'bin/delta-gateway.mjs'), 'produce-demo', '--rate', String(rate), '--duration', `${DURATION_S}s`, '--brokers', brokers, '--topic', topic]);
    const summary = (await producer.lines.next()).value as string;
    const produced = Number(/produced (\d+)/.exec(summary)?.[1] ?? NaN);
    await new Promise((r) => setTimeout(r, 2_000)); // drain
    clients.child.stdin!.write('stop\n');
    const out = JSON.parse((await clients.lines.next()).value as string) as { counts: number[]; slow: number; histogram: Array<[number, number]> };
    const total = out.histogram.reduce((s, [, n]) => s + n, 0);
    return {
      rate, subs, produced, p50: percentile(out.histogram, total, 0.5), p99: percentile(out.histogram, total, 0.99),
      minDelivered: Math.min(...out.counts), meanDelivered: out.counts.reduce((a, b) => a + b, 0) / out.counts.length, slow: out.slow,
    };
  } finally {
    await app.close();
  }
}

/** Gateway heap + RSS growth per idle subscriber (1000 subscriptions on 100 sockets, nothing produced). */
async function idleMemory(brokers: string, lake: string): Promise<{ heapPerSub: number; rssPerSub: number }> {
  const { app, url } = await startGateway(brokers, `bench-idle-${Date.now().toString(36)}`, lake);
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    gc?.();
    const before = process.memoryUsage();
    const clients = runChild([resolve(repoRoot, 'bench/subscription-clients.ts'), url, '1000', '100']);
    await clients.lines.next();
    await waitUntil(() => app.services.streams!.hub.stats().subscriptions === 1000, 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    gc?.();
    const after = process.memoryUsage();
    clients.child.stdin!.write('stop\n');
    await clients.lines.next();
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
        const r = await runCase(brokers, lake, rate, subs);
        process.stderr.write(`  ${rate} ev/s x ${subs} subs: p50 ${r.p50} ms, p99 ${r.p99} ms, delivered min ${r.minDelivered} / ${r.produced}, slow ${r.slow}\n`);
        results.push(r);
      }
    }
    const mem = await idleMemory(brokers, lake);
    process.stdout.write('| events/s | subscribers | produced | p50 ms | p99 ms | delivered/subscriber (min, mean) | SLOW_CONSUMER |\n|---|---|---|---|---|---|---|\n');
    for (const r of results) {
      process.stdout.write(`| ${r.rate} | ${r.subs} | ${r.produced} | ${r.p50} | ${r.p99} | ${r.minDelivered}, ${Math.round(r.meanDelivered)} | ${r.slow} |\n`);
    }
    process.stdout.write(`idle subscriber: ${(mem.heapPerSub / 1024).toFixed(1)} KiB heap, ${(mem.rssPerSub / 1024).toFixed(1)} KiB RSS (gateway side, 1000 subs on 100 sockets)\n`);
    return results.map((r) => ({
      case: `P5 ${r.rate / 1000}k ev/s x ${r.subs} subs (p50 latency)`, ours: [r.p50], baselineName: 'none', baseline: [],
      note: `p99 ${r.p99} ms; delivered min ${r.minDelivered}/${r.produced}; slow ${r.slow}`,
    }));
  } finally {
    rmSync(lake, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('subscriptions.bench.ts')) {
  await run();
  process.exit(0);
}
