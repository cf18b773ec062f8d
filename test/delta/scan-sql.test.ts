import { describe, expect, it } from 'vitest';
import { fileKey } from '../../src/delta/snapshot/replay.ts';
import type { Add, Metadata } from '../../src/delta/log/actions.ts';
import { planScan } from '../../src/delta/scan/scan-planner.ts';
import { buildScanSql } from '../../src/delta/scan/scan-sql.ts';
import type { DataType, StructType } from '../../src/delta/snapshot/schema-types.ts';
import type { Snapshot } from '../../src/delta/snapshot/snapshot.ts';
import { duckDbType, quoteIdent, quoteString, scalarLiteral } from '../../src/delta/scan/sql-text.ts';

const p = (name: string): DataType => ({ kind: 'primitive', name } as DataType);
const field = (name: string, type: DataType) => ({ name, type, nullable: true, metadata: {} });

function snapshotOf(schema: StructType, partitionColumns: string[], files: Partial<Add>[], configuration: Record<string, string> = {}): Snapshot {
  const metadata: Metadata = { id: 't', format: { provider: 'parquet' }, schemaString: '', partitionColumns, configuration };
  return {
    tableRoot: '/t',
    version: 0,
    protocol: { minReaderVersion: 1, minWriterVersion: 2 },
    metadata,
    schema,
    partitionColumns,
    files: files.map((f, i) => ({ path: `f${i}.parquet`, partitionValues: {}, size: 10, modificationTime: 0, dataChange: true, ...f })),
    appTransactions: new Map(),
    domainMetadata: new Map(),
    timestamp: 0,
  };
}

const schema: StructType = {
  kind: 'struct',
  fields: [field('id', p('long')), field('we"ird', p('string')), field('day', p('date')), field('amount', { kind: 'decimal', precision: 10, scale: 2 })],
};
const locate = (add: Add) => `/data/${add.path}`;

describe('sql text', () => {
  it('quotes identifiers and strings by doubling quotes', () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteString("it's")).toBe("'it''s'");
    expect(() => quoteString('a\u0000')).toThrowError(/NUL/);
  });

  it('maps Delta types to DuckDB types', () => {
    expect(duckDbType(p('long'))).toBe('BIGINT');
    expect(duckDbType(p('timestamp'))).toBe('TIMESTAMPTZ');
    expect(duckDbType(p('timestamp_ntz'))).toBe('TIMESTAMP');
    expect(duckDbType({ kind: 'decimal', precision: 38, scale: 18 })).toBe('DECIMAL(38,18)');
    expect(duckDbType({ kind: 'map', keyType: p('string'), valueType: { kind: 'array', elementType: p('integer'), containsNull: true }, valueContainsNull: true })).toBe('MAP(VARCHAR, INTEGER[])');
    expect(duckDbType({ kind: 'struct', fields: [field('a b', p('byte'))] })).toBe('STRUCT("a b" TINYINT)');
    expect(duckDbType(p('variant'))).toBe('JSON');
  });

  it('writes typed literals for log values, including nulls and out-of-range years', () => {
    expect(scalarLiteral(p('string'), "o'k")).toBe("'o''k'");
    expect(scalarLiteral(p('date'), null)).toBe('CAST(NULL AS DATE)');
    expect(scalarLiteral(p('date'), 0)).toBe("DATE '1970-01-01'");
    expect(scalarLiteral(p('timestamp'), 1n)).toBe("TIMESTAMPTZ '1970-01-01 00:00:00.000001+00'");
    expect(scalarLiteral(p('timestamp_ntz'), -62135596800000001n)).toBe('make_timestamp(-62135596800000001)');
    expect(scalarLiteral(p('double'), NaN)).toBe("CAST('NaN' AS DOUBLE)");
    expect(scalarLiteral(p('binary'), new Uint8Array([0, 255]))).toBe("from_hex('00ff')");
    expect(scalarLiteral({ kind: 'decimal', precision: 5, scale: 2 }, { unscaled: -5n, scale: 2 })).toBe("CAST('-0.05' AS DECIMAL(5,2))");
  });
});

describe('buildScanSql', () => {
  it('binds every predicate value as a parameter and never splices it into the SQL', () => {
    const snap = snapshotOf(schema, [], [{}]);
    const plan = planScan(snap, {
      predicate: { or: [{ op: 'eq', column: 'we"ird', value: "x'; DROP TABLE t; --" }, { op: 'in', column: 'id', values: [1, 2] }, { op: 'gt', column: 'amount', value: '1.5' }] },
    });
    const { sql, params } = buildScanSql(plan, { locate, limit: 10, offset: 5 });
    expect(sql).not.toContain('DROP TABLE');
    expect(sql).toContain('t."we""ird"');
    expect(params).toEqual(["x'; DROP TABLE t; --", 1n, 2n, '1.5', 10n, 5n]);
    expect(sql).toMatch(/\$1\b.*\$2\b.*\$3\b.*\$4\b.*LIMIT \$5 OFFSET \$6$/);
  });

  it('reads the files with union_by_name and casts columns to their Delta types', () => {
    const { sql } = buildScanSql(planScan(snapshotOf(schema, [], [{}, {}])), { locate });
    expect(sql).toContain("read_parquet(['/data/f0.parquet', '/data/f1.parquet'], union_by_name = true)");
    expect(sql).toContain('CAST(d."amount" AS DECIMAL(10,2)) AS "amount"');
  });

  it('uses union_by_name only when needed columns differ between files', () => {
    const plan = planScan(snapshotOf(schema, [], [{}, {}]), { columns: ['id', 'day'] });
    const all = new Set(['id', 'we"ird', 'day', 'amount']);
    expect(buildScanSql(plan, { locate, presentColumns: all, uniformColumns: all }).sql).not.toContain('union_by_name');
    expect(buildScanSql(plan, { locate, presentColumns: all, uniformColumns: new Set(['id', 'we"ird', 'amount']) }).sql).toContain('union_by_name = true');
    // a column absent from every file is projected as NULL and needs no union
    expect(buildScanSql(plan, { locate, presentColumns: new Set(['id']), uniformColumns: new Set(['id']) }).sql).not.toContain('union_by_name');
  });

  it('projects columns absent from every file as typed NULLs', () => {
    const { sql } = buildScanSql(planScan(snapshotOf(schema, [], [{}])), { locate, presentColumns: new Set(['id', 'we"ird']) });
    expect(sql).toContain('CAST(NULL AS DATE) AS "day"');
    expect(sql).toContain('CAST(NULL AS DECIMAL(10,2)) AS "amount"');
  });

  it('gives an empty typed result for zero files', () => {
    const { sql, columns } = buildScanSql(planScan(snapshotOf(schema, [], [])), { locate });
    expect(sql).toContain('WHERE FALSE');
    expect(sql).not.toContain('read_parquet');
    expect(columns.map((c) => c.name)).toEqual(['id', 'we"ird', 'day', 'amount']);
  });

  it('uses literals when every file shares the partition values, a VALUES join otherwise', () => {
    const one = snapshotOf(schema, ['day'], [{ partitionValues: { day: '2021-01-01' } }, { partitionValues: { day: '2021-01-01' } }]);
    const same = buildScanSql(planScan(one), { locate }).sql;
    expect(same).toContain(`DATE '2021-01-01' AS "day"`);
    expect(same).not.toContain('JOIN');
    const two = snapshotOf(schema, ['day'], [{ partitionValues: { day: '2021-01-01' } }, { partitionValues: { day: null } }]);
    const join = buildScanSql(planScan(two), { locate }).sql;
    expect(join).toContain(`JOIN (VALUES (0, DATE '2021-01-01'), (1, CAST(NULL AS DATE))) AS p("__delta_scan_file", "day") ON d.file_index = p."__delta_scan_file"`);
    // a data column named file_index would shadow DuckDB's virtual column: join on the file name instead
    const shadowed = buildScanSql(planScan(two), { locate, presentColumns: new Set(['id', 'file_index']) }).sql;
    expect(shadowed).toContain("filename = '__delta_scan_file'");
    expect(shadowed).toContain(`(VALUES ('/data/f0.parquet', DATE '2021-01-01'), ('/data/f1.parquet', CAST(NULL AS DATE)))`);
    // partition columns that are not read need no join at all
    expect(buildScanSql(planScan(two, { columns: ['id'] }), { locate }).sql).not.toContain('JOIN');
  });

  it('orders with explicit null placement and validates order columns and counts', () => {
    const plan = planScan(snapshotOf(schema, [], [{}]), { columns: ['id'] });
    expect(buildScanSql(plan, { locate, orderBy: [{ column: 'day', direction: 'desc' }, { column: 'id', nulls: 'first' }] }).sql).toContain(
      'ORDER BY t."day" DESC NULLS FIRST, t."id" ASC NULLS FIRST',
    );
    expect(() => buildScanSql(plan, { locate, orderBy: [{ column: 'nope' }] })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => buildScanSql(plan, { locate, limit: -1 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('adds a file and row-position tie-breaker for stable paging', () => {
    const plan = planScan(snapshotOf(schema, [], [{}, {}]), { columns: ['id'] });
    const { sql } = buildScanSql(plan, { locate, stableOrder: true, orderBy: [{ column: 'day' }], limit: 5 });
    expect(sql).toContain('file_row_number = true');
    expect(sql).toContain('d.file_index AS "__delta_scan_file", d.file_row_number AS "__delta_scan_row"');
    expect(sql).toContain('ORDER BY t."day" ASC NULLS LAST, t."__delta_scan_file", t."__delta_scan_row" LIMIT $1');
    expect(sql.startsWith('SELECT t."id" FROM')).toBe(true);
  });

  it('matches strings with contains / starts_with and a bound value', () => {
    const plan = planScan(snapshotOf(schema, [], [{}]), { predicate: { or: [{ op: 'contains', column: 'we"ird', value: "%'_" }, { op: 'startsWith', column: 'we"ird', value: 'x' }] } });
    const { sql, params } = buildScanSql(plan, { locate });
    expect(sql).toContain('contains(t."we""ird", CAST($1 AS VARCHAR)) OR starts_with(t."we""ird", CAST($2 AS VARCHAR))');
    expect(params).toEqual(["%'_", 'x']);
  });

  it('filters registered deleted-row bitstrings by file_row_number, and refuses DVs that were not loaded', () => {
    const dvDescriptor = { storageType: 'u' as const, pathOrInlineDv: 'x', sizeInBytes: 1, cardinality: 1 };
    const dv = snapshotOf(schema, [], [{ deletionVector: dvDescriptor }, {}]);
    expect(() => buildScanSql(planScan(dv), { locate })).toThrowError(expect.objectContaining({ code: 'UNSUPPORTED_FEATURE' }));
    const plan = planScan(dv);
    const ids = new Map([[fileKey(plan.files[0]!.add.path, dvDescriptor), '42']]);
    const { sql } = buildScanSql(plan, { locate, deletedRows: { table: 'dv_rows', ids } });
    expect(sql).toContain('file_row_number = true');
    expect(sql).toContain('LEFT JOIN (SELECT k.f AS f, r.bits AS bits FROM (VALUES (0, CAST(42 AS UBIGINT))) AS k(f, dv) JOIN "dv_rows" AS r ON r.dv = k.dv) AS x ON x.f = d.file_index WHERE NOT CASE WHEN x.bits IS NULL OR d.file_row_number >= bit_length(x.bits) THEN FALSE ELSE get_bit(x.bits, CAST(d.file_row_number AS INTEGER)) = 1 END');
  });

  it('projects column-mapped physical names, nested struct fields included, to logical names', () => {
    const meta = (id: number, physical: string) => ({ 'delta.columnMapping.id': id, 'delta.columnMapping.physicalName': physical });
    const mapped: StructType = {
      kind: 'struct',
      fields: [
        { name: 'a', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: meta(1, 'col-1') },
        { name: 's', type: { kind: 'struct', fields: [{ name: 'b', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: meta(3, 'col-3') }] }, nullable: true, metadata: meta(2, 'col-2') },
      ],
    };
    const { sql } = buildScanSql(planScan(snapshotOf(mapped, [], [{}], { 'delta.columnMapping.mode': 'name' })), { locate });
    expect(sql).toContain('CAST(d."col-1" AS BIGINT) AS "a"');
    expect(sql).toContain('CASE WHEN d."col-2" IS NULL THEN NULL ELSE struct_pack("b" := d."col-2"."col-3") END AS "s"');
  });
});

describe('planScan', () => {
  it('counts scanned and skipped files and bytes', () => {
    const stats = (min: number, max: number) => JSON.stringify({ numRecords: 1, minValues: { id: min }, maxValues: { id: max }, nullCount: { id: 0 } });
    const snap = snapshotOf(schema, ['day'], [
      { stats: stats(1, 5), partitionValues: { day: '2021-01-01' }, size: 100 },
      { stats: stats(6, 9), partitionValues: { day: '2021-01-02' }, size: 200 },
      { partitionValues: { day: '2021-01-02' }, size: 300 },
    ]);
    expect(planScan(snap, { predicate: { op: 'gt', column: 'id', value: 5 } }).stats).toEqual({ filesTotal: 3, filesScanned: 2, filesSkipped: 1, bytesScanned: 500 });
    expect(planScan(snap, { predicate: { op: 'eq', column: 'day', value: '2021-01-01' } }).stats.filesScanned).toBe(1);
    expect(() => planScan(snap, { columns: ['nope'] })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => planScan(snap, { columns: [] })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
