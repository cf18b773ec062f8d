/** Parsing of the Delta corpus INDEX.md (kept free of vitest so scripts can use it too). */

/** One row of INDEX.md: the group (folder), table name and the "Live" column's file count when it gives one. */
export interface CorpusIndexRow {
  group: string;
  table: string;
  liveFiles?: number;
  /** Every cell by column header (Protocol, DV, CM, Types, Notes, ...). */
  cells: Record<string, string>;
}

/** Parses INDEX.md's per-group tables. dat-early rows name `<case>` whose table lives in `<case>/delta`. */
export function readCorpusIndex(text: string): CorpusIndexRow[] {
  const rows: CorpusIndexRow[] = [];
  let group = '';
  let liveCol = -1;
  let headers: string[] = [];
  for (const line of text.split('\n')) {
    const heading = /^## (\S+)/.exec(line);
    if (heading) group = heading[1]!;
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells[0] === 'Table') {
      liveCol = cells.indexOf('Live');
      headers = cells;
      continue;
    }
    if (cells[0]?.startsWith('---') || liveCol < 0) continue;
    const live = /^(\d+) files/.exec(cells[liveCol] ?? '');
    const byHeader = Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
    rows.push({ group, table: cells[0]!, liveFiles: live ? Number(live[1]) : undefined, cells: byHeader });
  }
  return rows;
}
