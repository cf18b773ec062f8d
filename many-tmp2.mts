import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createDuckDbEngine } from './src/sources/duckdb-engine.ts';
import { createLocalStorage } from './src/sources/local-storage.ts';
import { loadSnapshot } from './src/delta/load-snapshot.ts';
import { planScan } from './src/delta/scan-planner.ts';
import { buildScanSql } from './src/delta/scan-sql.ts';
const engine = await createDuckDbEngine();
const root = mkdtempSync(join(tmpdir(), 'many-'));
mkdirSync(join(root, '_delta_log'));
const N = 2000;
await engine.query(`COPY (SELECT i::BIGINT id, i*2.0 v FROM range(1000) t(i)) TO '${root}/template.parquet' (FORMAT parquet)`);
const lines = [JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }), JSON.stringify({ metaData: { id: 'x', format: { provider: 'parquet' }, schemaString: JSON.stringify({ type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }, { name: 'v', type: 'double', nullable: true, metadata: {} }, { name: 'p', type: 'string', nullable: true, metadata: {} }] }), partitionColumns: ['p'], configuration: {} } })];
for (let i = 0; i < N; i++) { mkdirSync(join(root, `p=${i}`)); copyFileSync(join(root, 'template.parquet'), join(root, `p=${i}`, 'f.parquet')); lines.push(JSON.stringify({ add: { path: `p=${i}/f.parquet`, partitionValues: { p: String(i) }, size: 1, modificationTime: 0, dataChange: true } })); }
writeFileSync(join(root, '_delta_log', '00000000000000000000.json'), lines.join('\n'));
const storage = createLocalStorage(root);
const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader });
const { sql } = buildScanSql(planScan(snapshot, { columns: ['p', 'v'] }), { locate: (a) => storage.resolve(a.path) });
const variants: Record<string, string> = {
  ours: sql,
  noUnion: sql.replace(', union_by_name = true', ''),
  noJoinUnion: `SELECT v FROM read_parquet([${snapshot.files.map(f => `'${storage.resolve(f.path)}'`).join(',')}], union_by_name = true)`,
  noJoinList: `SELECT v FROM read_parquet([${snapshot.files.map(f => `'${storage.resolve(f.path)}'`).join(',')}])`,
};
for (let k = 0; k < 2; k++) for (const [name, s] of Object.entries(variants)) {
  const t = performance.now();
  await engine.query(`SELECT count(*) n, sum(v) FROM (${s}) x`);
  console.log(name, (performance.now() - t).toFixed(0), 'ms');
}
await engine.close();
