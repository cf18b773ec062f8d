import { existsSync, readFileSync } from 'node:fs';
import { createSchema, createYoga } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createDuckDbEngine } from '../src/sources/duckdb-engine.ts';
import { appendItems } from '../test/support/cache-tables.ts';
const lake = '/tmp/dg-prof-lake';
const engine = await createDuckDbEngine();
if (!existsSync(lake + '/items/_delta_log')) await appendItems(engine, lake, 'items', 0, 100_000);
const config = loadConfig({ LOG_LEVEL: 'silent', LAKE_ROOT: lake, DEMO_LAKE: 'false', REDIS_URL: process.env.REDIS_URL!, REDIS_KEY_PREFIX: `ip-${process.pid}:`, ...(process.env.LOCAL_TTL ? { CACHE_LOCAL_TTL_MS: process.env.LOCAL_TTL } : {}) });
const app = await buildApp({ config, logger: createLogger('silent'), engine });
const gw = app.server.listeners('request')[0] as unknown as { fetch(url: string, init: RequestInit): Promise<Response> };
const redis = new Redis(process.env.REDIS_URL!);
const data = JSON.parse(readFileSync('/tmp/payload.json', 'utf8'));
await redis.set('ip-base', JSON.stringify(data.data.items));
const schema = createSchema({
  typeDefs: `enum SortDirection { ASC DESC } enum ItemsColumn { id name price qty ts day note }
    input ItemsOrderBy { field: ItemsColumn!, direction: SortDirection = ASC }
    type Item { id: String name: String price: Float qty: Int ts: String day: String note: String }
    type Edge { node: Item! } type Conn { edges: [Edge!]! } type Query { items(first: Int, orderBy: [ItemsOrderBy!]): Conn! }`,
  resolvers: { Query: { items: async () => JSON.parse((await redis.get('ip-base'))!) } },
});
const base = createYoga({ schema, logging: false, landingPage: false });
const body = JSON.stringify({ query: '{ items(first: 20, orderBy: [{ field: id, direction: DESC }]) { edges { node { id name price qty ts day note } } } }' });
async function load(y: typeof gw, n: number) {
  const t = process.cpuUsage();
  for (let i = 0; i < n; i += 50) await Promise.all(Array.from({ length: 50 }, async () => (await y.fetch('http://x/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text()));
  const c = process.cpuUsage(t);
  return (c.user + c.system) / n;
}
console.log((await (await gw.fetch('http://x/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text()).slice(-300));
await app.services.cache!.idle();
await load(gw, 2000); await load(base, 2000);
const g: number[] = [], b: number[] = [];
for (let r = 0; r < 7; r++) { g.push(await load(gw, 3000)); if (!process.env.GW_ONLY) b.push(await load(base, 3000)); }
const med = (x: number[]) => x.length ? x.sort((a, b) => a - b)[x.length >> 1]! : NaN;
console.log(`gateway ${med(g).toFixed(0)} us/req  baseline ${med(b).toFixed(0)} us/req  ratio(throughput) ${(med(b) / med(g)).toFixed(2)}   g=${g.map((x) => x.toFixed(0))} b=${b.map((x) => x.toFixed(0))}`);
console.log(JSON.stringify(app.services.cache!.stats()));
await redis.del('ip-base'); redis.disconnect(); await app.services.cache!.purge('items'); await app.close(); await engine.close();
