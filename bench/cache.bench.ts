/**
 * P1: cache-hit throughput and latency of a typed GraphQL query through the gateway (buildApp, shared Redis),
 * 50 connections with autocannon (its own process), against a bare graphql-yoga server whose resolver does an
 * ioredis GET + JSON.parse of the same payload. Goal: ratio >= 0.8 and p99 <= 2x the baseline. Two gateway
 * variants: the default (in-process tier in front of Redis) and CACHE_LOCAL_TTL_MS=1 (every hit read from Redis).
 * All three servers run at once and are loaded in turn, round after round (BENCH_ROUNDS of BENCH_SECONDS each),
 * so load changes on a shared machine hit each alike; medians are reported. Run with `npm run bench -- cache`
 * or `node bin/run-ts.mjs bench/cache.bench.ts` (BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS).
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../src/sources/duckdb/duckdb-engine.ts';
import { appendItems } from '../test/support/items-table.ts';
import { listenApp } from '../test/support/gateway.ts';
import { autocannon, formatNumber, median, sharedRedisUrl, type BenchResult, type LoadResult } from './support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const QUERY = '{ items(first: 20, orderBy: [{ field: id, direction: DESC }]) { edges { node { id name price qty ts day note } } } }';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`)));
}

/** The baseline: same query shape, resolver = one ioredis GET of the response data + JSON.parse. */
async function startBaseline(redisUrl: string, data: unknown): Promise<{ url: string; close(): Promise<void> }> {
  const redis = new Redis(redisUrl);
  const key = `bench:baseline:${process.pid}`;
  await redis.set(key, JSON.stringify((data as { items: unknown }).items));
  const schema = createSchema({
    typeDefs: `
      enum SortDirection { ASC DESC }
      enum ItemsColumn { id name price qty ts day note }
      input ItemsOrderBy { field: ItemsColumn!, direction: SortDirection = ASC }
      type Item { id: String name: String price: Float qty: Int ts: String day: String note: String }
      type Edge { node: Item! }
      type Conn { edges: [Edge!]! }
      type Query { items(first: Int, orderBy: [ItemsOrderBy!]): Conn! }`,
    resolvers: { Query: { items: async () => JSON.parse((await redis.get(key))!) } },
  });
  const server = createServer(createYoga({ schema, logging: false, landingPage: false }));
  const url = await listen(server);
  return {
    url,
    async close() {
      await redis.del(key);
      redis.disconnect();
      await new Promise((r) => server.close(r));
    },
  };
}

async function post(url: string, body: string): Promise<{ data: unknown; extensions?: { delta?: { cache?: { status: string } } } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return (await res.json()) as never;
}

function summary(runs: LoadResult[]): LoadResult {
  const pick = (f: (r: LoadResult) => number) => median(runs.map(f));
  return { requestsPerSec: pick((r) => r.requestsPerSec), p50: pick((r) => r.p50), p99: pick((r) => r.p99), errors: pick((r) => r.errors), non2xx: pick((r) => r.non2xx) };
}

function line(name: string, r: LoadResult, base?: LoadResult): string {
  const ratio = base ? `  ratio ${formatNumber(r.requestsPerSec / base.requestsPerSec, 2)}  p99 x${formatNumber(r.p99 / Math.max(base.p99, 0.001), 2)}` : '';
  return `${name.padEnd(34)} ${formatNumber(r.requestsPerSec).padStart(8)} req/s  p50 ${formatNumber(r.p50, 1)} ms  p99 ${formatNumber(r.p99, 1)} ms  errors ${r.errors + r.non2xx}${ratio}`;
}

interface Contender {
  name: string;
  url: string;
  runs: LoadResult[];
  close(): Promise<void>;
}

/** Starts a gateway on the bench lake and checks that the query is a cache hit from its second run on. */
async function startGatewayContender(name: string, lake: string, redisUrl: string, engine: DuckDbEngine, body: string, extra: Record<string, string>) {
  const config = loadConfig({ LOG_LEVEL: 'silent', LAKE_ROOT: lake, DEMO_LAKE: 'false', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench-${process.pid}-${extra.CACHE_LOCAL_TTL_MS ?? 'd'}:`, ...extra });
  const { app, url: base } = await listenApp({ config, logger: createLogger('silent'), engine });
  const url = `${base}/graphql`;
  // Until the Redis client is connected, reads fail fast and nothing is cached: retry until a hit.
  let first = await post(url, body);
  let second = first;
  for (let tries = 0; tries < 50 && second.extensions?.delta?.cache?.status !== 'hit'; tries++) {
    await app.services.cache!.idle();
    await new Promise((r) => setTimeout(r, 100));
    second = await post(url, body);
    if (second.extensions?.delta?.cache?.status === 'miss') first = second;
  }
  if (second.extensions?.delta?.cache?.status !== 'hit') throw new Error(`${name}: expected a hit, got ${JSON.stringify(second.extensions ?? second)}`);
  const contender: Contender = {
    name, url, runs: [],
    async close() {
      const stats = app.services.cache!.stats();
      console.error(`  ${name}: cache stats hits=${stats.hits} (local ${stats.localHits}, redis ${stats.redisHits}) coalesced=${stats.coalesced} misses=${stats.misses} errors=${stats.errors}`);
      await app.services.cache!.purge('items');
      await app.close();
    },
  };
  return { contender, data: first.data };
}

/** Runs the comparison; prints the table and returns one runner row per gateway variant. */
export async function run(): Promise<BenchResult[]> {
  const redisUrl = sharedRedisUrl();
  const lake = await mkdtemp(join(tmpdir(), 'dg-bench-cache-'));
  const engine = await createDuckDbEngine();
  const contenders: Contender[] = [];
  try {
    await appendItems(engine, lake, 'items', 0, 100_000);
    const body = JSON.stringify({ query: QUERY });
    const local = await startGatewayContender('gateway (local tier + Redis)', lake, redisUrl, engine, body, {});
    contenders.push(local.contender);
    contenders.push((await startGatewayContender('gateway (every hit from Redis)', lake, redisUrl, engine, body, { CACHE_LOCAL_TTL_MS: '1' })).contender);
    const baseline = await startBaseline(redisUrl, local.data);
    contenders.unshift({ name: 'baseline (yoga + ioredis GET)', url: baseline.url, runs: [], close: baseline.close });
    for (const c of contenders) await autocannon(c.url, body, { connections: CONNECTIONS, seconds: 2 }); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of contenders) c.runs.push(await autocannon(c.url, body, { connections: CONNECTIONS, seconds: SECONDS }));
    }
    const [base, ...gateways] = contenders.map((c) => summary(c.runs));
    console.log(`P1 cache-hit throughput, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each (medians), payload ${JSON.stringify(local.data).length} bytes`);
    console.log(line(contenders[0]!.name, base!));
    gateways.forEach((g, i) => console.log(line(contenders[i + 1]!.name, g, base)));
    // Runner rows: ms per 1000 requests (the inverse of throughput), so the runner's ratio is baseline/ours req/s.
    const perThousand = (runs: LoadResult[]) => runs.map((r) => 1e6 / Math.max(r.requestsPerSec, 1e-9));
    return gateways.map((g, i) => ({
      case: `P1 cache hit, ${contenders[i + 1]!.name} (ms per 1000 req)`,
      ours: perThousand(contenders[i + 1]!.runs),
      baselineName: 'yoga + ioredis GET',
      baseline: perThousand(contenders[0]!.runs),
      note: `${formatNumber(g.requestsPerSec)} vs ${formatNumber(base!.requestsPerSec)} req/s = ${formatNumber(g.requestsPerSec / base!.requestsPerSec, 2)} (goal >= 0.8); p99 x${formatNumber(g.p99 / Math.max(base!.p99, 0.001), 2)} (goal <= 2)`,
    }));
  } finally {
    for (const c of contenders) await c.close().catch((e: Error) => console.error(`close failed: ${e.message}`));
    await engine.close();
    await rm(lake, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('cache.bench.ts')) await run();
