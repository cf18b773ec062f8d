/**
 * LogEventFilter: validated once at subscribe time (a bad filter is a BAD_USER_INPUT GraphQL error before any
 * event flows), then compiled to one predicate evaluated per event. Lists match any of their values (levels
 * case-insensitively); `text` is a case-insensitive substring of the message; all given parts must hold.
 */
import { GraphQLError } from 'graphql';
import { FILTER_LIMITS, LOG_LEVELS, STREAM_ERROR_CODES } from '../constants.ts';
import type { LogEventFields } from './log-event.ts';

export interface LogEventFilter {
  levels?: readonly string[] | null;
  sources?: readonly string[] | null;
  endpoints?: readonly string[] | null;
  statusMin?: number | null;
  statusMax?: number | null;
  minResponseTime?: number | null;
  text?: string | null;
}

export type EventPredicate = (e: LogEventFields) => boolean;

function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(`filter.${field}: ${message}`, { extensions: { code: STREAM_ERROR_CODES.badUserInput, field } });
}

function ensureList(list: readonly string[] | null | undefined, field: string): Set<string> | undefined {
  if (list == null) return undefined;
  if (list.length === 0 || list.length > FILTER_LIMITS.maxListEntries) {
    throw badInput(`must hold 1 to ${FILTER_LIMITS.maxListEntries} values`, field);
  }
  if (list.some((v) => v.trim() === '')) throw badInput('values must not be empty', field);
  return new Set(list);
}

function ensureStatus(v: number | null | undefined, field: string): number | undefined {
  if (v == null) return undefined;
  if (!Number.isInteger(v) || v < 100 || v > 999) throw badInput('must be an HTTP status between 100 and 999', field);
  return v;
}

/**
 * Validates and compiles a filter.
 * @throws GraphQLError BAD_USER_INPUT naming the offending field.
 */
export function compileLogFilter(filter: LogEventFilter | null | undefined): EventPredicate {
  if (!filter) return () => true;
  const levelSet = ensureList(filter.levels, 'levels');
  const levels = levelSet && new Set([...levelSet].map((l) => l.trim().toUpperCase()));
  for (const l of levels ?? []) {
    if (!(LOG_LEVELS as readonly string[]).includes(l)) throw badInput(`unknown level "${l}" (${LOG_LEVELS.join(', ')})`, 'levels');
  }
  const sources = ensureList(filter.sources, 'sources');
  const endpoints = ensureList(filter.endpoints, 'endpoints');
  const statusMin = ensureStatus(filter.statusMin, 'statusMin');
  const statusMax = ensureStatus(filter.statusMax, 'statusMax');
  if (statusMin !== undefined && statusMax !== undefined && statusMax < statusMin) throw badInput('must not be below statusMin', 'statusMax');
  const minRt = filter.minResponseTime;
  if (minRt != null && !(Number.isFinite(minRt) && minRt >= 0)) throw badInput('must be a number >= 0', 'minResponseTime');
  const text = filter.text == null ? undefined : filter.text.toLowerCase();
  if (text !== undefined && (text.length === 0 || text.length > FILTER_LIMITS.maxTextLength)) {
    throw badInput(`must be 1 to ${FILTER_LIMITS.maxTextLength} characters`, 'text');
  }
  return (e) =>
    (levels === undefined || levels.has(e.level.toUpperCase())) &&
    (sources === undefined || sources.has(e.source)) &&
    (endpoints === undefined || endpoints.has(e.endpoint)) &&
    (statusMin === undefined || e.status >= statusMin) &&
    (statusMax === undefined || e.status <= statusMax) &&
    (minRt == null || e.responseTimeMs >= minRt) &&
    (text === undefined || (e.message !== null && e.message.toLowerCase().includes(text)));
}
