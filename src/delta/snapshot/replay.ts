/**
 * Log replay (PROTOCOL.md "Action Reconciliation"; delta-kernel-rs `log_replay`): actions are visited newest to
 * oldest; a logical file, keyed by (path, deletion vector unique id), takes its newest reference, so an add is live
 * unless a newer remove or add names the same key. The newest protocol and metadata win, txn keeps the newest
 * version per appId, and domainMetadata the newest per domain with `removed` as a tombstone.
 */
import type { Action, Add, DeletionVectorDescriptor, DomainMetadata, Metadata, Protocol, Txn } from '../log/actions.ts';

/** The reconciled table state. */
export interface ReplayState {
  protocol?: Protocol;
  metadata?: Metadata;
  files: Add[];
  appTransactions: Map<string, Txn>;
  domainMetadata: Map<string, DomainMetadata>;
}

/** A deletion vector's unique id: `<storageType><pathOrInlineDv>` plus `@<offset>` when an offset is set. */
export function deletionVectorUniqueId(dv: DeletionVectorDescriptor): string {
  return dv.offset == null ? `${dv.storageType}${dv.pathOrInlineDv}` : `${dv.storageType}${dv.pathOrInlineDv}@${dv.offset}`;
}

/** The logical file key (path, deletion vector unique id) as one string. */
export function fileKey(path: string, dv: DeletionVectorDescriptor | null | undefined): string {
  return dv ? `${path}\u0000${deletionVectorUniqueId(dv)}` : path;
}

/**
 * Accumulates replay state. Feed commits newest first with applyCommit, then at most one checkpoint (or a
 * previous snapshot's state) with applyBase, then call finish().
 */
export class LogReplay {
  private readonly seen = new Set<string>();
  private readonly files: Add[] = [];
  private protocol?: Protocol;
  private metadata?: Metadata;
  private readonly txns = new Map<string, Txn>();
  private readonly domains = new Map<string, DomainMetadata>();

  /** One commit's actions in file order; within a commit a later action is the newer one. */
  applyCommit(actions: readonly Action[]): void {
    for (let i = actions.length - 1; i >= 0; i--) {
      const a = actions[i] as Partial<Record<string, unknown>>;
      if (a.add) this.visitAdd(a.add as Add, true);
      else if (a.remove) {
        const r = a.remove as { path: string; deletionVector?: DeletionVectorDescriptor };
        this.seen.add(fileKey(r.path, r.deletionVector));
      } else this.visitOther(a);
    }
  }

  /**
   * The oldest state: a checkpoint's actions or a previous snapshot. Its removes are tombstones only and it holds
   * at most one reference per file, so its adds need no bookkeeping beyond the newer keys already seen.
   */
  applyBase(actions: Iterable<Action>): void {
    for (const action of actions) {
      const a = action as Partial<Record<string, unknown>>;
      if (a.add) this.visitAdd(a.add as Add, false);
      else if (!a.remove) this.visitOther(a);
    }
  }

  /** The oldest live files (a previous snapshot's), older than everything applied so far. */
  applyBaseFiles(adds: Iterable<Add>): void {
    for (const add of adds) this.visitAdd(add, false);
  }

  /** Seeds protocol, metadata, txns and domains from a previous snapshot (older than everything applied). */
  applyBaseState(state: { protocol: Protocol; metadata: Metadata; appTransactions: ReadonlyMap<string, Txn>; domainMetadata: ReadonlyMap<string, DomainMetadata> }): void {
    this.protocol ??= state.protocol;
    this.metadata ??= state.metadata;
    for (const [k, v] of state.appTransactions) if (!this.txns.has(k)) this.txns.set(k, v);
    for (const [k, v] of state.domainMetadata) if (!this.domains.has(k)) this.domains.set(k, v);
  }

  /** The protocol seen so far (the newest), if any. */
  get currentProtocol(): Protocol | undefined {
    return this.protocol;
  }

  finish(): ReplayState {
    const domainMetadata = new Map<string, DomainMetadata>();
    for (const [k, v] of this.domains) if (!v.removed) domainMetadata.set(k, v);
    return { protocol: this.protocol, metadata: this.metadata, files: this.files, appTransactions: this.txns, domainMetadata };
  }

  private visitAdd(add: Add, track: boolean): void {
    const key = fileKey(add.path, add.deletionVector);
    if (this.seen.has(key)) return;
    if (track) this.seen.add(key);
    this.files.push(add);
  }

  private visitOther(a: Partial<Record<string, unknown>>): void {
    if (a.metaData) this.metadata ??= a.metaData as Metadata;
    else if (a.protocol) this.protocol ??= a.protocol as Protocol;
    else if (a.txn) {
      const t = a.txn as Txn;
      if (!this.txns.has(t.appId)) this.txns.set(t.appId, t);
    } else if (a.domainMetadata) {
      const d = a.domainMetadata as DomainMetadata;
      if (!this.domains.has(d.domain)) this.domains.set(d.domain, d);
    }
  }
}
