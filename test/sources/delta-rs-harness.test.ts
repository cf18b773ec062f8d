/** The delta-rs harness works: a Python script writes a Delta table with deltalake and reads it back. */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaRs, runDeltaRsJson } from '../support/delta-rs.ts';

describe('delta-rs harness', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dg-delta-rs-'));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports the deltalake version', async () => {
    const version = (await runDeltaRs('import deltalake; print(deltalake.__version__)')).trim();
    expect(version).toMatch(/^\d+\.\d+/);
  });

  it('writes a table with write_deltalake and reads it back with DeltaTable', async () => {
    const path = join(dir, 'people');
    const rows = [
      { id: 1, name: 'ada', score: 9.5, day: '2024-01-01' },
      { id: 2, name: 'grace', score: 7.25, day: '2024-01-02' },
      { id: 3, name: null, score: null, day: '2024-01-02' },
    ];
    const result = await runDeltaRsJson<{ version: number; rows: unknown[] }>(
      `
      import datetime
      import pyarrow as pa
      from deltalake import DeltaTable, write_deltalake
      rows = INPUT["rows"]
      table = pa.table({
          "id": pa.array([r["id"] for r in rows], pa.int64()),
          "name": pa.array([r["name"] for r in rows], pa.string()),
          "score": pa.array([r["score"] for r in rows], pa.float64()),
          "day": pa.array([datetime.date.fromisoformat(r["day"]) for r in rows], pa.date32()),
      })
      print("writing", INPUT["path"])  # stdout chatter must not disturb the JSON result
      write_deltalake(INPUT["path"], table, partition_by=["day"])
      dt = DeltaTable(INPUT["path"])
      emit({"version": dt.version(), "rows": sorted(dt.to_pyarrow_table().to_pylist(), key=lambda r: r["id"])})
      `,
      { path, rows },
    );

    const firstCommit = join(path, '_delta_log', '00000000000000000000.json');
    expect(existsSync(firstCommit)).toBe(true);
    const actions = (await readFile(firstCommit, 'utf8')).trim().split('\n').map((l) => Object.keys(JSON.parse(l))[0]);
    expect(actions).toEqual(expect.arrayContaining(['protocol', 'metaData', 'add']));
    expect(result.version).toBe(0);
    expect(result.rows).toEqual(rows);
  });

  it('reports a failing script with its stderr', async () => {
    await expect(runDeltaRs('from deltalake import DeltaTable; DeltaTable("/nonexistent/table")')).rejects.toThrow(
      /delta-rs script failed[\s\S]*(TableNotFoundError|not a Delta table|No such file)/i,
    );
  });
});
