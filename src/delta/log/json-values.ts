/**
 * Commit files as a stream of JSON values (PROTOCOL.md "Delta Log Entries"): normally one action per line, but
 * some writers pretty-print actions over several lines, back to back. Lines are parsed directly (fast path);
 * from the first line that is not a whole value on its own, a small splitter tracks braces and strings instead.
 */
import { DeltaError } from '../errors.ts';

const NL = 10;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/**
 * Calls `onValue` with each top-level JSON object in `text` and the line it starts on, in order; return `false`
 * from it to stop early.
 * @param file named in error messages
 * @throws DeltaError CORRUPT_LOG naming the file and the 1-based line where the bad value starts.
 */
export function forEachJsonValue(text: string, file: string, onValue: (value: Record<string, unknown>, line: number) => boolean | void): void {
  let pos = 0;
  let line = 1;
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    if (!isBlank(text, pos, end)) {
      let value: unknown;
      try {
        value = JSON.parse(text.slice(pos, end));
      } catch {
        splitValues(text, pos, line, file, onValue);
        return;
      }
      if (onValue(ensureObject(value, file, line), line) === false) return;
    }
    pos = end + 1;
    line++;
  }
}

/** Parses every value of `text` into an array (see forEachJsonValue). */
export function parseJsonValues(text: string, file: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  forEachJsonValue(text, file, (v) => {
    out.push(v);
  });
  return out;
}

/** The slow path: values may span lines; split on balanced braces outside strings. */
function splitValues(text: string, from: number, fromLine: number, file: string, onValue: (v: Record<string, unknown>, line: number) => boolean | void): void {
  const n = text.length;
  let pos = from;
  let line = fromLine;
  for (;;) {
    while (pos < n && isSpace(text.charCodeAt(pos))) {
      if (text.charCodeAt(pos) === NL) line++;
      pos++;
    }
    if (pos >= n) return;
    const c = text.charCodeAt(pos);
    if (c !== OPEN_BRACE && c !== OPEN_BRACKET) throw corrupt(file, line, 'expected a JSON object');
    const startLine = line;
    const start = pos;
    let depth = 0;
    let inString = false;
    for (; pos < n; pos++) {
      const ch = text.charCodeAt(pos);
      if (inString) {
        if (ch === BACKSLASH) pos++;
        else if (ch === QUOTE) inString = false;
        else if (ch === NL) line++;
      } else if (ch === QUOTE) inString = true;
      else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) depth++;
      else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
        if (--depth === 0) break;
      } else if (ch === NL) line++;
    }
    if (pos >= n) throw corrupt(file, startLine, 'truncated JSON value');
    pos++;
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, pos));
    } catch (e) {
      throw corrupt(file, startLine, (e as Error).message);
    }
    if (onValue(ensureObject(value, file, startLine), startLine) === false) return;
  }
}

function ensureObject(value: unknown, file: string, line: number): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw corrupt(file, line, 'expected a JSON object (one action)');
  }
  return value as Record<string, unknown>;
}

function corrupt(file: string, line: number, why: string): DeltaError {
  return new DeltaError('CORRUPT_LOG', `corrupt JSON in ${file} at line ${line}: ${why}`);
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === NL || c === CR || c === TAB;
}
