/**
 * Scan planning (the "Scan" step of the read path, as delta-kernel-rs names it): from a Snapshot's live files
 * and an optional predicate and projection, the files a reader must open, each with its typed partition values,
 * after partition pruning and min/max/nullCount data skipping (PROTOCOL.md "Per-file Statistics").
 */
import type { Add } from '../log/actions.ts';
import { DeltaError } from '../errors.ts';
import { fileStats } from '../values/file-stats.ts';
import { parsePartitionValues, partitionFieldsOf } from '../values/partition-values.ts';
import { type BoundPredicate, type Predicate, bindPredicate } from './predicate.ts';
import type { ScalarValue } from '../values/scalar-values.ts';
import type { StructField } from '../snapshot/schema-types.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import { canSkipFile, toNegationNormalForm } from './stats-pruning.ts';

/** One file to read, with its partition values typed and keyed by logical column name. */
export interface PlannedFile {
  readonly add: Add;
  readonly partitionValues: ReadonlyMap<string, ScalarValue | null>;
  /** Physical row count from stats, when known. */
  readonly numRecords?: number;
}

export interface ScanStats {
  readonly filesTotal: number;
  readonly filesScanned: number;
  readonly filesSkipped: number;
  readonly bytesScanned: number;
}

export interface ScanPlan {
  readonly snapshot: Snapshot;
  /** Projected top-level fields of the logical schema, in the requested (or schema) order. */
  readonly columns: readonly StructField[];
  readonly partitionFields: readonly StructField[];
  /** The bound predicate (not normalised), for SQL generation; undefined when none was given. */
  readonly predicate?: BoundPredicate;
  readonly files: readonly PlannedFile[];
  readonly stats: ScanStats;
}

export interface PlanScanOptions {
  predicate?: Predicate;
  /** Top-level logical column names to return; all columns when absent. */
  columns?: readonly string[];
}

function projectColumns(fields: readonly StructField[], names: readonly string[] | undefined): StructField[] {
  if (!names) return [...fields];
  if (names.length === 0) throw new DeltaError('INVALID_ARGUMENT', 'at least one column must be selected');
  const seen = new Set<string>();
  return names.map((name) => {
    const field = fields.find((f) => f.name === name);
    if (!field) throw new DeltaError('INVALID_ARGUMENT', `unknown column "${name}"`);
    if (seen.has(name)) throw new DeltaError('INVALID_ARGUMENT', `column "${name}" is requested twice`);
    seen.add(name);
    return field;
  });
}

/** The same plan (same files) returning other columns; throws as planScan for unknown or repeated names. */
export function withColumns(plan: ScanPlan, names: readonly string[] | undefined): ScanPlan {
  return { ...plan, columns: projectColumns(plan.snapshot.schema.fields, names) };
}

/**
 * Plans a scan of `snapshot`. A file is skipped only when its partition values or statistics prove that no row
 * matches; files without stats are always kept. Partition values are parsed for every kept file.
 * @throws DeltaError INVALID_ARGUMENT for unknown columns or predicate values that do not fit their columns
 * @throws DeltaError CORRUPT_LOG for malformed partition values or partition columns missing from the schema
 */
export function planScan(snapshot: Snapshot, options: PlanScanOptions = {}): ScanPlan {
  const fields = snapshot.schema.fields;
  const columns = projectColumns(fields, options.columns);
  const partitionFields = partitionFieldsOf(fields, snapshot.partitionColumns);
  const predicate = options.predicate ? bindPredicate(snapshot.schema, options.predicate) : undefined;
  const normal = predicate ? toNegationNormalForm(predicate) : undefined;
  const files: PlannedFile[] = [];
  let bytesScanned = 0;
  for (const add of snapshot.files) {
    const partitionValues = parsePartitionValues(add.partitionValues ?? {}, partitionFields);
    const stats = fileStats(add);
    if (normal && canSkipFile(normal, { partitionValues, stats })) continue;
    const numRecords = typeof stats?.numRecords === 'number' ? stats.numRecords : undefined;
    files.push(numRecords === undefined ? { add, partitionValues } : { add, partitionValues, numRecords });
    bytesScanned += add.size ?? 0;
  }
  const filesTotal = snapshot.files.length;
  return {
    snapshot,
    columns,
    partitionFields,
    ...(predicate ? { predicate } : {}),
    files,
    stats: { filesTotal, filesScanned: files.length, filesSkipped: filesTotal - files.length, bytesScanned },
  };
}
