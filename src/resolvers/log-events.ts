/**
 * Subscription resolvers: `logEvents` (live, resumed after a cursor, or backfilled from the Delta table since a
 * time), `logEventBatches` (the same, delivered in batches) and the windowed analytics `errorRate` and `anomalyAlerts`. Arguments are validated before any stream
 * opens, so bad input is a BAD_USER_INPUT error at subscribe time.
 *
 * `since:` guarantee. The table serves events with since <= timestamp < W and Kafka serves timestamp >= W, where
 * W = max(since, newest timestamp in the table's latest snapshot); Kafka is read from
 * `fetchTopicOffsetsByTimestamp(W)`. Events whose timestamp equals W are therefore taken from Kafka only (never
 * from the table), so one present in both is delivered once. The result has no gap and no duplicate provided that
 * (a) Kafka record timestamps are the events' own timestamps (produce-demo and the ingest sink do this), (b) the
 * table holds every event older than its newest one (an in-order ingest), and (c) Kafka still retains W. Kafka
 * events older than W that arrive late are skipped (the table owns that time range). Backfilled rows come in
 * timestamp order and carry the cursor of the switch point: resuming one with `after:` restarts at W, so to
 * resume inside the backfill, subscribe again with `since:` the last timestamp received.
 */
import { GraphQLError } from 'graphql';
import { badInput } from './errors.ts';
import type { GatewayContext } from './context.ts';
import { answerOf, scanOptions, scanRows } from './run-scan.ts';
import { parseInterval } from '../analytics/interval.ts';
import { BACKFILL_PAGE_ROWS, BATCH_LIMITS, STREAM_ERROR_CODES, WINDOW_LIMITS } from '../subscriptions/constants.ts';
import { decodeCursor } from '../subscriptions/log-stream/resume-token.ts';
import { decodeLogObject, type LogEventFields } from '../subscriptions/log-stream/log-event.ts';
import { compileLogFilter, type LogEventFilter } from '../subscriptions/log-stream/log-filter.ts';
import { openLogBatchSubscription, openLogSubscription, type Backfill, type LogSubscriptionOptions } from '../subscriptions/log-stream/log-subscription.ts';
import type { LogStreams } from '../subscriptions/log-streams.ts';
import { openWindowSubscription } from '../subscriptions/windows/window-subscription.ts';
import { createAnomalyDetector } from '../subscriptions/windows/anomaly-detector.ts';
import type { WindowDimension } from '../subscriptions/windows/tumbling-windows.ts';

function streamsOf(ctx: GatewayContext): LogStreams {
  if (!ctx.streams) throw new GraphQLError('live streams are not configured', { extensions: { code: STREAM_ERROR_CODES.streamUnavailable } });
  return ctx.streams;
}

/** The connection a subscription counts against: the socket over graphql-ws, the HTTP request over SSE. */
function connectionOf(ctx: GatewayContext): object {
  return ctx.connection?.key ?? (ctx as { request?: object }).request ?? ctx;
}

/** Newest event timestamp (ms) in the table's latest snapshot, or undefined when it is empty. */
async function newestTimestamp(ctx: GatewayContext, table: string): Promise<{ newest: number | undefined; read: (since: number, until: number) => AsyncIterable<LogEventFields> }> {
  const { storage } = await ctx.catalog.get(table);
  const snapshot = await ctx.catalog.snapshot(table);
  const latest = await ctx.scans.aggregate({ storage, snapshot, columns: ['timestamp'] }, (scan) => ({
    sql: `SELECT epoch_ms(max("timestamp")) AS newest FROM (${scan.sql}) AS t`, params: scan.params,
  }), scanOptions(ctx));
  const [row] = answerOf(ctx, latest).rows;
  const newest = row?.newest == null ? undefined : Number(row.newest);
  async function* read(since: number, until: number): AsyncIterable<LogEventFields> {
    const predicate = { and: [{ op: 'gte' as const, column: 'timestamp', value: new Date(since) }, { op: 'lt' as const, column: 'timestamp', value: new Date(until) }] };
    for (let offset = 0; ; offset += BACKFILL_PAGE_ROWS) {
      // stableOrder: rows with equal timestamps keep their places from page to page (no repeats, no gaps), and
      // the files are pruned once for every page of the request.
      const rows = await scanRows(ctx, { storage, snapshot, predicate, orderBy: [{ column: 'timestamp' }], limit: BACKFILL_PAGE_ROWS, offset, stableOrder: true });
      for (const r of rows) {
        const decoded = decodeLogObject(r);
        if (decoded.ok) yield decoded.fields;
        else ctx.logger.warn({ table, reason: decoded.reason }, 'skipped a backfill row that is not a log event');
      }
      if (rows.length < BACKFILL_PAGE_ROWS) return;
    }
  }
  return { newest, read };
}

export interface LogEventsArgs {
  filter?: LogEventFilter | null;
  after?: string | null;
  since?: Date | null;
}

/** Validates the arguments and builds the stream options (the backfill's table is read lazily). */
async function logStreamOptions(args: LogEventsArgs, ctx: GatewayContext): Promise<LogSubscriptionOptions> {
  const streams = streamsOf(ctx);
  const predicate = compileLogFilter(args.filter);
  if (args.after != null && args.since != null) throw badInput('give either after or since, not both');
  const after = args.after != null ? decodeCursor(args.after) : undefined;
  let backfill: Backfill | undefined;
  if (args.since != null) {
    const since = args.since.getTime();
    if (since > Date.now() + 60_000) throw badInput('since: must not be in the future');
    const table = await newestTimestamp(ctx, streams.config.logsTable);
    const switchAt = Math.max(since, table.newest ?? since);
    backfill = { switchAt, rows: table.read(since, switchAt) };
  }
  return {
    hub: streams.hub,
    connection: connectionOf(ctx),
    predicate,
    bufferSize: streams.config.bufferSize,
    after,
    backfill,
    onSlowConsumer: ctx.connection?.onSlowConsumer,
    onOpened: ctx.connection?.onOpened,
    holdsSlot: ctx.connection?.shared !== true,
  };
}

export async function subscribeLogEvents(args: LogEventsArgs, ctx: GatewayContext) {
  return openLogSubscription(await logStreamOptions(args, ctx));
}

export interface LogEventBatchesArgs extends LogEventsArgs {
  maxEvents: number;
  maxWaitMs: number;
}

export async function subscribeLogEventBatches(args: LogEventBatchesArgs, ctx: GatewayContext) {
  const { maxEvents, maxWaitMs } = args;
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > BATCH_LIMITS.maxEvents) throw badInput(`maxEvents: must be between 1 and ${BATCH_LIMITS.maxEvents}`);
  if (!Number.isInteger(maxWaitMs) || maxWaitMs < 0 || maxWaitMs > BATCH_LIMITS.maxWaitMs) throw badInput(`maxWaitMs: must be between 0 and ${BATCH_LIMITS.maxWaitMs}`);
  return openLogBatchSubscription(await logStreamOptions(args, ctx), { maxEvents, maxWaitMs });
}

function windowMs(window: string): number {
  let seconds: number;
  try {
    seconds = parseInterval(window);
  } catch (e) {
    throw badInput(`window: ${(e as Error).message}`);
  }
  if (seconds < WINDOW_LIMITS.minSeconds || seconds > WINDOW_LIMITS.maxSeconds) throw badInput(`window: must be between 1s and 1h`);
  return seconds * 1000;
}

export interface ErrorRateArgs {
  window: string;
  by: WindowDimension;
  filter?: LogEventFilter | null;
}

export function subscribeErrorRate(args: ErrorRateArgs, ctx: GatewayContext) {
  const streams = streamsOf(ctx);
  const ms = windowMs(args.window);
  const predicate = compileLogFilter(args.filter);
  const { config } = streams;
  return openWindowSubscription({
    hub: streams.hub, connection: connectionOf(ctx), bufferSize: config.bufferSize, windowMs: ms, by: args.by,
    allowedLatenessMs: config.allowedLatenessMs, predicate, map: (w) => [w], onSlowConsumer: ctx.connection?.onSlowConsumer,
  });
}

export interface AnomalyArgs extends ErrorRateArgs {
  threshold: number;
  minRequests: number;
  history: number;
}

export function subscribeAnomalyAlerts(args: AnomalyArgs, ctx: GatewayContext) {
  const streams = streamsOf(ctx);
  const ms = windowMs(args.window);
  const predicate = compileLogFilter(args.filter);
  if (!(args.threshold > 0 && args.threshold <= 100)) throw badInput('threshold: must be above 0 and at most 100');
  if (!Number.isInteger(args.minRequests) || args.minRequests < 1) throw badInput('minRequests: must be a positive integer');
  if (!Number.isInteger(args.history) || args.history < 3 || args.history > 1000) throw badInput('history: must be between 3 and 1000');
  const detect = createAnomalyDetector(args);
  const { config } = streams;
  return openWindowSubscription({
    hub: streams.hub, connection: connectionOf(ctx), bufferSize: config.bufferSize, windowMs: ms, by: args.by,
    allowedLatenessMs: config.allowedLatenessMs, predicate, map: detect, onSlowConsumer: ctx.connection?.onSlowConsumer,
  });
}
