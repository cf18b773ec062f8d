/**
 * Order-independent comparison of rows read by the gateway with rows delta-rs returns: numbers, bigints and
 * decimal strings become canonical text, ISO times become epoch microseconds, nested values recursively.
 */

function norm(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') {
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v)) {
      const m = /^(.*?)(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)?$/.exec(v)!;
      const frac = (m[2] ?? '.0').slice(1).padEnd(6, '0').slice(0, 6);
      const zone = m[3] === undefined ? 'Z' : m[3].length === 3 ? `${m[3]}:00` : m[3];
      return `t${BigInt(Date.parse(`${m[1]!.replace(' ', 'T')}${zone}`)) * 1000n + BigInt(frac) % 1000n}`;
    }
    return /^-?\d+(\.\d+)?$/.test(v) ? String(Number(v)) : v;
  }
  if (Array.isArray(v)) return v.map(norm);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, norm(x)]));
  return v;
}

/** Rows as sorted canonical JSON strings. */
export function comparableRows(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(norm(r))).sort();
}
