/**
 * `npm run bench [-- name…]`: runs every bench/*.bench.ts (or those whose name contains an argument) and prints
 * one table — case, our median, the baseline's median (same run, same machine) and their ratio. Each bench file
 * exports `run(): Promise<BenchResult[]>` and chooses its own number of runs.
 */
import { readdirSync } from 'node:fs';
import { type BenchResult, median } from './support.ts';

const filters = process.argv.slice(2);
const FILES = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts') && (filters.length === 0 || filters.some((x) => f.includes(x))))
  .sort()
  .map((f) => `./${f}`);

const results: BenchResult[] = [];
for (const file of FILES) {
  const mod = (await import(file)) as { run(): Promise<BenchResult[]> };
  process.stderr.write(`running ${file}\n`);
  results.push(...(await mod.run()));
}

const formatMs = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '-');
const rows = results.map((r) => {
  const [ours, base] = [median(r.ours), median(r.baseline)];
  return [r.case, formatMs(ours), `${formatMs(base)} (${r.baselineName})`, Number.isFinite(base) ? (ours / base).toFixed(2) : '-', r.note ?? ''];
});
const header = ['case', 'ours median ms', 'baseline median ms', 'ratio', 'note'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
process.stdout.write([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n');
