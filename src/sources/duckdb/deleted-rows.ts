/**
 * Deleted rows in DuckDB: each deletion vector a scan needs is decoded once (src/delta/deletion-vectors/deletion-vector.ts) and
 * appended as a bitstring (bit i set when row i is deleted) to one table per engine, `__delta_deleted_rows (dv
 * UBIGINT, bits BIT)`, under a stable id (a 64-bit FNV-1a hash of table root, data file and DV id, so the scan
 * SQL — and cache keys — are the same in every process). Scans test get_bit(bits, file_row_number). Least
 * recently used sets are dropped past a row budget, never one used in the last minutes (a query may read it).
 */
import { DuckDBBitValue, type DuckDBConnection } from '@duckdb/node-api';
import { type Add, DeltaError, type DeletionVectorFileReader, loadDeletionVector, storageFileReader, fileKey, type DeletedRowsRef, type DeltaStorage } from '../../delta/index.ts';

export const DELETED_ROWS_TABLE = '__delta_deleted_rows';

const DEFAULT_MAX_ROWS = 50_000_000;
const KEEP_RECENT_MS = 10 * 60_000;

interface Entry {
  rows: number;
  lastUsed: number;
}

/** The per-engine registry of row sets appended to the deleted rows table. */
export interface DeletedRowsRegistry {
  /**
   * Registers (once) the row set under `key`, loading it with `load` when absent; returns its id (decimal text).
   * Concurrent calls for one key share the load.
   */
  ensure(c: DuckDBConnection, key: string, load: () => Promise<Float64Array>): Promise<string>;
}

/** FNV-1a 64-bit of the UTF-16 code units of `text`, as decimal text. */
export function stableId(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString();
}

/** DuckDB's BIT layout: a first byte counting padding bits, which fill the top of the second byte with 1s. */
function bitstring(rows: Float64Array): DuckDBBitValue {
  const length = rows.length > 0 ? rows[rows.length - 1]! + 1 : 1;
  const padding = (8 - (length % 8)) % 8;
  const data = new Uint8Array(Math.ceil(length / 8) + 1);
  data[0] = padding;
  data[1] = (0xff << (8 - padding)) & 0xff;
  for (const row of rows) {
    const offset = row + padding;
    data[1 + Math.floor(offset / 8)]! |= 0x80 >>> offset % 8;
  }
  return new DuckDBBitValue(data);
}

async function append(c: DuckDBConnection, id: string, rows: Float64Array): Promise<void> {
  const max = rows.length > 0 ? rows[rows.length - 1]! : 0;
  if (max >= 2 ** 31 - 1) throw new DeltaError('UNSUPPORTED_FEATURE', `deleted row index ${max} is beyond 2^31`);
  const appender = await c.createAppender(DELETED_ROWS_TABLE);
  try {
    appender.appendUBigInt(BigInt(id));
    if (rows.length === 0) appender.appendNull(); // nothing deleted (or nothing selected)
    else appender.appendBit(bitstring(rows));
    appender.endRow();
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Creates a registry; `maxRows` bounds the table before old sets are dropped (default 50M rows). */
export function createDeletedRowsRegistry(maxRows = DEFAULT_MAX_ROWS): DeletedRowsRegistry {
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<string>>();
  let created: Promise<void> | undefined;
  let total = 0;

  const evict = async (c: DuckDBConnection) => {
    if (total <= maxRows) return;
    const cutoff = Date.now() - KEEP_RECENT_MS;
    const victims = [...entries].filter(([, e]) => e.lastUsed < cutoff).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    const drop: string[] = [];
    for (const [id, e] of victims) {
      if (total <= maxRows) break;
      drop.push(id);
      total -= e.rows;
      entries.delete(id);
    }
    if (drop.length > 0) await c.run(`DELETE FROM ${DELETED_ROWS_TABLE} WHERE dv IN (${drop.join(', ')})`);
  };

  const register = async (c: DuckDBConnection, id: string, load: () => Promise<Float64Array>): Promise<string> => {
    created ??= c.run(`CREATE TABLE IF NOT EXISTS ${DELETED_ROWS_TABLE} (dv UBIGINT, bits BIT)`).then(() => undefined);
    await created;
    const rows = await load();
    await append(c, id, rows);
    entries.set(id, { rows: rows.length, lastUsed: Date.now() });
    total += rows.length;
    await evict(c);
    return id;
  };

  return {
    async ensure(c, key, load) {
      const id = stableId(key);
      const entry = entries.get(id);
      if (entry) {
        entry.lastUsed = Date.now();
        return id;
      }
      let pending = loading.get(id);
      if (!pending) {
        pending = register(c, id, load).finally(() => loading.delete(id));
        loading.set(id, pending);
      }
      return pending;
    },
  };
}

/** A memoised loader; the result's rejection is handled so an unused failed load raises no warning. */
function lazy(load: () => Promise<Float64Array>): () => Promise<Float64Array> {
  let p: Promise<Float64Array> | undefined;
  return () => (p ??= load());
}

/**
 * Registers the deletion vectors of `adds` (those that have one) and returns the reference the scan SQL needs,
 * or undefined when no file has a deletion vector.
 * @throws DeltaError from loadDeletionVector (CORRUPT_LOG, CORRUPT_DATA naming the files)
 */
export async function loadDeletedRows(
  registry: DeletedRowsRegistry,
  c: DuckDBConnection,
  storage: DeltaStorage,
  adds: readonly Pick<Add, 'path' | 'deletionVector'>[],
  readFile: DeletionVectorFileReader = storageFileReader(storage),
): Promise<DeletedRowsRef | undefined> {
  const withDv = adds.filter((a) => a.deletionVector);
  if (withDv.length === 0) return undefined;
  const ids = new Map<string, string>();
  // Start every DV read at once (files are read once each); append one at a time on the one connection.
  const loads = new Map(withDv.map((add) => [add, lazy(() => loadDeletionVector(add.deletionVector!, add.path, readFile))]));
  for (const add of withDv) {
    const key = fileKey(add.path, add.deletionVector);
    ids.set(key, await registry.ensure(c, `${storage.root}\u0000${key}`, loads.get(add)!));
  }
  return { table: DELETED_ROWS_TABLE, ids };
}
