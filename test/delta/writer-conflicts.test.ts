/** The commit conflict rules as a pure function of our pending actions and a winning commit. */
import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/delta/log/actions.ts';
import { checkWinningCommit } from '../../src/delta/writer/conflicts.ts';

const add = (path: string, dataChange = true): Action => ({ add: { path, partitionValues: {}, size: 1, modificationTime: 0, dataChange } });
const remove = (path: string, dataChange = true): Action => ({ remove: { path, dataChange } });
const txn = (appId: string, version: number): Action => ({ txn: { appId, version } });
const append = { actions: [add('ours')], readsWholeTable: false };

describe('checkWinningCommit', () => {
  it('lets blind appends through concurrent appends and compactions', () => {
    expect(checkWinningCommit(append, [add('theirs')], 3)).toEqual({ kind: 'retry' });
    expect(checkWinningCommit(append, [remove('old', false), add('compacted', false)], 3)).toEqual({ kind: 'retry' });
    expect(checkWinningCommit(append, [{ commitInfo: { operation: 'VACUUM END' } }], 3)).toEqual({ kind: 'retry' });
  });

  it('fails on a concurrent overwrite, metadata or protocol change', () => {
    expect(() => checkWinningCommit(append, [remove('x'), add('y')], 4)).toThrow(/version 4\) removed data/);
    expect(() => checkWinningCommit(append, [{ metaData: {} as never }], 4)).toThrow(/changed the table metadata/);
    expect(() => checkWinningCommit(append, [{ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }], 4)).toThrow(/protocol/);
  });

  it('fails an overwrite or restore when data was added, and a compaction whose input was rewritten', () => {
    expect(() => checkWinningCommit({ actions: [remove('a')], readsWholeTable: true }, [add('new')], 5)).toThrow(/added data/);
    expect(() => checkWinningCommit({ actions: [remove('a', false)], readsWholeTable: false }, [remove('a', false)], 5)).toThrow(/rewrote a file/);
    expect(checkWinningCommit({ actions: [remove('a', false)], readsWholeTable: false }, [add('new')], 5)).toEqual({ kind: 'retry' });
  });

  it('treats a txn of the same appId at our version or later as already committed', () => {
    const ours = { actions: [txn('topic-0', 7), add('ours')], readsWholeTable: false };
    expect(checkWinningCommit(ours, [txn('topic-0', 7), add('theirs')], 6)).toMatchObject({ kind: 'alreadyCommitted' });
    expect(checkWinningCommit(ours, [txn('topic-0', 9)], 6)).toMatchObject({ kind: 'alreadyCommitted' });
    expect(checkWinningCommit(ours, [txn('topic-0', 6)], 6)).toEqual({ kind: 'retry' });
    expect(checkWinningCommit(ours, [txn('topic-1', 99)], 6)).toEqual({ kind: 'retry' });
    const two = { actions: [txn('p0', 3), txn('p1', 3)], readsWholeTable: false };
    expect(() => checkWinningCommit(two, [txn('p0', 3)], 6)).toThrow(/only some/);
  });
});
