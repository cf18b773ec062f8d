/**
 * What one request did, for the response's `extensions`: time spent planning scans and inside DuckDB, the table
 * versions read, and files and rows scanned or skipped. Resolvers add to it; a yoga plugin reports it.
 */
import type { ScanFigures, ScanTimings } from '../sources/duckdb/scan-request.ts';

export class RequestTrace {
  readonly startedAt = performance.now();
  planningMs = 0;
  duckdbMs = 0;
  readonly tableVersions = new Map<string, number>();
  readonly scan = { filesTotal: 0, filesScanned: 0, filesSkipped: 0, rowsScanned: 0 };
  /** Query-cache lookups of this request, by outcome. */
  readonly cache = { hits: 0, misses: 0, coalesced: 0, bypassed: 0 };

  recordVersion(table: string, version: number): void {
    this.tableVersions.set(table, version);
  }

  /** Adds what a scan read (a cache hit adds the figures of the scan its answer came from). */
  recordScan(figures: ScanFigures): void {
    this.scan.filesTotal += figures.filesTotal;
    this.scan.filesScanned += figures.filesScanned;
    this.scan.filesSkipped += figures.filesSkipped;
    this.scan.rowsScanned += figures.rowsScanned;
  }

  recordCache(status: 'hit' | 'miss' | 'coalesced' | 'bypass'): void {
    if (status === 'hit') this.cache.hits++;
    else if (status === 'miss') this.cache.misses++;
    else if (status === 'coalesced') this.cache.coalesced++;
    else this.cache.bypassed++;
  }

  /** The request's cache outcome: bypass if any lookup bypassed, else miss if any missed, else coalesced, else hit. */
  cacheStatus(): 'hit' | 'miss' | 'coalesced' | 'bypass' {
    const c = this.cache;
    return c.bypassed ? 'bypass' : c.misses ? 'miss' : c.coalesced ? 'coalesced' : 'hit';
  }

  /** Adds a scan's planning and DuckDB time (as the scan executor measured them). */
  recordTimings(timings: ScanTimings): void {
    this.planningMs += timings.planningMs;
    this.duckdbMs += timings.duckdbMs;
  }

  /** The `extensions.delta` object of the response. */
  toExtensions() {
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      timing: { totalMs: round(performance.now() - this.startedAt), planningMs: round(this.planningMs), duckdbMs: round(this.duckdbMs) },
      tables: Object.fromEntries(this.tableVersions),
      scan: { ...this.scan },
      // Only requests that looked anything up in the query cache report it.
      ...(this.cache.hits + this.cache.misses + this.cache.coalesced + this.cache.bypassed > 0
        ? { cache: { status: this.cacheStatus(), ...this.cache } }
        : {}),
    };
  }
}
