/**
 * P1: cache-hit throughput and latency of a typed GraphQL query through the gateway (buildApp, shared Redis),
 * 50 connections for ~10 s with autocannon, against a bare graphql-yoga server whose resolver does an ioredis
 * GET + JSON.parse of the same payload, in the same run. Goal: ratio >= 0.8 and p99 <= 2x the baseline.
 * Two gateway variants: the default (in-process tier in front of Redis) and CACHE_LOCAL_TTL_MS=1 (every hit
 * read from Redis). Run: `node bin/run-ts.mjs bench/cache.bench.ts` (BENCH_SECONDS, BENCH_CONNECTIONS).
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createDuckDbEngine } from '../src/sources/duckdb-engine.ts';
import { appendItems } from '../test/support/cache-tables.ts';
import { autocannon, fmt, sharedRedisUrl, type LoadResult } from './bench-support.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
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

function line(name: string, r: LoadResult, base?: LoadResult): string {
  const ratio = base ? `  ratio ${fmt(r.requestsPerSec / base.requestsPerSec, 2)}  p99 x${fmt(r.p99 / Math.max(base.p99, 0.001), 2)}` : '';
  return `${name.padEnd(34)} ${fmt(r.requestsPerSec).padStart(8)} req/s  p50 ${fmt(r.p50, 1)} ms  p99 ${fmt(r.p99, 1)} ms  errors ${r.errors + r.non2xx}${ratio}`;
}

async function main() {
  const redisUrl = sharedRedisUrl();
  const lake = await mkdtemp(join(tmpdir(), 'dg-bench-cache-'));
  const engine = await createDuckDbEngine();
  try {
    await appendItems(engine, lake, 'items', 0, 100_000);
    const body = JSON.stringify({ query: QUERY });
    const results: [string, LoadResult][] = [];
    let payload: unknown;
    for (const [name, extra] of [['gateway (local tier + Redis)', {}], ['gateway (every hit from Redis)', { CACHE_LOCAL_TTL_MS: '1' }]] as const) {
      const config = loadConfig({ LOG_LEVEL: 'silent', LAKE_ROOT: lake, DEMO_LAKE: 'false', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `bench-${process.pid}:`, ...extra });
      const app = await buildApp({ config, logger: createLogger('silent'), engine });
      const url = await listen(app.server);
      const first = await post(url, body);
      await app.services.cache!.idle();
      const second = await post(url, body);
      if (second.extensions?.delta?.cache?.status !== 'hit') throw new Error(`expected a hit, got ${JSON.stringify(second.extensions)}`);
      payload = first.data;
      await autocannon(url, body, { connections: CONNECTIONS, seconds: 2 }); // warm-up
      results.push([name, await autocannon(url, body, { connections: CONNECTIONS, seconds: SECONDS })]);
      const stats = app.services.cache!.stats();
      console.error(`  ${name}: cache stats hits=${stats.hits} (local ${stats.localHits}, redis ${stats.redisHits}) misses=${stats.misses} errors=${stats.errors}`);
      await app.services.cache!.purge('items');
      await app.close();
    }
    const baseline = await startBaseline(redisUrl, payload);
    await autocannon(baseline.url, body, { connections: CONNECTIONS, seconds: 2 });
    const base = await autocannon(baseline.url, body, { connections: CONNECTIONS, seconds: SECONDS });
    await baseline.close();
    console.log(`P1 cache-hit throughput, ${CONNECTIONS} connections, ${SECONDS} s each, payload ${JSON.stringify(payload).length} bytes`);
    console.log(line('baseline (yoga + ioredis GET)', base));
    for (const [name, r] of results) console.log(line(name, r, base));
  } finally {
    await engine.close();
    await rm(lake, { recursive: true, force: true });
  }
}

await main();
