/**
 * Snapshot loading of delta-kernel-rs/300k-add-files-100-col-partitioned (log only: 5 commits, 300k adds):
 * ours (loadSnapshot) against delta-rs (`DeltaTable(path)` plus listing its files with `file_uris()`), timed
 * inside Python, same run. Then refresh after one new commit: ours refreshSnapshot against delta-rs
 * `update_incremental()`, on a copy of the log that gains one tiny commit per run.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadSnapshot, refreshSnapshot } from '../src/delta/snapshot/load-snapshot.ts';
import type { Snapshot } from '../src/delta/snapshot/snapshot.ts';
import { createDuckDbEngine } from '../src/sources/duckdb/duckdb-engine.ts';
import { createLocalStorage } from '../src/sources/storage/local-storage.ts';
import { type BenchResult, corpusRoot, runPythonJson, timeRuns } from './support.ts';

const RUNS = 5;
const TABLE = join(corpusRoot, 'delta-kernel-rs/300k-add-files-100-col-partitioned');

const PY_LOAD = `
import time
from deltalake import DeltaTable
times, count = [], 0
for i in range(INPUT["runs"] + 1):
    t = time.perf_counter()
    dt = DeltaTable(INPUT["path"])
    count = len(dt.file_uris())
    if i > 0: times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"times": times, "files": count}))
`;

const PY_REFRESH = `
import time, os
from deltalake import DeltaTable
path, runs = INPUT["path"], INPUT["runs"]
dt = DeltaTable(path)
times = []
for i in range(runs + 1):
    v = dt.version() + 1
    with open(os.path.join(path, "_delta_log", "%020d.json" % v), "w") as f:
        f.write(INPUT["commit"].replace("VERSION", str(v)))
    t = time.perf_counter()
    dt.update_incremental()
    if i > 0: times.append((time.perf_counter() - t) * 1000)
    assert dt.version() == v
print(json.dumps({"times": times}))
`;

function commitText(version: number | string): string {
  const add = { path: `part_0/file_new_${version}.parquet`, partitionValues: { partition_col: 'part_0' }, size: 1024, modificationTime: 1_700_000_000_000, dataChange: true };
  return `${JSON.stringify({ commitInfo: { timestamp: 1_700_000_000_000, operation: 'WRITE' } })}\n${JSON.stringify({ add })}\n`;
}

function commitPath(root: string, version: number): string {
  return join(root, '_delta_log', `${String(version).padStart(20, '0')}.json`);
}

export async function run(): Promise<BenchResult[]> {
  const engine = await createDuckDbEngine();
  const tmp = mkdtempSync(join(tmpdir(), 'bench-snapshot-'));
  try {
    const storage = createLocalStorage(TABLE);
    let files = 0;
    const ours = await timeRuns(RUNS, async () => {
      files = (await loadSnapshot(storage, { parquetReader: engine.parquetReader })).files.length;
    });
    const theirs = runPythonJson<{ times: number[]; files: number }>(PY_LOAD, { path: TABLE, runs: RUNS });
    if (files !== theirs.files) throw new Error(`file counts differ: ours ${files}, delta-rs ${theirs.files}`);

    // Refresh: each run appends one commit and applies just that one.
    const ourCopy = join(tmp, 'ours');
    const theirCopy = join(tmp, 'theirs');
    cpSync(TABLE, ourCopy, { recursive: true });
    cpSync(TABLE, theirCopy, { recursive: true });
    const copyStorage = createLocalStorage(ourCopy);
    let snapshot: Snapshot = await loadSnapshot(copyStorage, { parquetReader: engine.parquetReader });
    const refreshTimes: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      writeFileSync(commitPath(ourCopy, snapshot.version + 1), commitText(snapshot.version + 1));
      const t0 = performance.now();
      snapshot = await refreshSnapshot(snapshot, copyStorage, { parquetReader: engine.parquetReader });
      if (i > 0) refreshTimes.push(performance.now() - t0);
    }
    const theirRefresh = runPythonJson<{ times: number[] }>(PY_REFRESH, { path: theirCopy, runs: RUNS, commit: commitText('VERSION') });
    return [
      { case: `snapshot load, 300k adds (${files} files)`, ours, baselineName: 'delta-rs DeltaTable+file_uris', baseline: theirs.times },
      { case: 'refresh after 1 new commit (300k adds)', ours: refreshTimes, baselineName: 'delta-rs update_incremental', baseline: theirRefresh.times },
    ];
  } finally {
    await engine.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
