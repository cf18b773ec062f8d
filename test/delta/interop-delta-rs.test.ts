/**
 * Interoperability with delta-rs: a table written by `deltalake` (appends, an overwrite, partitions with special
 * characters and nulls, schema evolution with schema_mode="merge", a checkpoint) reads through our reader exactly
 * as `DeltaTable(path, version=v).to_pyarrow_table()` at every version, and at each commit's timestamp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import { parseTimestampText } from '../../src/delta/values/scalar-values.ts';
import type { DataType } from '../../src/delta/snapshot/schema-types.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createScanExecutor } from '../../src/sources/duckdb/scan-executor.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { runDeltaRsJson } from '../support/delta-rs.ts';

type PyRow = Record<string, unknown>;
interface Written {
  versions: PyRow[][];
  /** [version, commit timestamp ms, version delta-rs loads as of that timestamp]. */
  asOf: [number, number, number][];
}

const WRITE = `
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

path = INPUT["path"]
utc = timezone.utc
def batch(ids, kinds, days, extra=None):
    cols = {
        "id": pa.array(ids, pa.int64()),
        "name": pa.array([None if i % 4 == 0 else f"n{i}" for i in ids], pa.string()),
        "amount": pa.array([Decimal(i) / 4 for i in ids], pa.decimal128(10, 2)),
        "at": pa.array([datetime(2024, 1, 1, 0, 0, i % 60, i * 1001, tzinfo=utc) for i in ids], pa.timestamp("us", tz="UTC")),
        "score": pa.array([i * 0.5 for i in ids], pa.float64()),
        "day": pa.array(days, pa.date32()),
        "kind": pa.array(kinds, pa.string()),
    }
    if extra is not None:
        cols["extra"] = pa.array(extra, pa.int32())
    return pa.table(cols)

parts = ["day", "kind"]
d1, d2 = date(2024, 1, 1), date(2024, 1, 2)
write_deltalake(path, batch([1, 2, 3], ["a b", "x/y", None], [d1, d1, None]), partition_by=parts)
time.sleep(0.05)
write_deltalake(path, batch([4, 5], ["a b", "100%"], [d2, d2]), mode="append", partition_by=parts)
time.sleep(0.05)
write_deltalake(path, batch([6, 7, 8], ["k=v", "a b", "é"], [d1, None, d2]), mode="overwrite", partition_by=parts)
time.sleep(0.05)
write_deltalake(path, batch([9, 10], ["a b", None], [d1, d2], extra=[90, None]), mode="append", partition_by=parts, schema_mode="merge")
DeltaTable(path).create_checkpoint()
time.sleep(0.05)
write_deltalake(path, batch([11], ["new"], [d2], extra=[110]), mode="append", partition_by=parts)

# delta-rs time-travels by the commit file's modification time; the protocol (and our reader) by the commit's
# timestamp. On a busy machine the file lands a few ms after the timestamp it records, so align the mtimes with
# the recorded timestamps: then both definitions name the same version and delta-rs is a fair oracle.
import os
for h in DeltaTable(path).history():
    ns = h["timestamp"] * 1_000_000
    os.utime(os.path.join(path, "_delta_log", "%020d.json" % h["version"]), ns=(ns, ns))

latest = DeltaTable(path).version()
versions = [DeltaTable(path, version=v).to_pyarrow_table().to_pylist() for v in range(latest + 1)]
as_of = []
for h in DeltaTable(path).history():
    dt = DeltaTable(path)
    # Exact milliseconds: ms / 1000 through a float can land a hair before the commit and pick the version before.
    dt.load_as_version(datetime.fromtimestamp(h["timestamp"] // 1000, tz=utc) + timedelta(milliseconds=h["timestamp"] % 1000))
    as_of.append([h["version"], h["timestamp"], dt.version()])
emit({"versions": versions, "asOf": as_of})
`;

/** Both sides as comparable text: exact integers and decimals, timestamps as epoch microseconds. */
function normalize(value: unknown, type: DataType | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (type?.kind === 'primitive' && (type.name === 'timestamp' || type.name === 'timestamp_ntz')) {
    return String(parseTimestampText(String(value))?.micros);
  }
  if (type?.kind === 'decimal') return Number(value).toFixed(type.scale);
  return typeof value === 'number' && type?.kind === 'primitive' && type.name === 'double' ? value : String(value);
}

function canonical(rows: PyRow[], types: Map<string, DataType>): string[] {
  return rows.map((r) => JSON.stringify([...types.keys()].map((k) => [k, normalize(r[k], types.get(k))]))).sort();
}

const python = (): string | undefined => process.env.DELTA_RS_PYTHON ?? (inject('deltaRsPython') as string | undefined);

describe.skipIf(!python())('tables written by delta-rs read identically', () => {
  let engine: DuckDbEngine;
  let dir: string;
  let written: Written;
  beforeAll(async () => {
    engine = await createDuckDbEngine();
    dir = mkdtempSync(join(tmpdir(), 'interop-delta-rs-'));
    written = await runDeltaRsJson<Written>(WRITE, { path: join(dir, 't') }, { python: python() });
  }, 180_000);
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function ours(at: { version?: number; timestamp?: number }) {
    const storage = createLocalStorage(join(dir, 't'));
    const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader, ...at });
    const types = new Map(snapshot.schema.fields.map((f) => [f.name, f.type]));
    return { snapshot, types, rows: (await createScanExecutor({ engine }).rows({ storage, snapshot }, { values: 'json' })).rows as PyRow[] };
  }

  it('wrote the expected history (5 versions)', () => {
    expect(written.versions).toHaveLength(5);
    expect(written.versions[4]).toHaveLength(6); // 3 after the overwrite + 2 + 1
  });

  for (const v of [0, 1, 2, 3, 4]) {
    it(`version ${v} matches DeltaTable(version=${v}).to_pyarrow_table()`, async () => {
      const { rows, types, snapshot } = await ours({ version: v });
      expect(snapshot.version).toBe(v);
      expect(canonical(rows, types)).toEqual(canonical(written.versions[v]!, types));
    });
  }

  it('reads the version delta-rs loads as of each commit timestamp (and just before the next)', async () => {
    for (const [version, timestamp, theirs] of written.asOf) {
      expect(theirs).toBe(version);
      expect((await ours({ timestamp })).snapshot.version).toBe(version);
      const next = written.asOf.find(([v]) => v === version + 1);
      if (next && next[1] - 1 > timestamp) expect((await ours({ timestamp: next[1] - 1 })).snapshot.version).toBe(version);
    }
  });

  it('prunes partitions of delta-rs tables (URL-encoded paths, null partitions)', async () => {
    const storage = createLocalStorage(join(dir, 't'));
    const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader });
    const special = await createScanExecutor({ engine }).rows({ storage, snapshot, predicate: { op: 'in', column: 'kind', values: ['k=v', 'é'] }, columns: ['id'] }, { values: 'json' });
    expect(special.rows.map((r) => r.id).sort()).toEqual(['6', '8']);
    expect(special.figures.filesSkipped).toBeGreaterThan(0);
    const nulls = await createScanExecutor({ engine }).rows({ storage, snapshot, predicate: { op: 'isNull', column: 'day' }, columns: ['id', 'extra'] }, { values: 'json' });
    expect(nulls.rows).toEqual([{ id: '7', extra: null }]);
  });
});
