/**
 * The shared Delta table corpus (tables written by Spark, delta-rs, the kernels, DuckDB): its location, the table
 * folders in it, and a describe wrapper that skips with a clear message when the corpus is absent.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `DELTA_CORPUS` when set, else `../shared/delta-corpus` relative to the repository root. */
export const corpusRoot = resolve(repoRoot, process.env.DELTA_CORPUS ?? '../shared/delta-corpus');

/** True when the corpus folder with its INDEX.md is present. */
export const hasCorpus = existsSync(join(corpusRoot, 'INDEX.md'));

/** `describe` that skips the block (naming the missing path) when the corpus is absent. */
export function describeCorpus(name: string, fn: () => void): void {
  const title = hasCorpus ? name : `${name} (skipped: no Delta corpus at ${corpusRoot}; set DELTA_CORPUS)`;
  describe.skipIf(!hasCorpus)(title, fn);
}

/** Absolute path of a corpus table, e.g. corpusTable('delta-rs/simple_table'). */
export function corpusTable(rel: string): string {
  return join(corpusRoot, rel);
}

/** Every folder under the corpus holding `_delta_log/`, as paths relative to the corpus root, sorted. */
export function listCorpusTables(): string[] {
  if (!hasCorpus) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (!statSync(p).isDirectory()) continue;
      if (name === '_delta_log') out.push(relative(corpusRoot, dir));
      else if (!name.startsWith('_') && !name.startsWith('.') && !name.includes('=')) walk(p);
    }
  };
  walk(corpusRoot);
  return out.sort();
}

export { readCorpusIndex, type CorpusIndexRow } from './corpus-index.ts';
