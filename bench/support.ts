/**
 * Shared pieces of the benchmarks: timing and medians, the result row every bench file returns, and running a
 * Python snippet with delta-rs (DELTA_RS_PYTHON, else the venv scripts/services creates) that prints JSON.
 */
import { spawnSync } from 'node:child_process';
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
