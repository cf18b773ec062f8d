/**
 * Incremental refresh for the common case (PROTOCOL.md "Action Reconciliation" applied to new commits only):
 * when the new commits remove nothing and add no file the previous snapshot already holds, the new live files
 * are the new adds followed by the previous ones, with no pass over the old files. The previous files' keys
 * live in a layered index, so each such refresh adds a layer instead of copying a set of every key.
 */
import type { Action, Add } from '../log/actions.ts';
import { LogReplay, fileKey, type ReplayState } from './replay.ts';
import type { Snapshot } from './snapshot.ts';

/** Keys (path, deletion vector id) of a snapshot's live files, as layers over older snapshots' keys. */
class FileKeyIndex {
  constructor(
    private readonly keys: ReadonlySet<string>,
    private readonly parent: FileKeyIndex | undefined,
    readonly depth: number,
  ) {}

  static of(files: readonly Add[]): FileKeyIndex {
    return new FileKeyIndex(new Set(files.map((f) => fileKey(f.path, f.deletionVector))), undefined, 0);
  }

  has(key: string): boolean {
    for (let layer: FileKeyIndex | undefined = this; layer; layer = layer.parent) if (layer.keys.has(key)) return true;
    return false;
  }

  extend(keys: ReadonlySet<string>): FileKeyIndex {
    return new FileKeyIndex(keys, this, this.depth + 1);
  }
}

/** Past this many layers a lookup walks too far: rebuild one flat index from the files. */
const MAX_LAYERS = 32;
const indexes = new WeakMap<Snapshot, FileKeyIndex>();

function indexOf(snapshot: Snapshot): FileKeyIndex {
  let index = indexes.get(snapshot);
  if (!index || index.depth >= MAX_LAYERS) {
    index = FileKeyIndex.of(snapshot.files);
    indexes.set(snapshot, index);
  }
  return index;
}

/**
 * The replay state after `commits` (newest last) on top of `prev`, or undefined when a commit removes a file or
 * re-adds one `prev` holds (then a full reconciliation is needed). Call `remember` with the finished snapshot.
 */
export function appendOnlyRefresh(prev: Snapshot, commits: readonly (readonly Action[])[]): { state: ReplayState; remember(next: Snapshot): void } | undefined {
  if (commits.some((actions) => actions.some((a) => 'remove' in a))) return undefined;
  const replay = new LogReplay();
  for (let i = commits.length - 1; i >= 0; i--) replay.applyCommit(commits[i]!);
  replay.applyBaseState(prev);
  const state = replay.finish();
  const index = indexOf(prev);
  const newKeys = new Set<string>();
  for (const add of state.files) {
    const key = fileKey(add.path, add.deletionVector);
    if (index.has(key)) return undefined;
    newKeys.add(key);
  }
  const files = state.files.length === 0 ? (prev.files as Add[]) : state.files.concat(prev.files);
  return {
    state: { ...state, files },
    remember: (next) => indexes.set(next, index.extend(newKeys)),
  };
}
