/**
 * Helpers shared by the cache benchmarks: the services script (Redis), a throwaway redis-server, autocannon
 * run as its own process (so the load generator does not share the servers' event loop), and number formats.
 */
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** REDIS_URL from the environment, or the shared Redis started by scripts/services. */
export function sharedRedisUrl(): string {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const out = execFileSync('bash', [`${ROOT}/scripts/services`, 'up', 'redis'], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith('REDIS_URL='));
  if (!line) throw new Error('scripts/services did not report REDIS_URL');
  return line.slice('REDIS_URL='.length).trim();
}

export interface LoadResult {
  requestsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Runs autocannon (its CLI, a separate process) against a POST endpoint. */
export function autocannon(url: string, body: string, { connections = 50, seconds = 10, headers = {} as Record<string, string> } = {}): Promise<LoadResult> {
  const args = ['-c', String(connections), '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-b', body, '-j'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  return new Promise((resolve, reject) => {
    const child = spawn(`${ROOT}/node_modules/.bin/autocannon`, [...args, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err}`));
      const r = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number };
      resolve({ requestsPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx });
    });
  });
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
