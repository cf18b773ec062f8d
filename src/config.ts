/**
 * The gateway's settings: the only reader of process.env. Validated once at start-up with zod; every
 * problem is collected into one report. Unset REDIS_URL / KAFKA_BROKERS / LAKE_ROOT mean the embedded
 * defaults (in-process cache, in-process demo stream, a local lake folder with a generated demo table).
 */
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const redisUrl = optionalString.refine(
  (v) => v === undefined || /^rediss?:\/\/[^\s]+$/.test(v) && URL.canParse(v),
  { message: 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379' },
);
/** A `host:port` entry: a host name or IPv4 address and a port from 1 to 65535. */
function isHostPort(entry: string): boolean {
  const m = /^[\w.-]+:(\d{1,5})$/.exec(entry);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 65535;
}

/** A comma-separated `host:port` list of `what` (e.g. "Kafka brokers"), parsed into its entries. */
function hostPortList(what: string, example: string) {
  return optionalString
    .refine((v) => v === undefined || v.split(',').every((entry) => isHostPort(entry.trim())), {
      message: `must be a comma-separated list of ${what} as host:port, e.g. ${example}`,
    })
    .transform((v) => (v === undefined ? undefined : v.split(',').map((entry) => entry.trim())));
}

const kafkaBrokers = hostPortList('Kafka brokers', '127.0.0.1:9092');
const redisClusterNodes = hostPortList('Redis Cluster nodes', '127.0.0.1:7000,127.0.0.1:7001');
/** Kafka's own rule for topic names (longer or other characters are refused by the broker). */
const kafkaTopic = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name: 1 to 249 of A-Z a-z 0-9 . _ -');
/**
 * DuckDB's memory_limit: a number with a unit (B, KB, KiB, MB, MiB, GB, GiB, TB, TiB, or K/M/G/T; DuckDB's
 * spelled-out units too), or -1 / none for no limit. DuckDB refuses a bare number, and only at start-up.
 */
const duckdbMemoryLimit = optionalString.refine(
  (v) => v === undefined || v === 'none' || v === '-1' || /^(\d+(\.\d+)?|\.\d+)\s*([kmgt](i?b)?|b|bytes?|(kilo|mega|giga|tera)bytes?)$/i.test(v),
  { message: 'must be a size with a unit, e.g. 4GB or 512MiB (or none for no limit)' },
);
const nonNegativeInt = z.coerce.number().int().min(0);

const envSchema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LAKE_ROOT: optionalString,
  TABLES_FILE: optionalString,
  CATALOG_REFRESH_MS: positiveInt.default(500),
  DEMO_LAKE: bool.default('true'),
  DEMO_ROWS: positiveInt.default(1_000_000),
  DEMO_DAYS: positiveInt.default(7),
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: z.string().default('dg:'),
  KAFKA_BROKERS: kafkaBrokers,
  KAFKA_CLIENT_ID: z.string().min(1).default('delta-gateway'),
  KAFKA_LOGS_TOPIC: kafkaTopic.default('logs'),
  QUERY_TIMEOUT_MS: positiveInt.default(30_000),
  MAX_PAGE_SIZE: positiveInt.default(1000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  READINESS_TIMEOUT_MS: positiveInt.default(2_000),
  DUCKDB_THREADS: positiveInt.optional(),
  DUCKDB_MEMORY_LIMIT: duckdbMemoryLimit,
  REDIS_CLUSTER_NODES: redisClusterNodes,
  CACHE_ENABLED: bool.default('true'),
  CACHE_TTL_MS: positiveInt.default(600_000),
  CACHE_ROWS_TTL_MS: positiveInt.optional(),
  CACHE_ANALYTICS_TTL_MS: positiveInt.optional(),
  CACHE_LOCAL_MAX_BYTES: positiveInt.default(128 * 1024 * 1024),
  CACHE_LOCAL_TTL_MS: positiveInt.default(5_000),
  CACHE_COMPRESS_MIN_BYTES: nonNegativeInt.default(4096),
  CACHE_MAX_VALUE_BYTES: positiveInt.default(8 * 1024 * 1024),
  CACHE_LOCK_TTL_MS: positiveInt.default(10_000),
  CACHE_REDIS_TIMEOUT_MS: positiveInt.default(200),
  ADMIN_ENABLED: bool.default('false'),
  SUBSCRIPTION_BUFFER: positiveInt.default(1_000),
  SUBSCRIPTION_MAX_PER_CONNECTION: positiveInt.default(20),
  SUBSCRIPTION_MAX_PER_PROCESS: positiveInt.default(10_000),
  SUBSCRIPTION_MAX_MESSAGE_BYTES: positiveInt.default(65_536),
  SUBSCRIPTION_ALLOWED_LATENESS_MS: nonNegativeInt.default(2_000),
  LOG_EVENTS_TABLE: z.string().min(1).default('logs'),
  DEMO_STREAM_RATE: z.coerce.number().positive().max(100_000).default(20),
  DEMO_STREAM_RETENTION: positiveInt.default(100_000),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Folder holding the Delta tables; undefined means the embedded default `.lake` under the working dir. */
  readonly lakeRoot: string;
  readonly lakeIsDefault: boolean;
  /** Optional JSON file declaring tables outside the lake root, with analytics column roles. */
  readonly tablesFile: string | undefined;
  /** How often "latest" may list the log for new commits and the lake for new tables. */
  readonly catalogRefreshMs: number;
  /** DEMO_LAKE, DEMO_ROWS, DEMO_DAYS: the generated demo lake (the demo stream's settings are under `streams`). */
  readonly demoLake: { readonly enabled: boolean; readonly rows: number; readonly days: number };
  readonly redis: { readonly url: string } | undefined;
  /** REDIS_KEY_PREFIX (default dg:): prefix of every key the gateway writes to Redis or Redis Cluster. */
  readonly redisKeyPrefix: string;
  readonly kafka: { readonly brokers: readonly string[]; readonly clientId: string; readonly logsTopic: string } | undefined;
  readonly queryTimeoutMs: number;
  readonly maxPageSize: number;
  readonly shutdownTimeoutMs: number;
  readonly readinessTimeoutMs: number;
  readonly duckdb: { readonly threads: number | undefined; readonly memoryLimit: string | undefined };
  /** Live log subscriptions (src/subscriptions): limits, the backfill table, the embedded demo stream. */
  readonly streams: StreamConfig;
  /** REDIS_CLUSTER_NODES (host:port list): the query cache and bulk-loaded records use this Redis Cluster. */
  readonly redisCluster: { readonly nodes: readonly string[] } | undefined;
  readonly cache: CacheConfig;
  /** ADMIN_ENABLED (default false): allows admin mutations such as `purgeCache` (until auth exists). */
  readonly adminEnabled: boolean;
}

/** The query cache (DESIGN.md decision 3); see src/sources/cache/query-cache.ts. */
export interface CacheConfig {
  /** CACHE_ENABLED (default true): false turns every lookup into a bypass. */
  readonly enabled: boolean;
  /**
   * Entry lifetime per kind: CACHE_TTL_MS (default 600000 = 10 min) for all, overridden by CACHE_ROWS_TTL_MS
   * (row pages, counts, record fallbacks) and CACHE_ANALYTICS_TTL_MS (analytics fields).
   */
  readonly ttlMs: { readonly rows: number; readonly analytics: number; readonly records: number };
  /** CACHE_LOCAL_MAX_BYTES (default 128 MiB): byte budget of the in-process LRU tier. */
  readonly localMaxBytes: number;
  /** CACHE_LOCAL_TTL_MS (default 5000): with Redis, how long an entry also stays in process (bounds purge lag). */
  readonly localTtlMs: number;
  /** CACHE_COMPRESS_MIN_BYTES (default 4096; 0 = never): values whose JSON reaches this are deflated. */
  readonly compressMinBytes: number;
  /** CACHE_MAX_VALUE_BYTES (default 8 MiB): larger values (after compression) are not cached. */
  readonly maxValueBytes: number;
  /** CACHE_LOCK_TTL_MS (default 10000): cross-replica compute lock; a dead holder blocks others at most this. */
  readonly lockTtlMs: number;
  /** CACHE_REDIS_TIMEOUT_MS (default 200): per-command Redis timeout; past it the query runs on DuckDB. */
  readonly redisTimeoutMs: number;
}

/** Live log subscriptions; see src/subscriptions/log-streams.ts. */
export interface StreamConfig {
  /** SUBSCRIPTION_BUFFER (default 1000): events buffered per subscriber before it is dropped with SLOW_CONSUMER. */
  readonly bufferSize: number;
  /** SUBSCRIPTION_MAX_PER_CONNECTION (20) and SUBSCRIPTION_MAX_PER_PROCESS (10000): else TOO_MANY_SUBSCRIPTIONS. */
  readonly maxPerConnection: number;
  readonly maxPerProcess: number;
  /** SUBSCRIPTION_MAX_MESSAGE_BYTES (65536): larger Kafka messages are counted (the hub's badRecords) and skipped. */
  readonly maxMessageBytes: number;
  /** SUBSCRIPTION_ALLOWED_LATENESS_MS (2000): how late an event may be and still count in errorRate windows. */
  readonly allowedLatenessMs: number;
  /** LOG_EVENTS_TABLE (logs): the Delta table holding the logs topic's history, read by `logEvents(since:)`. */
  readonly logsTable: string;
  /** Without KAFKA_BROKERS: DEMO_STREAM_RATE (20 events/s) of the in-process stream, DEMO_STREAM_RETENTION (100000) kept. */
  readonly demoRate: number;
  readonly demoRetention: number;
}

/** Thrown by loadConfig with every problem found, one line each. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the settings. Throws ConfigError listing all problems together; the result is frozen.
 * @param env defaults to process.env; tests pass their own.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = i.path.join('.');
      const value = env[name];
      return `${name}=${value === undefined ? '(unset)' : JSON.stringify(value)}: ${i.message}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    lakeRoot: e.LAKE_ROOT ?? '.lake',
    lakeIsDefault: e.LAKE_ROOT === undefined,
    tablesFile: e.TABLES_FILE,
    catalogRefreshMs: e.CATALOG_REFRESH_MS,
    demoLake: { enabled: e.DEMO_LAKE, rows: e.DEMO_ROWS, days: e.DEMO_DAYS },
    redis: e.REDIS_URL ? { url: e.REDIS_URL } : undefined,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    kafka: e.KAFKA_BROKERS
      ? { brokers: e.KAFKA_BROKERS, clientId: e.KAFKA_CLIENT_ID, logsTopic: e.KAFKA_LOGS_TOPIC }
      : undefined,
    queryTimeoutMs: e.QUERY_TIMEOUT_MS,
    maxPageSize: e.MAX_PAGE_SIZE,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    readinessTimeoutMs: e.READINESS_TIMEOUT_MS,
    duckdb: { threads: e.DUCKDB_THREADS, memoryLimit: e.DUCKDB_MEMORY_LIMIT },
    streams: {
      bufferSize: e.SUBSCRIPTION_BUFFER,
      maxPerConnection: e.SUBSCRIPTION_MAX_PER_CONNECTION,
      maxPerProcess: e.SUBSCRIPTION_MAX_PER_PROCESS,
      maxMessageBytes: e.SUBSCRIPTION_MAX_MESSAGE_BYTES,
      allowedLatenessMs: e.SUBSCRIPTION_ALLOWED_LATENESS_MS,
      logsTable: e.LOG_EVENTS_TABLE,
      demoRate: e.DEMO_STREAM_RATE,
      demoRetention: e.DEMO_STREAM_RETENTION,
    },
    redisCluster: e.REDIS_CLUSTER_NODES ? { nodes: e.REDIS_CLUSTER_NODES } : undefined,
    cache: {
      enabled: e.CACHE_ENABLED,
      ttlMs: {
        rows: e.CACHE_ROWS_TTL_MS ?? e.CACHE_TTL_MS,
        analytics: e.CACHE_ANALYTICS_TTL_MS ?? e.CACHE_TTL_MS,
        records: e.CACHE_ROWS_TTL_MS ?? e.CACHE_TTL_MS,
      },
      localMaxBytes: e.CACHE_LOCAL_MAX_BYTES,
      localTtlMs: e.CACHE_LOCAL_TTL_MS,
      compressMinBytes: e.CACHE_COMPRESS_MIN_BYTES,
      maxValueBytes: e.CACHE_MAX_VALUE_BYTES,
      lockTtlMs: e.CACHE_LOCK_TTL_MS,
      redisTimeoutMs: e.CACHE_REDIS_TIMEOUT_MS,
    },
    adminEnabled: e.ADMIN_ENABLED,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
