/** The process logger (pino, JSON lines on stdout). Parts receive a logger; none creates its own. */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Creates the root logger; `silent` is used by tests that do not want output. */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { service: 'delta-gateway' } });
}
