/**
 * The maintenance commands as the real CLI (`node bin/delta-gateway.mjs`) on a delta-rs table: history, optimize
 * (compacts two files into one), vacuum --dry-run, restore; refusals exit 2 with one `error CODE:` line.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendWeblogs, weblogRow, writeWeblogs } from '../support/weblogs-fixture.ts';

const BIN = resolve(import.meta.dirname, '../../bin/delta-gateway.mjs');
let dir: string;
let table: string;

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dg-maint-cli-'));
  table = join(dir, 'weblogs');
  await writeWeblogs(table);
  // A second file in the 2024-05-01 partition, so optimize has something to compact.
  await appendWeblogs(table, [weblogRow(11, '2024-05-01T11:00:00Z', 'INFO', '/api/users', 200, 90, 4, 's6', 'late')]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('maintenance CLI', () => {
  it('prints history as JSON, newest first', async () => {
    const r = await cli(['history', table, '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { version: number }[]).map((e) => e.version)).toEqual([2, 1, 0]);
  });

  it('optimizes, dry-runs vacuum, and restores', async () => {
    const optimize = await cli(['optimize', table]);
    expect(optimize.code).toBe(0);
    const inspect = await cli(['inspect', table, '--json']);
    const info = JSON.parse(inspect.stdout) as { version: number };
    expect(info.version).toBe(3);
    const history = JSON.parse((await cli(['history', table, '--json', '--limit', '1'])).stdout) as { operation: string }[];
    expect(history[0]!.operation).toBe('OPTIMIZE');
    const vacuum = await cli(['vacuum', table, '--dry-run', '--retain', '0h', '--force']);
    expect(vacuum.code).toBe(0);
    const restore = await cli(['restore', table, '--version', '0']);
    expect(restore.code).toBe(0);
    const after = JSON.parse((await cli(['inspect', table, '--json'])).stdout) as { version: number };
    expect(after.version).toBe(4);
  });

  it('refuses bad input with exit 2 and one line', async () => {
    for (const args of [['restore', table, '--version', '99'], ['vacuum', table, '--retain', '1h'], ['optimize', join(dir, 'nope')], ['history', table, '--bogus']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^error [A-Z_]+: [^\n]+\n$/);
    }
  });

  it('prints the usage line and exits 0 on --help, with or without a table', async () => {
    const commands = ['optimize', 'vacuum', 'restore', 'history', 'inspect', 'export', 'changes', 'warm'];
    const runs = await Promise.all(commands.map((c) => cli(c === 'vacuum' ? [c, table, '-h'] : [c, '--help'])));
    runs.forEach((r, i) => {
      expect(r.code, commands[i]).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^usage: delta-gateway ${commands[i]} <table[^\n]*\n$`));
      expect(r.stderr).toBe('');
    });
  });
});
