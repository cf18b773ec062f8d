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
const kafkaBrokers = optionalString
  .refine((v) => v === undefined || v.split(',').every((b) => /^[\w.-]+:\d{1,5}$/.test(b.trim())), {
    message: 'must be a comma-separated list of host:port, e.g. 127.0.0.1:9092',
  })
  .transform((v) => (v === undefined ? undefined : v.split(',').map((b) => b.trim())));

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
  KAFKA_LOGS_TOPIC: z.string().min(1).default('logs'),
  QUERY_TIMEOUT_MS: positiveInt.default(30_000),
  MAX_PAGE_SIZE: positiveInt.default(1000),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  READINESS_TIMEOUT_MS: positiveInt.default(2_000),
  DUCKDB_THREADS: positiveInt.optional(),
  DUCKDB_MEMORY_LIMIT: optionalString,
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
  readonly demo: { readonly enabled: boolean; readonly rows: number; readonly days: number };
  readonly redis: { readonly url: string; readonly keyPrefix: string } | undefined;
  readonly kafka: { readonly brokers: readonly string[]; readonly clientId: string; readonly logsTopic: string } | undefined;
  readonly queryTimeoutMs: number;
  readonly maxPageSize: number;
  readonly shutdownTimeoutMs: number;
  readonly readinessTimeoutMs: number;
  readonly duckdb: { readonly threads: number | undefined; readonly memoryLimit: string | undefined };
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
    demo: { enabled: e.DEMO_LAKE, rows: e.DEMO_ROWS, days: e.DEMO_DAYS },
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX } : undefined,
    kafka: e.KAFKA_BROKERS
      ? { brokers: e.KAFKA_BROKERS, clientId: e.KAFKA_CLIENT_ID, logsTopic: e.KAFKA_LOGS_TOPIC }
      : undefined,
    queryTimeoutMs: e.QUERY_TIMEOUT_MS,
    maxPageSize: e.MAX_PAGE_SIZE,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    readinessTimeoutMs: e.READINESS_TIMEOUT_MS,
    duckdb: { threads: e.DUCKDB_THREADS, memoryLimit: e.DUCKDB_MEMORY_LIMIT },
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
