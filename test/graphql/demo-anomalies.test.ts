/**
 * The statistical anomaly detector, through GraphQL, finds every burst the demo lake injects at known times:
 * the checkout error burst (error rate), the search latency spike (p95) and the login 401 storm (error rate
 * when 4xx count as errors). Also: every GraphiQL default tab runs on the demo lake without errors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoLake, type DemoLake } from '../../src/demo/ensure-demo-lake.ts';
import { createDuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { GRAPHIQL_TABS } from '../../src/schema/graphiql-tabs.ts';
import { startGateway, stopGateways, type TestGateway } from '../support/gateway.ts';

let lake: string;
let demo: DemoLake;
let gw: TestGateway;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-demo-anomalies-'));
  const engine = await createDuckDbEngine();
  demo = await ensureDemoLake(lake, { rows: 300_000, days: 4, engine });
  await engine.close();
  gw = await startGateway({ LAKE_ROOT: lake });
});

afterAll(async () => {
  await stopGateways();
  await rm(lake, { recursive: true, force: true });
});

interface AnomalyRow { bucket: string; dimension: string; metric: string; score: number }

async function anomalies(extra = ''): Promise<AnomalyRow[]> {
  const res = await gw.gql(`{ analytics(table: "logs") { anomalies(interval: "5m", topN: 200 ${extra}) { bucket dimension metric score } } }`);
  expect(res.errors).toBeUndefined();
  return res.data!.analytics.anomalies;
}

function within(row: AnomalyRow, start: string, end: string): boolean {
  const t = Date.parse(row.bucket);
  return t >= Date.parse(start) - 5 * 60_000 && t < Date.parse(end);
}

describe('anomaly detection on the demo lake', () => {
  it('finds each injected burst in its window, on the right endpoint and metric', async () => {
    const defaults = await anomalies();
    const with4xx = await anomalies(', statusMin: 400');
    const expectations = { error_burst: ['ERROR_RATE', defaults], latency_spike: ['LATENCY_P95', defaults], auth_failures: ['ERROR_RATE', with4xx] } as const;
    expect(demo.anomalies.length).toBe(3);
    for (const injected of demo.anomalies) {
      const [metric, rows] = expectations[injected.kind];
      const hits = rows.filter((r) => r.dimension === injected.endpoint && r.metric === metric && within(r, injected.start, injected.end));
      expect(hits.length, `${injected.kind} on ${injected.endpoint} at ${injected.start}`).toBeGreaterThan(0);
      expect(Math.max(...hits.map((h) => h.score))).toBeGreaterThan(5);
    }
  });

  it('flags nothing outside the injected windows above a high score', async () => {
    const rows = await anomalies(', minScore: 20');
    const stray = rows.filter((r) => !demo.anomalies.some((a) => r.dimension === a.endpoint && within(r, a.start, a.end)));
    expect(stray).toEqual([]);
  });
});

describe('GraphiQL default tabs', () => {
  it('each runs on the demo lake and returns data without errors', async () => {
    for (const tab of GRAPHIQL_TABS) {
      const res = await gw.gql(tab.query);
      expect(res.errors, tab.query).toBeUndefined();
      const values = Object.values(res.data ?? {});
      expect(values.length, tab.query).toBeGreaterThan(0);
      expect(values.every((v) => v !== null), tab.query).toBe(true);
    }
  });
});
