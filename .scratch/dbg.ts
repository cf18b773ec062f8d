import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '/work/main/src/app.ts';
import { loadConfig } from '/work/main/src/config.ts';
import { createLogger } from '/work/main/src/logger.ts';
import { createDuckDbEngine } from '/work/main/src/sources/duckdb-engine.ts';
import { appendItems } from '/work/main/test/support/cache-tables.ts';
const lake = await mkdtemp(join(tmpdir(), 'dbg-'));
const engine = await createDuckDbEngine();
await appendItems(engine, lake, 'items', 0, 100_000);
const config = loadConfig({ LOG_LEVEL: 'silent', LAKE_ROOT: lake, DEMO_LAKE: 'false', REDIS_URL: process.env.REDIS_URL!, REDIS_KEY_PREFIX: `dbg-${process.pid}:` });
const app = await buildApp({ config, logger: createLogger('silent'), engine });
const cache = app.services.cache!;
const orig = cache.keyFor.bind(cache);
(cache as any).keyFor = (t: string, v: number, sql: string, p: unknown[]) => { const k = orig(t, v, sql, p); console.log(k, sql.length, String(p)); return k; };
await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`;
const body = JSON.stringify({ query: '{ items(first: 20, orderBy: [{ field: id, direction: DESC }]) { edges { node { id name price qty ts day note } } } }' });
for (let i = 0; i < 3; i++) {
  const r = await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
  console.log(JSON.stringify(r).slice(0,400));
  await cache.idle();
}
await app.close(); await engine.close();
