import { describe, expect, it } from 'vitest';
import { AnalyticsInputError, parseInterval, quoteIdent } from '../../src/analytics/index.ts';
import { resolveTimeRange } from '../../src/analytics/time-range.ts';

describe('parseInterval', () => {
  it.each([
    ['1s', 1], ['1m', 60], ['5m', 300], ['1h', 3600], ['1d', 86_400], ['2w', 1_209_600],
    ['15 minutes', 900], ['1 minute', 60], ['2 hours', 7200], ['3 hrs', 10_800], ['10 secs', 10], ['7 days', 604_800],
    ['PT5M', 300], ['pt1h30m', 5400], ['P1D', 86_400], ['P1W', 604_800], ['P1DT2H', 93_600], ['PT45S', 45], [' 5M ', 300],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseInterval(text)).toBe(seconds);
  });

  it.each(['', 'banana', '5', 'm', '5ms', '1.5h', '-5m', '0s', '0 minutes', '367d', 'P1M', 'P1Y', 'PT', 'P', 'P1DT', '1 month', '5 mins ago'])(
    '%j is refused with BAD_USER_INPUT',
    (text) => {
      expect(() => parseInterval(text)).toThrow(AnalyticsInputError);
      try {
        parseInterval(text);
      } catch (error) {
        expect((error as AnalyticsInputError).code).toBe('BAD_USER_INPUT');
        expect((error as AnalyticsInputError).field).toBe('interval');
      }
    },
  );
});

describe('quoteIdent', () => {
  it('double-quotes and doubles inner quotes', () => {
    expect(quoteIdent('ts')).toBe('"ts"');
    expect(quoteIdent('resp "ms"')).toBe('"resp ""ms"""');
    expect(quoteIdent('a"; DROP TABLE logs; --')).toBe('"a""; DROP TABLE logs; --"');
  });

  it('refuses empty names and NUL', () => {
    expect(() => quoteIdent('')).toThrow(AnalyticsInputError);
    expect(() => quoteIdent('a\u0000b')).toThrow(AnalyticsInputError);
  });
});

describe('resolveTimeRange', () => {
  it('reads zone-less strings as UTC and keeps explicit offsets', () => {
    const r = resolveTimeRange({ from: '2024-05-01T10:00:00', to: '2024-05-01T13:00:00+02:00' });
    expect(r.fromUs).toBe(Date.UTC(2024, 4, 1, 10) * 1000);
    expect(r.toUs).toBe(Date.UTC(2024, 4, 1, 11) * 1000);
  });

  it('accepts Dates and open ends', () => {
    expect(resolveTimeRange({ from: new Date(0) })).toEqual({ fromUs: 0 });
    expect(resolveTimeRange(undefined)).toEqual({});
  });

  it('refuses garbage and inverted ranges', () => {
    expect(() => resolveTimeRange({ from: 'yesterday' })).toThrow(/from must be a Date/);
    expect(() => resolveTimeRange({ from: new Date(Number.NaN) })).toThrow(AnalyticsInputError);
    expect(() => resolveTimeRange({ from: '2024-05-02', to: '2024-05-01' })).toThrow(/earlier than to/);
  });
});
