import { describe, expect, it } from 'vitest';
import { parseLogFileName, type LogFile } from '../../src/delta/log/log-path.ts';
import { buildLogSegment } from '../../src/delta/log/log-segment.ts';
import { codeOf } from '../support/error-codes.ts';

function listing(...names: string[]): LogFile[] {
  return names.map((name) => ({ ...parseLogFileName(name)!, meta: { path: `_delta_log/${name}`, size: 1, modificationTime: 0 } }));
}
const c = (v: number) => `${String(v).padStart(20, '0')}.json`;
const cp = (v: number) => `${String(v).padStart(20, '0')}.checkpoint.parquet`;
const part = (v: number, p: number, n: number) =>
  `${String(v).padStart(20, '0')}.checkpoint.${String(p).padStart(10, '0')}.${String(n).padStart(10, '0')}.parquet`;

describe('buildLogSegment', () => {
  it('replays every commit from 0 when there is no checkpoint', () => {
    const s = buildLogSegment(listing(c(0), c(1), c(2)));
    expect(s.version).toBe(2);
    expect(s.checkpoint).toBeUndefined();
    expect(s.commits.map((f) => f.version)).toEqual([0, 1, 2]);
  });

  it('starts from the newest checkpoint at or below the version', () => {
    const files = listing(c(0), c(1), c(2), cp(2), c(3), c(4), cp(4), c(5));
    expect(buildLogSegment(files).checkpoint?.version).toBe(4);
    expect(buildLogSegment(files).commits.map((f) => f.version)).toEqual([5]);
    const at3 = buildLogSegment(files, { version: 3 });
    expect(at3.checkpoint?.version).toBe(2);
    expect(at3.commits.map((f) => f.version)).toEqual([3]);
    const at4 = buildLogSegment(files, { version: 4 });
    expect(at4.checkpoint?.version).toBe(4);
    expect(at4.commits).toEqual([]);
    expect(at4.commitAtVersion?.version).toBe(4);
  });

  it('uses a multi-part checkpoint only when all its parts are listed', () => {
    const complete = buildLogSegment(listing(c(0), c(1), part(1, 1, 3), part(1, 2, 3), part(1, 3, 3), c(2)));
    expect(complete.checkpoint?.kind).toBe('multipartCheckpoint');
    expect(complete.checkpoint?.files.map((f) => f.part)).toEqual([1, 2, 3]);
    const incomplete = buildLogSegment(listing(c(0), c(1), part(1, 1, 3), part(1, 3, 3), c(2)));
    expect(incomplete.checkpoint).toBeUndefined();
    expect(incomplete.commits.map((f) => f.version)).toEqual([0, 1, 2]);
  });

  it('prefers the _last_checkpoint hint only among complete checkpoints of one version', () => {
    const files = listing(c(0), part(0, 1, 2), part(0, 2, 2), part(0, 1, 3), part(0, 2, 3), part(0, 3, 3));
    expect(buildLogSegment(files, { hint: { version: 0, parts: 3 } }).checkpoint?.files).toHaveLength(3);
    expect(buildLogSegment(files, { hint: { version: 0, parts: 2 } }).checkpoint?.files).toHaveLength(2);
    // A stale hint (naming an older checkpoint) never wins over a newer complete one.
    expect(buildLogSegment(listing(c(0), cp(1), c(1), cp(3), c(3), c(2)), { hint: { version: 1 } }).checkpoint?.version).toBe(3);
  });

  it('allows cleaned-up history below a checkpoint but not a gap after it', () => {
    const cleaned = listing(cp(5), c(5), c(6), c(7));
    expect(buildLogSegment(cleaned).commits.map((f) => f.version)).toEqual([6, 7]);
    expect(codeOf(() => buildLogSegment(cleaned, { version: 3 }))).toBe('VERSION_NOT_FOUND');
    expect(codeOf(() => buildLogSegment(listing(cp(5), c(5), c(7))))).toBe('CORRUPT_LOG');
    expect(() => buildLogSegment(listing(c(0), c(1), c(3)))).toThrow(/00000000000000000002\.json/);
  });

  it('refuses a log without commit 0 and without a checkpoint, and versions that do not exist', () => {
    expect(codeOf(() => buildLogSegment(listing(c(1), c(2))))).toBe('CORRUPT_LOG');
    expect(codeOf(() => buildLogSegment(listing(c(0), c(1)), { version: 2 }))).toBe('VERSION_NOT_FOUND');
    expect(codeOf(() => buildLogSegment(listing(c(0)), { version: -1 }))).toBe('INVALID_ARGUMENT');
  });
});
