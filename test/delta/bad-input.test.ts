/**
 * Damaged logs: copies of small corpus tables, broken on purpose. Each failure is a DeltaError with a stable code
 * and a message naming the file at fault.
 */
import { chmod, cp, mkdtemp, readdir, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeltaError } from '../../src/delta/errors.ts';
import { loadSnapshot, type LoadSnapshotOptions } from '../../src/delta/snapshot/load-snapshot.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { corpusTable, describeCorpus } from '../support/corpus.ts';

let engine: DuckDbEngine;
let scratch: string;
let n = 0;

/** A writable copy of a corpus table's `_delta_log/`. */
async function copyLog(table: string): Promise<string> {
  const dir = join(scratch, `t${n++}`);
  await cp(join(corpusTable(table), '_delta_log'), join(dir, '_delta_log'), { recursive: true });
  await chmod(join(dir, '_delta_log'), 0o755);
  for (const f of await readdir(join(dir, '_delta_log'))) await chmod(join(dir, '_delta_log', f), 0o644).catch(() => undefined);
  return dir;
}

async function failure(dir: string, opts: Partial<LoadSnapshotOptions> = {}): Promise<DeltaError> {
  try {
    await loadSnapshot(createLocalStorage(dir), { parquetReader: engine.parquetReader, ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(DeltaError);
    return e as DeltaError;
  }
  throw new Error(`expected ${dir} to fail`);
}

const load = (dir: string) => loadSnapshot(createLocalStorage(dir), { parquetReader: engine.parquetReader });
const log = (dir: string, v: number, ext = 'json') => join(dir, '_delta_log', `${String(v).padStart(20, '0')}.${ext}`);

describeCorpus('damaged logs', () => {
  beforeAll(async () => {
    engine = await createDuckDbEngine({ threads: 1 });
    scratch = await mkdtemp(join(tmpdir(), 'delta-bad-'));
  });
  afterAll(async () => {
    await engine?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('a corrupt JSON line is CORRUPT_LOG naming the commit and line', async () => {
    const dir = await copyLog('delta-rs/simple_table');
    const lines = (await readFile(log(dir, 2), 'utf8')).split('\n');
    lines[1] = lines[1]!.slice(0, 25);
    await writeFile(log(dir, 2), lines.join('\n'));
    const e = await failure(dir);
    expect(e.code).toBe('CORRUPT_LOG');
    expect(e.message).toContain('00000000000000000002.json');
    expect(e.message).toContain('line 2');
  });

  it('a truncated checkpoint is CORRUPT_LOG naming the checkpoint', async () => {
    const dir = await copyLog('delta-rs/simple_table_with_checkpoint');
    await truncate(log(dir, 10, 'checkpoint.parquet'), 100);
    const e = await failure(dir);
    expect(e.code).toBe('CORRUPT_LOG');
    expect(e.message).toContain('00000000000000000010.checkpoint.parquet');
  });

  it('a missing commit (gap) is CORRUPT_LOG naming the missing file', async () => {
    const dir = await copyLog('delta-rs/simple_table');
    await unlink(log(dir, 2));
    const e = await failure(dir);
    expect(e.code).toBe('CORRUPT_LOG');
    expect(e.message).toContain('00000000000000000002.json');
    const noZero = await copyLog('delta-rs/simple_table');
    await unlink(log(noZero, 0));
    expect((await failure(noZero)).code).toBe('CORRUPT_LOG');
  });

  it('a folder without _delta_log is TABLE_NOT_FOUND', async () => {
    const e = await failure(join(scratch, 'nothing-here'));
    expect(e.code).toBe('TABLE_NOT_FOUND');
    expect(e.message).toContain('nothing-here');
  });

  it('a version that does not exist is VERSION_NOT_FOUND; a time before the first commit TIMESTAMP_OUT_OF_RANGE', async () => {
    const dir = await copyLog('delta-rs/simple_table');
    const e = await failure(dir, { version: 99 });
    expect(e.code).toBe('VERSION_NOT_FOUND');
    expect(e.message).toMatch(/99.*latest version is 4/);
    expect((await failure(dir, { timestamp: new Date('2000-01-01') })).code).toBe('TIMESTAMP_OUT_OF_RANGE');
    const vacuumed = await copyLog('delta-rs/checkpoints_vacuumed');
    expect((await failure(vacuumed, { version: 2 })).code).toBe('VERSION_NOT_FOUND');
  });

  it('a corrupt or stale _last_checkpoint is ignored in favour of the listing', async () => {
    const dir = await copyLog('delta-rs/simple_table_with_checkpoint');
    await writeFile(join(dir, '_delta_log', '_last_checkpoint'), '{"version": 10, "size"');
    expect((await load(dir)).files).toHaveLength(11);
    await writeFile(join(dir, '_delta_log', '_last_checkpoint'), '{"version": 7, "size": 3, "parts": 4}');
    expect((await load(dir)).files).toHaveLength(11);
  });

  it('an incomplete multi-part checkpoint is skipped for the commits', async () => {
    const dir = await copyLog('delta-kernel-java/kernel-pagination-multi-part-checkpoints');
    const parts = (await readdir(join(dir, '_delta_log'))).filter((f) => f.includes('.checkpoint.'));
    expect(parts).toHaveLength(3);
    await unlink(join(dir, '_delta_log', parts[1]!));
    const s = await load(dir);
    expect([s.version, s.files.length]).toEqual([2, 20]);
  });
});
