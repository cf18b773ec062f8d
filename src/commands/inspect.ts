/**
 * `delta-gateway inspect <table-dir> [--version N] [--json]`: a table's version, commit time, protocol, metadata
 * (id, name, configuration), schema, partition columns, live file count, row count from stats (minus rows deleted
 * by deletion vectors), total size and domain metadata (clustering, row tracking, …).
 */
import { fileStats, type Snapshot } from '../delta/index.ts';
import { deltaTypeText } from '../resolvers/column-types.ts';
import { exitCodeFor, parseTableArgs, withTable } from './table-command.ts';

const USAGE = 'delta-gateway inspect <table-dir> [--version N] [--json]';

/** What inspect prints; `rowCount` is null when some live file has no numRecords stat. */
export interface TableInspection {
  version: number;
  timestamp: string;
  protocol: Snapshot['protocol'];
  metadata: { id: string; name: string | null; description: string | null; configuration: Record<string, string> };
  schema: { name: string; type: string; nullable: boolean }[];
  partitionColumns: readonly string[];
  fileCount: number;
  rowCount: number | null;
  rowCountFromStats: number;
  filesWithoutStats: number;
  /** Rows hidden by deletion vectors (their cardinality), already subtracted from rowCount. */
  deletedRows: number;
  filesWithDeletionVectors: number;
  totalBytes: number;
  /** Live domain metadata: domain name → its configuration (JSON text as stored). */
  domainMetadata: Record<string, string>;
}

/** Inspects a snapshot (row counts from per-file stats; no data file is read). */
export function inspectSnapshot(snapshot: Snapshot): TableInspection {
  let rows = 0;
  let withoutStats = 0;
  let bytes = 0;
  let deleted = 0;
  let withDv = 0;
  for (const add of snapshot.files) {
    const n = fileStats(add)?.numRecords;
    if (typeof n === 'number') rows += n;
    else withoutStats++;
    bytes += add.size ?? 0;
    if (add.deletionVector) {
      withDv++;
      deleted += add.deletionVector.cardinality ?? 0;
    }
  }
  const m = snapshot.metadata;
  return {
    version: snapshot.version,
    timestamp: new Date(snapshot.timestamp).toISOString(),
    protocol: snapshot.protocol,
    metadata: { id: m.id, name: m.name ?? null, description: m.description ?? null, configuration: m.configuration ?? {} },
    schema: snapshot.schema.fields.map((f) => ({ name: f.name, type: deltaTypeText(f.type), nullable: f.nullable })),
    partitionColumns: snapshot.partitionColumns,
    fileCount: snapshot.files.length,
    rowCount: withoutStats === 0 ? rows - deleted : null,
    rowCountFromStats: rows - deleted,
    filesWithoutStats: withoutStats,
    deletedRows: deleted,
    filesWithDeletionVectors: withDv,
    totalBytes: bytes,
    domainMetadata: Object.fromEntries([...snapshot.domainMetadata].map(([k, v]) => [k, v.configuration])),
  };
}

function text(s: TableInspection): string {
  const p = s.protocol;
  const features = [p.readerFeatures?.length ? `reader[${p.readerFeatures.join(',')}]` : '', p.writerFeatures?.length ? `writer[${p.writerFeatures.join(',')}]` : ''].filter(Boolean).join(' ');
  const config = Object.entries(s.metadata.configuration).map(([k, v]) => `  ${k} = ${v}`);
  const dvText = s.filesWithDeletionVectors ? ` (${s.deletedRows} deleted by deletion vectors in ${s.filesWithDeletionVectors} files)` : '';
  const rowText = (s.rowCount !== null ? String(s.rowCount) : `at least ${s.rowCountFromStats} (${s.filesWithoutStats} files without stats)`) + dvText;
  const domains = Object.entries(s.domainMetadata).map(([k, v]) => `  ${k} = ${v}`);
  return [
    `version:     ${s.version} (${s.timestamp})`,
    `protocol:    reader ${p.minReaderVersion}, writer ${p.minWriterVersion}${features ? ` ${features}` : ''}`,
    `table id:    ${s.metadata.id}${s.metadata.name ? ` (name ${s.metadata.name})` : ''}`,
    `partitions:  ${s.partitionColumns.length ? s.partitionColumns.join(', ') : '(none)'}`,
    `files:       ${s.fileCount} (${s.totalBytes} bytes)`,
    `rows:        ${rowText}`,
    'schema:',
    ...s.schema.map((f) => `  ${f.name}: ${f.type}${f.nullable ? '' : ' not null'}`),
    ...(config.length ? ['configuration:', ...config] : []),
    ...(domains.length ? ['domain metadata:', ...domains] : []),
  ].join('\n') + '\n';
}

export async function run(args: string[]): Promise<number> {
  try {
    const { table, values } = parseTableArgs(args, { version: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
    return await withTable(table, { version: values.version }, async ({ snapshot }) => {
      const inspection = inspectSnapshot(snapshot);
      process.stdout.write(values.json ? `${JSON.stringify(inspection, null, 2)}\n` : text(inspection));
      return 0;
    });
  } catch (e) {
    return exitCodeFor(e);
  }
}
