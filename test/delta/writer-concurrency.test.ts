/**
 * Optimistic concurrency across processes: several writer processes append to one table at once; afterwards
 * every row is there exactly once, the log has no gaps, and delta-rs agrees. Two processes replaying the same
 * txn-tagged batches commit each batch exactly once.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import type { StructType } from '../../src/delta/snapshot/schema-types.ts';
import { field, primitive } from '../../src/delta/writer/write/schema-json.ts';
import { writeTable } from '../../src/delta/writer/write/write-table.ts';
import { createWriterFixture, readDeltaRs, readOurs, type WriterFixture } from './writer-fixture.ts';

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [field('id', primitive('long'), false), field('worker', primitive('integer')), field('batch', primitive('integer'))],
};

function runWorker(args: string[]): Promise<Array<{ batch: number; status: string; version: number }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/run-ts.mjs', 'test/delta/writer-append-worker.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('close', (code) =>
      code === 0 ? resolve(out.trim().split('\n').map((l) => JSON.parse(l))) : reject(new Error(`worker ${args.join(' ')} exited ${code}: ${err}`)),
    );
  });
}

async function commitVersions(dir: string): Promise<number[]> {
  return (await readdir(join(dir, '_delta_log'))).filter((n) => /^\d{20}\.json$/.test(n)).map((n) => Number(n.slice(0, 20))).sort((a, b) => a - b);
}

let f: WriterFixture;
beforeAll(async () => {
  f = await createWriterFixture();
});
afterAll(async () => {
  await f?.close();
});

describe('concurrent writer processes', () => {
  it('append from 4 processes: every row exactly once, no gaps in the log', { timeout: 180_000 }, async () => {
    const dir = join(f.dir, 'conc');
    await writeTable(f.ctx('conc'), { rows: [] }, { schema: SCHEMA });
    const WORKERS = 4;
    const BATCHES = 6;
    const ROWS = 25;
    const results = await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker([dir, String(w + 1), String(BATCHES), String(ROWS)])));
    const versions = results.flat().map((r) => r.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: WORKERS * BATCHES }, (_, i) => i + 1));
    expect(await commitVersions(dir)).toEqual(Array.from({ length: WORKERS * BATCHES + 1 }, (_, i) => i));
    const expectedIds = Array.from({ length: WORKERS }, (_, w) => Array.from({ length: BATCHES }, (_, b) => Array.from({ length: ROWS }, (_, i) => (w + 1) * 1_000_000 + b * 1_000 + i))).flat(2).sort((a, b) => a - b);
    const ours = (await readOurs(f, 'conc')).map((r) => Number(r.id)).sort((a, b) => a - b);
    expect(ours).toEqual(expectedIds);
    const rs = await readDeltaRs(dir);
    expect(rs.version).toBe(WORKERS * BATCHES);
    expect(rs.rows.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual(expectedIds);
  });

  it('two processes replaying the same txn-tagged batches commit each batch once', { timeout: 180_000 }, async () => {
    const dir = join(f.dir, 'replay');
    await writeTable(f.ctx('replay'), { rows: [] }, { schema: SCHEMA });
    const BATCHES = 5;
    const results = await Promise.all([1, 2].map((w) => runWorker([dir, String(w), String(BATCHES), '10', 'topic-7'])));
    for (let b = 0; b < BATCHES; b++) {
      const statuses = results.map((r) => r.find((x) => x.batch === b)!.status).sort();
      expect(statuses).toContain('committed');
    }
    const ids = (await readOurs(f, 'replay')).map((r) => Number(r.id)).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: BATCHES }, (_, b) => Array.from({ length: 10 }, (_, i) => b * 1_000 + i)).flat());
    const snapshot = await loadSnapshot(f.ctx('replay').storage, { parquetReader: f.engine.parquetReader });
    expect(snapshot.appTransactions.get('topic-7')?.version).toBe(BATCHES - 1);
  });
});
