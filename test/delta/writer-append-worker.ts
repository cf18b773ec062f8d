/**
 * A separate writer process for the concurrency tests:
 *   node bin/run-ts.mjs test/delta/writer-append-worker.ts <table> <worker> <batches> <rowsPerBatch> [appId]
 * Appends `batches` batches of rows with ids worker*1e6 + batch*1e3 + i. With an appId, each batch carries
 * txn (appId, batch) and ids do not depend on the worker, so two workers with the same appId replay each other.
 * Prints one JSON line per batch: {batch, status, version, attempts?}.
 */
import { appendRows } from '../../src/delta/writer/write/write-table.ts';
import { createDuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../../src/sources/duckdb/duckdb-sql-engine.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';

const [table, workerArg, batchesArg, rowsArg, appId] = process.argv.slice(2);
const worker = Number(workerArg);
const engine = await createDuckDbEngine({ poolSize: 1, threads: 1 });
const ctx = { storage: createLocalStorage(table!), sql: createDuckDbSqlEngine(engine), parquetReader: engine.parquetReader };
try {
  for (let batch = 0; batch < Number(batchesArg); batch++) {
    const base = (appId ? 0 : worker * 1_000_000) + batch * 1_000;
    const rows = Array.from({ length: Number(rowsArg) }, (_, i) => ({ id: base + i, worker, batch }));
    const r = await appendRows(ctx, rows, appId ? { txns: [{ appId, version: batch }] } : {});
    process.stdout.write(`${JSON.stringify({ batch, status: r.status, version: r.version })}\n`);
  }
} finally {
  await engine.close();
}
