import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:'); const c = await db.connect();
const T = '/work/main/.cache/bench/dv-5m';
const files = [0,1,2,3,4].map(f => `'${T}/part-${f}.parquet'`).join(', ');
await c.run(`CREATE TABLE dv AS SELECT (f % 5)::UBIGINT AS dv, (range * 5)::BIGINT AS row_index FROM range(200000), range(5) AS t(f)`);
await c.run(`CREATE TABLE dvb AS SELECT dv, bitstring_agg(row_index, 0, 999999) AS bits FROM dv GROUP BY dv`);
const J = `LEFT JOIN (SELECT k.f, b.bits FROM (VALUES (0,0::UBIGINT),(1,1::UBIGINT),(2,2::UBIGINT),(3,3::UBIGINT),(4,4::UBIGINT)) k(f, dv) JOIN dvb b ON b.dv = k.dv) x ON x.f = d.file_index`;
const L = `CROSS JOIN (SELECT list(b.bits ORDER BY k.f) AS l FROM (VALUES (0,0::UBIGINT),(1,1::UBIGINT),(2,2::UBIGINT),(3,3::UBIGINT),(4,4::UBIGINT)) k(f, dv) LEFT JOIN dvb b ON b.dv = k.dv) x`;
const B = `x.l[CAST(d.file_index AS BIGINT) + 1]`;
const q = {
  case: `SELECT count(*), sum(value) FROM read_parquet([${files}], file_row_number = true) d ${J} WHERE NOT CASE WHEN x.bits IS NULL OR d.file_row_number >= bit_length(x.bits) THEN FALSE ELSE get_bit(x.bits, CAST(d.file_row_number AS INTEGER)) = 1 END`,
  list: `SELECT count(*), sum(value) FROM read_parquet([${files}], file_row_number = true) d ${L} WHERE NOT CASE WHEN ${B} IS NULL OR d.file_row_number >= bit_length(${B}) THEN FALSE ELSE get_bit(${B}, CAST(d.file_row_number AS INTEGER)) = 1 END`,
};
for (let round = 0; round < 2; round++) for (const [name, sql] of Object.entries(q)) {
  const ts = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); const r = await c.runAndReadAll(sql); if (i == 0 && round == 0) console.log(r.getRowsJS()); ts.push(performance.now() - t); }
  ts.sort((a,b)=>a-b); console.log(name, ts.slice(0, 3).map(x => x.toFixed(0)).join(' '));
}
