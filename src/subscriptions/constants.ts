/**
 * Every constant of the live-stream layer in one place: public error codes, websocket close codes, defaults of
 * the configurable limits, and the bounds the hub and the analytics operators enforce.
 */

/** `extensions.code` of the errors a subscriber may see (also listed in plugins/mask-errors.ts). */
export const STREAM_ERROR_CODES = {
  /** The subscriber's buffer overflowed; `extensions.lastCursor` is the last event it was given. */
  slowConsumer: 'SLOW_CONSUMER',
  /** Refused at subscribe time: the connection or the process holds the maximum of subscriptions. */
  tooManySubscriptions: 'TOO_MANY_SUBSCRIPTIONS',
  /** Bad filter, cursor, window or `since` (at subscribe time). */
  badUserInput: 'BAD_USER_INPUT',
  /** The gateway is shutting down; reconnect (to another replica) with the last cursor. */
  shuttingDown: 'SHUTTING_DOWN',
  /** The live stream is not connected yet (Kafka unreachable at start-up). */
  streamUnavailable: 'STREAM_UNAVAILABLE',
} as const;

/**
 * Websocket close codes. Protocol faults use graphql-ws's own `CloseCode`s; these are the transport-level ones
 * the gateway adds: 1001 "going away" on shutdown (RFC 6455), and 4029 for a socket so far behind that even the
 * SLOW_CONSUMER error cannot be flushed to it (the graphql-ws client retries it, as for any non-fatal code).
 */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_SLOW_CONSUMER = 4029;
/** After a SLOW_CONSUMER drop, how long the error may take to be pulled before the socket is closed. */
export const SLOW_CONSUMER_GRACE_MS = 1_000;

/** Bounds of a LogEventFilter. */
export const FILTER_LIMITS = { maxListEntries: 100, maxTextLength: 200 } as const;

/** Log levels the filter accepts (compared upper-cased). */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

/** An event counts as an error in `errorRate`/`anomalyAlerts` when status >= 500 or its level is ERROR/FATAL. */
export const ERROR_STATUS_MIN = 500;

/** Bounds of `logEventBatches(maxEvents, maxWaitMs)`. */
export const BATCH_LIMITS = { maxEvents: 5_000, maxWaitMs: 5_000 } as const;

/** Tumbling windows of the analytics subscriptions: from 1 s to 1 h. */
export const WINDOW_LIMITS = { minSeconds: 1, maxSeconds: 3_600 } as const;

/**
 * The hub fans out at most this many records before yielding to the event loop, so the transports of fast
 * subscribers drain their buffers between chunks (a buffer smaller than this overflows even when keeping up).
 */
export const FANOUT_CHUNK = 32;

/** Rows fetched per Delta page during a `since:` backfill. */
export const BACKFILL_PAGE_ROWS = 5_000;

/** How often a catching-up replay checks whether it reached the live stream when no record arrives. */
export const REPLAY_IDLE_CHECK_MS = 100;
