/**
 * What a principal may read, as the policy decides it once per request (DESIGN.md decision 4): which tables it
 * sees, per table the columns hidden or masked and the row filter, its limits and privileges, and fingerprints
 * that key caches and per-role schemas. The scan executor and the schema builder apply it; surfaces never
 * re-decide it.
 */
import type { Predicate } from '../delta/index.ts';
import { OPEN_PRINCIPAL, type Principal } from './principal.ts';

/** How a masked column's values are replaced: NULL, or a salted SHA-256 hex of the value's text. */
export type ColumnMask = 'null' | 'hash';

export interface TableAccess {
  readonly table: string;
  /** Top-level columns hidden everywhere (absent from schemas, views, exports). */
  readonly deniedColumns: ReadonlySet<string>;
  /** Columns whose values are replaced; they cannot be filtered or sorted on. */
  readonly maskedColumns: ReadonlyMap<string, ColumnMask>;
  /** Row filter over logical columns with principal attributes resolved; ANDed into every scan's predicate. */
  readonly rowFilter: Predicate | undefined;
  /** Any of the three above is set. */
  readonly restricted: boolean;
}

export interface RoleLimits {
  readonly maxPageSize: number;
  readonly queryTimeoutMs: number;
  /** Bytes (after pruning) the principal may scan per minute; unlimited when absent. */
  readonly bytesPerMinute?: number;
  /** Token bucket refill rate and size; unlimited when absent. */
  readonly requestsPerSecond?: number;
  readonly burst?: number;
  /** DuckDB queries of this principal running at once; unlimited when absent. */
  readonly maxConcurrentQueries?: number;
}

export interface Access {
  readonly principal: Principal;
  /** No policy file: everything is visible, as before. */
  readonly open: boolean;
  canSeeTable(name: string): boolean;
  /**
   * The table's access.
   * @throws DeltaError TABLE_NOT_FOUND for a table the role may not see, exactly as for a missing one
   */
  table(name: string): TableAccess;
  readonly limits: RoleLimits;
  readonly privileges: { readonly cacheBypass: boolean; readonly admin: boolean; readonly sql: boolean };
  /** Hash of everything that changes answers: role, masks, denied columns, resolved row filters, mask salt. */
  readonly fingerprint: string;
  /** Hash of what shapes the GraphQL schema: visible tables, denied and masked columns. */
  readonly schemaKey: string;
  readonly maskSalt: string;
}

/** Access of a table nobody restricts. */
export function unrestrictedTable(table: string): TableAccess {
  return { table, deniedColumns: new Set(), maskedColumns: new Map(), rowFilter: undefined, restricted: false };
}

/**
 * The access of a gateway without a policy file: every table, column and row, fingerprint 'open'.
 * @param privileges defaults: cache bypass allowed (as before the policy existed), admin as ADMIN_ENABLED says
 */
export function openAccess(limits: RoleLimits, privileges: Partial<Access['privileges']> = {}): Access {
  return {
    principal: OPEN_PRINCIPAL,
    open: true,
    canSeeTable: () => true,
    table: unrestrictedTable,
    limits,
    privileges: { cacheBypass: true, admin: false, sql: true, ...privileges },
    fingerprint: 'open',
    schemaKey: 'open',
    maskSalt: '',
  };
}
