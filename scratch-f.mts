import { readFileSync, existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createLocalStorage } from './src/sources/local-storage.ts';
import { createDuckDbEngine } from './src/sources/duckdb-engine.ts';
import { loadSnapshot } from './src/delta/load-snapshot.ts';
import { exportTable } from './src/sources/delta-scan.ts';
import { readCorpusIndex } from './test/support/corpus-index.ts';
const root = '/work/shared/delta-corpus';
const text = readFileSync(join(root, 'INDEX.md'), 'utf8');
const engine = await createDuckDbEngine();
const dir = mkdtempSync(join(tmpdir(), 'scan-'));
let i = 0;
for (const line of text.split('\n')) {
  const heading = /^## (\S+)/.exec(line); if (heading) (globalThis as any).group = heading[1];
  if (!line.startsWith('| ') || line.startsWith('| Table')) continue;
  const cells = line.split('|').slice(1, -1).map((c) => c.trim());
  const group = (globalThis as any).group as string;
  const live = cells.find((c) => /^\d+ files/.test(c)) ?? '';
  const m = /(\d+) rows(\(stats\))?/.exec(live);
  const logOnly = line.includes('LOG-ONLY');
  const path = join(root, group, cells[0]!, group === 'dat-early' ? 'delta' : '');
  if (!existsSync(path)) { console.log('MISSING', path); continue; }
  const t0 = Date.now();
  try {
    const storage = createLocalStorage(path);
    const snap = await loadSnapshot(storage, { parquetReader: engine.parquetReader });
    if (logOnly) { console.log('logonly', group, cells[0], snap.files.length); continue; }
    const r = await exportTable({ engine, storage, snapshot: snap, format: 'parquet', output: join(dir, `${i++}.parquet`) });
    const expected = m ? Number(m[1]) : undefined;
    console.log(r.rowsWritten === expected ? 'OK  ' : 'DIFF', group, cells[0], r.rowsWritten, expected, live, Date.now() - t0, 'ms');
  } catch (e: any) {
    console.log('ERR ', group, cells[0], e.code ?? e.name, (e.message as string).split('\n')[0].slice(0, 150));
  }
}
await engine.close();
