import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeltaError } from '../../src/delta/errors.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('local DeltaStorage', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'local-storage-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists files (not folders) sorted, and a missing folder as empty', async () => {
    const s = createLocalStorage(root);
    await mkdir(join(root, '_delta_log', '_sidecars'), { recursive: true });
    await writeFile(join(root, '_delta_log', 'b.json'), '12');
    await writeFile(join(root, '_delta_log', 'a.json'), '1');
    const list = await s.list('_delta_log');
    expect(list.map((f) => [f.path, f.size])).toEqual([['_delta_log/a.json', 1], ['_delta_log/b.json', 2]]);
    expect(list[0]!.modificationTime).toBeGreaterThan(0);
    expect(await s.list('missing')).toEqual([]);
  });

  it('reads, stats, and names the path of a missing file in IO_ERROR', async () => {
    const s = createLocalStorage(root);
    await s.write('x/y.txt', bytes('hello'));
    expect(text(await s.read('x/y.txt'))).toBe('hello');
    expect((await s.stat('x/y.txt'))?.size).toBe(5);
    expect(await s.stat('nope')).toBeUndefined();
    await expect(s.read('_delta_log/00000000000000000009.json')).rejects.toSatisfy(
      (e: unknown) => e instanceof DeltaError && e.code === 'IO_ERROR' && e.message.includes('00000000000000000009.json'),
    );
  });

  it('writeIfAbsent never overwrites, even when racing', async () => {
    const s = createLocalStorage(root);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s.writeIfAbsent('_delta_log/00000000000000000000.json', bytes(`w${i}`))));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(text(await s.read('_delta_log/00000000000000000000.json'))).toBe(`w${winner}`);
    expect((await s.list('_delta_log')).map((f) => f.path)).toEqual(['_delta_log/00000000000000000000.json']);
  });

  it('write replaces atomically and delete is idempotent', async () => {
    const s = createLocalStorage(root);
    await s.write('_delta_log/_last_checkpoint', bytes('a'));
    await s.write('_delta_log/_last_checkpoint', bytes('b'));
    expect(text(await s.read('_delta_log/_last_checkpoint'))).toBe('b');
    await s.delete('_delta_log/_last_checkpoint');
    await s.delete('_delta_log/_last_checkpoint');
    expect(await s.stat('_delta_log/_last_checkpoint')).toBeUndefined();
  });

  it('resolves URL-encoded relative paths and absolute URIs', () => {
    const s = createLocalStorage(root);
    expect(s.resolve('x=A%252FA/part%20one.parquet')).toBe(join(root, 'x=A%2FA', 'part one.parquet'));
    expect(s.resolve('ts=2021-01-01%2012%3A00%3A00/f.parquet')).toBe(join(root, 'ts=2021-01-01 12:00:00', 'f.parquet'));
    expect(s.resolve('100%/f.parquet')).toBe(join(root, '100%', 'f.parquet'));
    expect(s.resolve(pathToFileURL('/data/other table/f.parquet').href)).toBe('/data/other table/f.parquet');
    expect(s.resolve('s3://bucket/t/f.parquet')).toBe('s3://bucket/t/f.parquet');
  });
});
