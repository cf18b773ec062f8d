/** The per-request GraphQL context: the long-lived services plus what is created per request (loaders, trace). */
import type { Logger } from '../logger.ts';
import type { TableCatalog } from '../sources/table-catalog.ts';
import type { DuckDbEngine } from '../sources/duckdb-engine.ts';
import type { RequestLoaders } from './loaders.ts';
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
  readonly limits: GatewayLimits;
  /** Lake root, so table locations are shown relative to it. */
  readonly lakeRoot: string;
}

export interface GatewayContext extends GatewayServices {
  readonly loaders: RequestLoaders;
  readonly trace: RequestTrace;
}
