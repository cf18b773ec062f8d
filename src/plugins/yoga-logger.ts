/**
 * The logger yoga writes through. Errors that carry a public code (bad input, unknown table, timeouts) are the
 * client's business and go to debug; everything else yoga reports stays at error level, with its stack.
 */
import type { Logger } from '../logger.ts';
import { publicCodeOf } from './mask-errors.ts';

function isClientError(value: unknown): boolean {
  let e = value as { originalError?: unknown; extensions?: { code?: unknown } } | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.extensions?.code === 'string' && e.extensions.code !== 'INTERNAL_SERVER_ERROR') return true;
    if (publicCodeOf(e)) return true;
    e = e.originalError as typeof e;
  }
  return false;
}

export function createYogaLogger(logger: Logger) {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const [first, ...rest] = args;
    const target = level === 'error' && isClientError(first) ? 'debug' : level;
    if (first instanceof Error) logger[target]({ err: first, extra: rest.length ? rest : undefined }, first.message);
    else logger[target]({ extra: rest.length ? rest : undefined }, String(first));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
