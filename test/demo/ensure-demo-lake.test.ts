/** The demo lake: created once with one commit per day, reused afterwards, and its anomalies are in the data. */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDemoLake } from '../../src/demo/ensure-demo-lake.ts';
import { createWriterFixture, readDeltaRs, type WriterFixture } from '../delta/writer-fixture.ts';

let f: WriterFixture;
beforeAll(async () => {
  f = await createWriterFixture();
});
afterAll(async () => {
  await f?.close();
});

it('creates logs and users once, reuses them, and injects the recorded anomalies', async () => {
  const lake = join(f.dir, 'lake');
  const first = await ensureDemoLake(lake, { rows: 30_000, days: 3, startDate: '2024-05-06', engine: f.engine });
  expect(first).toMatchObject({ created: true, rows: 30_000, days: 3 });
  const again = await ensureDemoLake(lake, { rows: 999, days: 9, engine: f.engine });
  expect(again).toMatchObject({ created: false, rows: 30_000, days: 3, startDate: '2024-05-06' });

  const logs = join(lake, 'logs');
  const [count] = await f.engine.query(`SELECT count(*) AS n, count(DISTINCT date) AS days FROM read_parquet('${logs}/*/*.parquet', hive_partitioning = true)`);
  expect(count).toMatchObject({ n: 30_000n, days: 3n });
  const burst = first.anomalies.find((a) => a.kind === 'error_burst')!;
  const [rates] = await f.engine.query(
    `SELECT avg(CASE WHEN status >= 500 THEN 1 ELSE 0 END) FILTER (WHERE timestamp >= $1::TIMESTAMPTZ AND timestamp < $2::TIMESTAMPTZ) AS inside,
            avg(CASE WHEN status >= 500 THEN 1 ELSE 0 END) FILTER (WHERE timestamp < $1::TIMESTAMPTZ) AS before
     FROM read_parquet('${logs}/*/*.parquet') WHERE source = $3`,
    [burst.start, burst.end, burst.source],
  );
  expect(Number(rates!.inside)).toBeGreaterThan(0.4);
  expect(Number(rates!.before)).toBeLessThan(0.05);
  const rs = await readDeltaRs(logs);
  expect(rs).toMatchObject({ version: 2 });
  expect(rs.rows).toHaveLength(30_000);
  expect((await readDeltaRs(join(lake, 'users'))).rows).toHaveLength(150);
});
