/**
 * The seam through which the Delta layer reads parquet it needs for the log itself (checkpoints, sidecars).
 * The DuckDB adapter in src/sources implements it; src/delta never imports DuckDB.
 */

export interface ParquetReader {
  /**
   * Reads the given columns of parquet files as JSON-like rows: structs and maps as plain objects, lists as
   * arrays, 64-bit integers as numbers (log fields fit in 2^53), absent values as null.
   * @param locations absolute locations from DeltaStorage.resolve
   */
  readRows(locations: string[], columns?: string[]): Promise<Record<string, unknown>[]>;
}
