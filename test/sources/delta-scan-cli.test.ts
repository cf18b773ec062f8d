/** The export and inspect commands, run as the real CLI (`node bin/delta-gateway.mjs`) on corpus tables. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { corpusTable, describeCorpus } from '../support/corpus.ts';

const bin = resolve(import.meta.dirname, '../../bin/delta-gateway.mjs');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

describeCorpus('delta-gateway export / inspect', () => {
  const multi = corpusTable('dat-early/multi_partitioned/delta');
  const dir = mkdtempSync(join(tmpdir(), 'delta-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports csv to stdout with partition columns and a raw --where', async () => {
    const r = await cli(['export', multi, '--version', '1', '--columns', 'letter,number', '--where', 'letter IS NULL OR number > 3']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.trim().split('\n').sort()).toEqual([',5', 'a,4', 'letter,number']);
  });

  it('exports JSON lines and parquet files', async () => {
    const jsonl = await cli(['export', multi, '--format', 'jsonl']);
    expect(jsonl.code).toBe(0);
    expect(jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l).letter).sort()).toEqual(['/%20%f', 'b']);
    const output = join(dir, 'out.parquet');
    const parquet = await cli(['export', multi, '--output', output]);
    expect(parquet).toMatchObject({ code: 0, stderr: `wrote 2 rows to ${output}\n` });
    expect(readFileSync(output).subarray(0, 4).toString()).toBe('PAR1');
  });

  it('exports the version as of a timestamp', async () => {
    const r = await cli(['export', multi, '--timestamp', '2022-11-19T03:56:26Z', '--columns', 'number']);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['1', '2', '3', 'number']);
  });

  it('writes the change data feed as JSON lines with change type, version and timestamp', async () => {
    const r = await cli(['changes', corpusTable('delta-kernel-rs/cdf-table-with-dv'), '--from', '1', '--to', '3']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { value: number; _change_type: string; _commit_version: number });
    const text = rows.map((x) => `${x._commit_version}:${x._change_type}:${x.value}`).sort();
    expect(text).toEqual(['1:delete:0', '1:delete:9', '2:insert:0', '2:insert:9', '3:delete:0', '3:delete:1', '3:delete:4', '3:delete:5']);
  });

  it('inspects deletion-vector row counts and domain metadata', async () => {
    const dv = JSON.parse((await cli(['inspect', corpusTable('delta-spark/table-with-dv-large'), '--json'])).stdout);
    expect(dv).toMatchObject({ rowCount: 1993, deletedRows: 11, filesWithDeletionVectors: 8 });
    const liquid = JSON.parse((await cli(['inspect', corpusTable('delta-rs/table_with_liquid_clustering'), '--json'])).stdout);
    expect(Object.keys(liquid.domainMetadata).sort()).toEqual(['delta.liquid', 'delta.rowTracking']);
  });

  it('inspects a table as text and JSON', async () => {
    const text = await cli(['inspect', multi]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('partitions:  letter, date, data');
    const json = JSON.parse((await cli(['inspect', corpusTable('delta-kernel-rs/parsed-stats'), '--json'])).stdout);
    expect(json).toMatchObject({ version: 5, fileCount: 6, rowCount: 600, protocol: { minReaderVersion: 1 } });
    expect(json.metadata.id).toEqual(expect.any(String));
    const older = JSON.parse((await cli(['inspect', multi, '--version', '0', '--json'])).stdout);
    expect(older).toMatchObject({ version: 0, fileCount: 3, rowCount: 3, partitionColumns: ['letter', 'date', 'data'] });
  });

  const refusals: [string, string[], string][] = [
    ['a missing version', ['export', multi, '--version', '9'], 'VERSION_NOT_FOUND'],
    ['an unknown reader feature', ['export', corpusTable('delta-kernel-rs/table-with-geo')], 'UNSUPPORTED_FEATURE'],
    ['changes without --from', ['changes', multi], 'BAD_USAGE'],
    ['changes from after the end', ['changes', multi, '--from', '2', '--to', '1'], 'INVALID_ARGUMENT'],
    ['a folder without a table', ['inspect', dir], 'TABLE_NOT_FOUND'],
    ['an unknown column', ['export', multi, '--columns', 'nope'], 'INVALID_ARGUMENT'],
    ['a bad --where', ['export', multi, '--where', 'nope = 1'], 'INVALID_ARGUMENT'],
    ['an unknown option', ['export', multi, '--bogus'], 'BAD_USAGE'],
    ['parquet to stdout', ['export', multi, '--format', 'parquet'], 'BAD_USAGE'],
    ['both version and timestamp', ['inspect', multi, '--version', '1', '--timestamp', '2022-01-01'], 'BAD_USAGE'],
  ];
  for (const [name, args, code] of refusals) {
    it(`refuses ${name}: exit 2, one "error ${code}:" line`, async () => {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^error ${code}: [^\\n]+\\n$`));
    });
  }
});
