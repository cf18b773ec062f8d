/**
 * Commit conflict rules (PROTOCOL.md "Transaction Identifiers" and optimistic concurrency in "Requirements for
 * Writers"): when another writer wins the version we tried, its actions decide whether our actions can simply
 * go in at the next version. Blind appends never conflict with appends; a protocol or metadata change, or a
 * data-changing remove (overwrite, delete, restore), by the winner is a conflict; a txn of the same appId at
 * our version or later means our batch is already in the table.
 */
import type { Action, Txn } from '../log/actions.ts';
import { DeltaError } from '../errors.ts';

/** What our pending commit does, as far as conflicts go. */
export interface PendingCommit {
  /** Our actions (without commitInfo). */
  actions: readonly Action[];
  /** True when the commit depends on the whole table as read (overwrite, restore): any concurrent data change conflicts. */
  readsWholeTable: boolean;
}

/** The verdict on one winning commit: go on, or the batch is already committed (exactly-once skip). */
export type ConflictVerdict = { kind: 'retry' } | { kind: 'alreadyCommitted'; txn: Txn };

function ourTxns(actions: readonly Action[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of actions) if ('txn' in a) out.set(a.txn.appId, a.txn.version);
  return out;
}

function conflict(version: number, why: string): DeltaError {
  return new DeltaError('CONCURRENT_MODIFICATION', `a concurrent commit (version ${version}) ${why}; reload the table and retry`);
}

/**
 * Judges one winning commit against ours.
 * @throws DeltaError CONCURRENT_MODIFICATION when the winner changed the protocol or metadata, removed data
 * (overwrite/delete), removed a file we also remove, or added data while we read the whole table; also when
 * only some of our txn appIds are already committed
 */
export function checkWinningCommit(ours: PendingCommit, winner: readonly Action[], winnerVersion: number): ConflictVerdict {
  const txns = ourTxns(ours.actions);
  const ourRemoves = new Set<string>();
  for (const a of ours.actions) if ('remove' in a) ourRemoves.add(a.remove.path);
  const covered: Txn[] = [];
  for (const a of winner) {
    if ('txn' in a) {
      const mine = txns.get(a.txn.appId);
      if (mine !== undefined && a.txn.version >= mine) covered.push(a.txn);
    }
  }
  if (covered.length > 0) {
    if (covered.length === txns.size) return { kind: 'alreadyCommitted', txn: covered[0]! };
    throw conflict(winnerVersion, 'committed only some of the application transactions of this batch');
  }
  for (const a of winner) {
    if ('protocol' in a) throw conflict(winnerVersion, 'changed the table protocol');
    if ('metaData' in a) throw conflict(winnerVersion, 'changed the table metadata');
    if ('remove' in a) {
      if (a.remove.dataChange) throw conflict(winnerVersion, `removed data (${a.remove.path})`);
      if (ourRemoves.has(a.remove.path)) throw conflict(winnerVersion, `rewrote a file this commit also removes (${a.remove.path})`);
    }
    if ('add' in a && a.add.dataChange && ours.readsWholeTable) throw conflict(winnerVersion, 'added data this commit did not see');
  }
  return { kind: 'retry' };
}

/**
 * Checks the txn actions of the table state we read: a batch whose every appId is already at our version or
 * later is already committed.
 */
export function alreadyCommitted(actions: readonly Action[], appTransactions: ReadonlyMap<string, Txn>): Txn | undefined {
  const txns = ourTxns(actions);
  if (txns.size === 0) return undefined;
  let seen: Txn | undefined;
  for (const [appId, version] of txns) {
    const t = appTransactions.get(appId);
    if (!t || t.version < version) return undefined;
    seen = t;
  }
  return seen;
}
