/**
 * What a scan's SQL needs from its data files besides the plan (DESIGN.md decision 2): their columns and parquet
 * field ids (footers read once per file, cached), how DuckDB reads their variants, and their deletion vectors
 * decoded and registered in DuckDB once per DV (deleted-rows.ts). Spread into buildScanSql's options.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { columnMappingModeOf, hasVariant, DeltaError, type ScanPlan, type ScanSqlOptions, ensureScannable, quoteString, type DeltaStorage } from '../../delta/index.ts';
import { createDeletedRowsRegistry, type DeletedRowsRegistry, loadDeletedRows } from './deleted-rows.ts';
import type { DuckDbEngine } from './duckdb-engine.ts';
import { createParquetColumnCache, type FileColumns, fieldIdNames } from './parquet-columns.ts';

/** The process's cache of data file footers (files are immutable). */
export const columnCache = createParquetColumnCache();
const registries = new WeakMap<DuckDbEngine, DeletedRowsRegistry>();

/** The data files' columns, read on `c` (footers once per file, cached). */
export function fileColumnsOn(c: DuckDBConnection, locations: readonly string[]): Promise<FileColumns> {
  return columnCache.columnsOf(c, locations);
}

/** The engine's registry of deleted rows (one table per DuckDB instance). */
export function deletedRowsRegistry(engine: DuckDbEngine): DeletedRowsRegistry {
  let registry = registries.get(engine);
  if (!registry) registries.set(engine, (registry = createDeletedRowsRegistry()));
  return registry;
}

/** What buildScanSql needs from the data files besides the plan: their columns, field ids and deleted rows. */
export type ScanContext = Pick<ScanSqlOptions, 'locate' | 'presentColumns' | 'uniformColumns' | 'deletedRows' | 'fieldIdNames' | 'variants'>;

/**
 * How DuckDB reads this table's variants: as its own VARIANT type (files whose metadata marks the column; DuckDB
 * then also re-assembles shredded values) or as the {value, metadata} binary pair. Binary pairs with a
 * `typed_value` (shredded without the marking) would need re-assembly we do not do, and are refused.
 */
async function variantEncoding(c: DuckDBConnection, plan: ScanPlan, locations: string[]): Promise<'binary' | 'native' | undefined> {
  if (locations.length === 0 || !plan.snapshot.schema.fields.some((f) => hasVariant(f.type))) return undefined;
  const files = locations.map(quoteString).join(', ');
  let types: string[];
  try {
    const reader = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet([${files}], union_by_name = true)`);
    types = reader.getRowObjectsJS().map((r) => String(r.column_type));
  } catch (e) {
    throw new DeltaError('UNSUPPORTED_FEATURE', `variant columns stored differently across data files: ${(e as Error).message.split('\n')[0]}`);
  }
  if (types.some((t) => t.includes('typed_value'))) throw new DeltaError('UNSUPPORTED_FEATURE', 'shredded variant columns without the parquet variant annotation are not supported');
  return types.some((t) => t.includes('VARIANT')) ? 'native' : 'binary';
}

/**
 * Everything a plan's SQL needs from its data files (spread it into buildScanSql's options), read on the
 * connection the caller holds: footers read once per file (columns for schema evolution, field ids for column
 * mapping mode id) and deletion vectors decoded and registered in DuckDB once per DV. The SQL must run on the
 * same engine.
 * @throws DeltaError UNSUPPORTED_FEATURE (column mapping mode), CORRUPT_DATA (a file without field ids in mode
 *   id; a missing or damaged deletion vector file), CORRUPT_LOG (a malformed DV descriptor)
 */
export async function loadScanContext(engine: DuckDbEngine, c: DuckDBConnection, storage: DeltaStorage, plan: ScanPlan): Promise<ScanContext> {
  ensureScannable(plan);
  const locate = (add: { path: string }) => storage.resolve(add.path);
  const columns = await columnCache.columnsOf(c, plan.files.map((f) => locate(f.add)));
  const mode = columnMappingModeOf(plan.snapshot.metadata);
  const deletedRows = await loadDeletedRows(deletedRowsRegistry(engine), c, storage, plan.files.map((f) => f.add));
  const variants = await variantEncoding(c, plan, plan.files.map((f) => locate(f.add)));
  return {
    ...(variants ? { variants } : {}),
    locate,
    presentColumns: columns.present,
    uniformColumns: columns.uniform,
    ...(mode === 'id' && plan.files.length > 0 ? { fieldIdNames: fieldIdNames(columns) } : {}),
    ...(deletedRows ? { deletedRows } : {}),
  };
}
