import { createLocalStorage } from './src/sources/local-storage.ts';
import { createDuckDbEngine } from './src/sources/duckdb-engine.ts';
import { loadSnapshot } from './src/delta/load-snapshot.ts';
import { scanTable } from './src/sources/delta-scan.ts';
const engine = await createDuckDbEngine();
for (const t of ['dat-early/multi_partitioned/delta', 'dat-early/with_schema_change/delta', 'delta-kernel-rs/basic-decimal-table', 'delta-kernel-rs/data-reader-timestamp_ntz', 'delta-kernel-rs/mixed-nulls']) {
  const storage = createLocalStorage('/work/shared/delta-corpus/' + t);
  const snap = await loadSnapshot(storage, { parquetReader: engine.parquetReader });
  const r = await scanTable({ engine, storage, snapshot: snap });
  console.log(t, r.stats, r.columns.map(c => c.name), r.rows.slice(0, 5));
}
await engine.close();
