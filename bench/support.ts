/**
 * Shared pieces of the benchmarks: timing and medians, the result row every bench file returns, running a
 * Python snippet with delta-rs (DELTA_RS_PYTHON, else the venv scripts/services creates) that prints JSON, the
 * shared Redis, autocannon run as its own process (so the load generator does not share the servers' event
 * loop), and number formats.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

/** One line of the printed table: our timings against a baseline's, both in ms. */
export interface BenchResult {
  case: string;
  ours: number[];
  baselineName: string;
  baseline: number[];
  note?: string;
}

export const repoRoot = resolve(import.meta.dirname, '..');
export const corpusRoot = resolve(repoRoot, process.env.DELTA_CORPUS ?? '../shared/delta-corpus');

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed (ms each). */
export async function timeRuns(runs: number, fn: () => Promise<unknown>, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/**
 * Like timeRuns for several contenders at once, alternating them within each round so that load changes on a
 * shared machine hit every contender alike. Returns one timing list per function.
 */
export async function timeInterleaved(runs: number, fns: (() => Promise<unknown>)[], warmup = 1): Promise<number[][]> {
  const times = fns.map(() => [] as number[]);
  for (let round = 0; round < warmup + runs; round++) {
    for (const [i, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn();
      if (round >= warmup) times[i]!.push(performance.now() - t0);
    }
  }
  return times;
}

export function pythonPath(): string {
  const python = process.env.DELTA_RS_PYTHON ?? resolve(repoRoot, '.services/venv/bin/python');
  if (!existsSync(python)) throw new Error(`no delta-rs python at ${python}: run scripts/services up deltars or set DELTA_RS_PYTHON`);
  return python;
}

/** Runs Python code with `INPUT` (JSON) defined; its last stdout line must be JSON, which is returned. */
export function runPythonJson<T>(code: string, input: unknown): T {
  const prelude = 'import json, sys\nINPUT = json.loads(sys.argv[1])\n';
  // Leaves with os._exit: delta-rs's native threads can abort a finishing interpreter (delta-io/delta-rs#2184).
  const epilogue = '\nimport os as _os_exit\nsys.stdout.flush()\n_os_exit._exit(0)\n';
  const r = spawnSync(pythonPath(), ['-c', prelude + code + epilogue, JSON.stringify(input)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** Starts `service` with scripts/services (idempotent: a running one is reused) and returns its `key` line's value. */
export function serviceValue(service: string, key: string): string {
  const out = execFileSync('bash', [resolve(repoRoot, 'scripts/services'), 'up', service], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith(`${key}=`));
  if (!line) throw new Error(`scripts/services up ${service} did not report ${key}`);
  return line.slice(key.length + 1).trim();
}

/** REDIS_URL from the environment, or the shared Redis started by scripts/services. */
export function sharedRedisUrl(): string {
  return process.env.REDIS_URL || serviceValue('redis', 'REDIS_URL');
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
    const child = spawn(`${repoRoot}/node_modules/.bin/autocannon`, [...args, url], { stdio: ['ignore', 'pipe', 'pipe'] });
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

/** A number with thousands separators and exactly `digits` decimals (default 0), e.g. `1,234.5`. */
export const formatNumber = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
