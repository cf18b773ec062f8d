/**
 * What one request did, for the response's `extensions`: time spent planning scans and inside DuckDB, the table
 * versions read, and files and rows scanned or skipped. Resolvers add to it; a yoga plugin reports it.
 */

export interface ScanFigures {
  filesTotal: number;
  filesScanned: number;
  filesSkipped: number;
  rowsScanned: number;
}

export class RequestTrace {
  readonly startedAt = performance.now();
  planningMs = 0;
  duckdbMs = 0;
  readonly tableVersions = new Map<string, number>();
  readonly scan: ScanFigures = { filesTotal: 0, filesScanned: 0, filesSkipped: 0, rowsScanned: 0 };

  recordVersion(table: string, version: number): void {
    this.tableVersions.set(table, version);
  }

  recordScan(figures: ScanFigures): void {
    this.scan.filesTotal += figures.filesTotal;
    this.scan.filesScanned += figures.filesScanned;
    this.scan.filesSkipped += figures.filesSkipped;
    this.scan.rowsScanned += figures.rowsScanned;
  }

  /** Times `fn` and adds its duration to planning or DuckDB time. */
  async time<T>(phase: 'planning' | 'duckdb', fn: () => Promise<T> | T): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      const ms = performance.now() - start;
      if (phase === 'planning') this.planningMs += ms;
      else this.duckdbMs += ms;
    }
  }

  /** The `extensions.delta` object of the response. */
  toExtensions() {
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      timing: { totalMs: round(performance.now() - this.startedAt), planningMs: round(this.planningMs), duckdbMs: round(this.duckdbMs) },
      tables: Object.fromEntries(this.tableVersions),
      scan: { ...this.scan },
    };
  }
}
