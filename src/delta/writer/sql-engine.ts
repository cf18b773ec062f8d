/**
 * The seam through which the writer runs SQL (staging batches, writing parquet data files and checkpoints,
 * computing per-file statistics). The DuckDB adapter in src/sources implements it; src/delta never imports
 * DuckDB and never touches the local file system outside DeltaStorage.
 */

/** Scratch files that live as long as one session (staged batches, checkpoint parquet before upload). */
export interface ScratchSpace {
  /** Writes a scratch file and returns the location SQL can read it from. */
  write(name: string, data: string | Uint8Array): Promise<string>;
  /** The location for a scratch file SQL will write (e.g. COPY ... TO). */
  location(name: string): string;
  /** Reads back a scratch file. */
  read(name: string): Promise<Uint8Array>;
}

/**
 * Column types a batch of JS values can be appended as; anything else is appended as VARCHAR text and cast in SQL.
 * Values per type: VARCHAR string, BIGINT bigint, INTEGER/SMALLINT/TINYINT/DOUBLE/FLOAT number, BOOLEAN boolean,
 * BLOB Uint8Array, TIMESTAMPTZ bigint microseconds since the epoch, ENUM one of the column's `dictionary`
 * strings (a DuckDB ENUM: read it through `CAST(col AS VARCHAR)`); null for NULL.
 */
export type AppendType = 'VARCHAR' | 'ENUM' | 'BIGINT' | 'INTEGER' | 'SMALLINT' | 'TINYINT' | 'DOUBLE' | 'FLOAT' | 'BOOLEAN' | 'BLOB' | 'TIMESTAMPTZ';

/** One column of a batch appended with `createTempTable`. */
export interface AppendColumn {
  name: string;
  type: AppendType;
  /** One value per row, all columns the same length. */
  values: readonly unknown[];
  /** ENUM only: the distinct strings (at most 255), each once. */
  dictionary?: readonly string[];
}

/** Statistics of one leaf column of a written parquet file, as the parquet footer has them (text). */
export interface ParquetLeafStats {
  /** Field names from the top-level column down to the leaf (lists add `element`, maps `key`/`value`). */
  path: string[];
  min?: string;
  max?: string;
  nullCount?: number;
  /** Floating columns: some value is NaN (min and max then ignore NaN). */
  hasNaN?: boolean;
}

/** A parquet file written by `writeParquet`. */
export interface WrittenParquet {
  /** Where it was written, as the engine names it (an absolute path or URL under the COPY target). */
  location: string;
  numRecords: number;
  sizeBytes: number;
  /** For a partitioned write: the value of each partition column (null for SQL NULL). */
  partitionValues: Record<string, string | null>;
  leaves: ParquetLeafStats[];
}

/** Options of `writeParquet`. */
export interface WriteParquetOptions {
  /**
   * Columns of the select to partition by: the target is then a folder, each file lands in Hive-style
   * sub-folders (the engine's own escaping), named by `fileNamePattern`, and these columns are not written.
   */
  partitionBy?: readonly string[];
  /** File name for partitioned writes; `{uuid}` becomes a fresh UUID; `.parquet` is appended. */
  fileNamePattern?: string;
}

/** One connection's worth of SQL. Temp tables created in it must be dropped by their creator. */
export interface SqlSession {
  /** Runs one or more statements, discarding results. */
  run(sql: string): Promise<void>;
  /** Runs a query; values come back JSON-like (BIGINT and HUGEINT as strings, structs as objects). */
  all(sql: string): Promise<Record<string, unknown>[]>;
  /** `COPY (select) TO location (FORMAT parquet, COMPRESSION zstd)`; creates local parent folders. */
  copyToParquet(selectSql: string, location: string): Promise<void>;
  /**
   * Writes the rows of `selectSql` as zstd parquet at `location` (a file, or a folder when partitioned) in one
   * statement and returns every file written with its row count, size and footer statistics.
   */
  writeParquet(selectSql: string, location: string, opts?: WriteParquetOptions): Promise<WrittenParquet[]>;
  /** Creates temp table `table` with `columns` and appends their values in bulk (no SQL text, no JSON). */
  createTempTable(table: string, columns: readonly AppendColumn[]): Promise<void>;
  readonly scratch: ScratchSpace;
}

/** Hands out sessions; everything a writer does for one write happens in one session. */
export interface SqlEngine {
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
}
