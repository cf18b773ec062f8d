import { createDuckDbEngine } from './src/sources/duckdb-engine.ts';
import { readTable } from './test/support/scan-helpers.ts';
const engine = await createDuckDbEngine();
for (const t of ['delta-kernel-rs/mixed-nulls', 'delta-kernel-rs/data-reader-timestamp_ntz', 'delta-rs/delta-0.8.0-special-partition', 'delta-rs/partition-type-primitives', 'delta-kernel-rs/timestamp-partitioned-table', 'delta-rs/table_with_edge_timestamps','delta-rs/delta-2.2.0-partitioned-types']) {
  const { snapshot, rows } = await readTable(engine, '/work/shared/delta-corpus/' + t);
  console.log(t, JSON.stringify(snapshot.schema.fields.map(f => [f.name, (f.type as any).name ?? f.type.kind])), snapshot.partitionColumns, JSON.stringify(snapshot.files.map(f => f.partitionValues)));
  console.log(JSON.stringify(rows));
}
await engine.close();
