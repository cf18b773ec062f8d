/** The per-request GraphQL context: the long-lived services plus what is created per request (loaders, trace). */
import type { Logger } from '../logger.ts';
import type { TableCatalog } from '../sources/table-catalog.ts';
import type { DuckDbEngine } from '../sources/duckdb/duckdb-engine.ts';
import type { ScanExecutor } from '../sources/duckdb/scan-executor.ts';
import type { QueryCache } from '../sources/cache/query-cache.ts';
import type { RecordStore } from '../sources/records/record-store.ts';
import type { RequestLoaders } from './loaders.ts';
import type { LogStreams, StreamConnection } from '../subscriptions/log-streams.ts';
import type { RequestTrace } from './request-trace.ts';

export interface GatewayLimits {
  /** Largest `first`/`last` a connection accepts. */
  readonly maxPageSize: number;
  /** Deadline of one DuckDB query; past it the query is interrupted (QUERY_TIMEOUT). */
  readonly queryTimeoutMs: number;
}

/** Services shared by every request. */
export interface GatewayServices {
  readonly logger: Logger;
  readonly startedAt: number;
  readonly version: string;
  readonly catalog: TableCatalog;
  readonly engine: DuckDbEngine;
  /** The one place scans run (rows, counts, analytics, records, changes, backfills), on `engine`. */
  readonly scans: ScanExecutor;
  readonly limits: GatewayLimits;
  /** Lake root, so table locations are shown relative to it. */
  readonly lakeRoot: string;
  /** Live log subscriptions: the hub over Kafka or the demo stream, and their limits. */
  readonly streams?: LogStreams;
  /** Read-through cache of DuckDB results, keyed by table, version and normalised request. */
  readonly cache?: QueryCache;
  /** Rows bulk-loaded into Redis by `delta-gateway warm`; absent without Redis. */
  readonly records?: RecordStore;
  /** ADMIN_ENABLED: admin mutations (purgeCache) are allowed. */
  readonly adminEnabled?: boolean;
}

export interface GatewayContext extends GatewayServices {
  readonly loaders: RequestLoaders;
  readonly trace: RequestTrace;
  /** The graphql-ws connection a subscription runs on (absent over HTTP/SSE, where the request is the connection). */
  readonly connection?: StreamConnection;
  /** The request asked to skip the cache (`x-cache: bypass` header). */
  readonly cacheBypass?: boolean;
}
