import { describe, expect, it } from 'vitest';
import { parseCommit } from '../../src/delta/log/commit-reader.ts';
import { DeltaError } from '../../src/delta/errors.ts';
import { parseJsonValues } from '../../src/delta/log/json-values.ts';

const add = { add: { path: 'a.parquet', partitionValues: {}, size: 1, modificationTime: 1, dataChange: true } };
const info = { commitInfo: { timestamp: 5, operation: 'WRITE' } };

function errorOf(fn: () => unknown): DeltaError {
  try {
    fn();
  } catch (e) {
    return e as DeltaError;
  }
  throw new Error('expected a DeltaError');
}

describe('commit files as a stream of JSON values', () => {
  it('parses one action per line, skipping blank lines and CRLF', () => {
    const text = `${JSON.stringify(info)}\r\n\n${JSON.stringify(add)}\n`;
    expect(parseCommit(text, 'c.json')).toEqual([info, add]);
  });

  it('parses pretty-printed multi-line actions back to back, with braces inside strings', () => {
    const tricky = { add: { ...add.add, path: 'x/{weird}"} \\n.parquet', tags: { k: '{[' } } };
    const text = `${JSON.stringify(info, null, 2)}\n${JSON.stringify(tricky, null, 4)}{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}\n`;
    const values = parseJsonValues(text, 'c.json');
    expect(values).toEqual([info, tricky, { protocol: { minReaderVersion: 1, minWriterVersion: 2 } }]);
  });

  it('switches to the splitter mid-file after plain lines', () => {
    const text = `${JSON.stringify(info)}\n${JSON.stringify(add, null, 2)}\n`;
    expect(parseCommit(text, 'c.json')).toEqual([info, add]);
  });

  it('names the file and line of a corrupt value', () => {
    const text = `${JSON.stringify(info)}\n${JSON.stringify(add)}\n{"add": {"path": "b.parquet", \n`;
    const e = errorOf(() => parseCommit(text, '_delta_log/00000000000000000003.json'));
    expect(e.code).toBe('CORRUPT_LOG');
    expect(e.message).toContain('_delta_log/00000000000000000003.json');
    expect(e.message).toContain('line 3');
    expect(errorOf(() => parseCommit('{"a":1}\nnot json\n', 'f.json')).message).toContain('line 2');
    expect(errorOf(() => parseCommit('[1,2]\n', 'f.json')).code).toBe('CORRUPT_LOG');
  });

  it('refuses file actions without a path', () => {
    expect(errorOf(() => parseCommit('{"add":{"size":1}}\n', 'f.json')).message).toMatch(/add without a path.*|f\.json/);
  });

  it('stops early when the callback says so', async () => {
    const { forEachJsonValue } = await import('../../src/delta/log/json-values.ts');
    const seen: unknown[] = [];
    forEachJsonValue(`${JSON.stringify(info)}\nthis would be corrupt\n`, 'f.json', (v) => {
      seen.push(v);
      return false;
    });
    expect(seen).toEqual([info]);
  });
});
