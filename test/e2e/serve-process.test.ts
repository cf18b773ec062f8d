/**
 * The real process: `delta-gateway serve` with a lake of one delta-rs table answers over HTTP on the port it
 * reports, and SIGTERM shuts it down gracefully (exit code 0, well inside SHUTDOWN_TIMEOUT_MS).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/services.ts';
import { writeWeblogs } from '../support/weblogs-fixture.ts';

const BIN = resolve(import.meta.dirname, '../../bin/delta-gateway.mjs');
let lake: string;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-serve-'));
  await writeWeblogs(join(lake, 'weblogs'));
});

afterAll(async () => {
  await rm(lake, { recursive: true, force: true });
});

describe('delta-gateway serve', () => {
  it('serves GraphQL and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LAKE_ROOT: lake, LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '3000', REDIS_URL: '', KAFKA_BROKERS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const url = await waitFor(() => /"url":"(http:\/\/127\.0\.0\.1:\d+\/graphql)"/.exec(out)?.[1], { timeoutMs: 30_000, what: 'listening line' });
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ weblogs { totalCount } }' }) });
      expect(((await res.json()) as any).data.weblogs.totalCount).toBe('10');
      const started = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(out).toContain('shutting down');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
