import { describe, expect, it } from 'vitest';
import { parsePartitionValue, parsePartitionValues, partitionFieldsOf } from '../../src/delta/values/partition-values.ts';
import { formatDate, formatTimestampMicros, parseTimestampText } from '../../src/delta/values/scalar-values.ts';
import type { DataType, StructField } from '../../src/delta/snapshot/schema-types.ts';

const p = (name: string): DataType => ({ kind: 'primitive', name } as DataType);
const dec = (precision: number, scale: number): DataType => ({ kind: 'decimal', precision, scale });
const micros = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

describe('parsePartitionValue (PROTOCOL.md "Partition Value Serialization")', () => {
  it('treats JSON null, a missing value and the empty string as a null partition, for every type', () => {
    for (const t of [p('string'), p('integer'), p('date'), p('timestamp'), dec(5, 2), p('binary')]) {
      expect(parsePartitionValue(null, t, 'c')).toBeNull();
      expect(parsePartitionValue(undefined, t, 'c')).toBeNull();
      expect(parsePartitionValue('', t, 'c')).toBeNull();
    }
  });

  it('keeps strings untranslated, including Hive-escape look-alikes and non-ASCII', () => {
    expect(parsePartitionValue('/%20%f', p('string'), 'c')).toBe('/%20%f');
    expect(parsePartitionValue('a:b=c', p('string'), 'c')).toBe('a:b=c');
    expect(parsePartitionValue('😈', p('string'), 'c')).toBe('😈');
    expect(parsePartitionValue('__HIVE_DEFAULT_PARTITION__', p('string'), 'c')).toBe('__HIVE_DEFAULT_PARTITION__');
  });

  it('parses numbers by type: long as bigint, narrower integers and floats as numbers, with range checks', () => {
    expect(parsePartitionValue('9223372036854775807', p('long'), 'c')).toBe(9223372036854775807n);
    expect(parsePartitionValue('-128', p('byte'), 'c')).toBe(-128);
    expect(parsePartitionValue('32767', p('short'), 'c')).toBe(32767);
    expect(parsePartitionValue('-2147483648', p('integer'), 'c')).toBe(-2147483648);
    expect(parsePartitionValue('1.5', p('double'), 'c')).toBe(1.5);
    expect(parsePartitionValue('NaN', p('double'), 'c')).toBeNaN();
    expect(parsePartitionValue('-Infinity', p('float'), 'c')).toBe(-Infinity);
    expect(() => parsePartitionValue('128', p('byte'), 'c')).toThrowError(expect.objectContaining({ code: 'CORRUPT_LOG' }));
    expect(() => parsePartitionValue('1.0', p('integer'), 'c')).toThrowError(/not a valid integer/);
    expect(() => parsePartitionValue('abc', p('double'), 'c')).toThrowError(/not a valid double/);
  });

  it('parses booleans "true"/"false"', () => {
    expect(parsePartitionValue('true', p('boolean'), 'c')).toBe(true);
    expect(parsePartitionValue('false', p('boolean'), 'c')).toBe(false);
    expect(() => parsePartitionValue('yes', p('boolean'), 'c')).toThrowError(/boolean/);
  });

  it('parses dates {year}-{month}-{day} to days since the epoch', () => {
    expect(parsePartitionValue('1970-01-01', p('date'), 'c')).toBe(0);
    expect(parsePartitionValue('2021-03-01', p('date'), 'c')).toBe(Date.UTC(2021, 2, 1) / 86_400_000);
    expect(parsePartitionValue('1969-12-31', p('date'), 'c')).toBe(-1);
    expect(formatDate(parsePartitionValue('2024-02-29', p('date'), 'c') as number)).toBe('2024-02-29');
    expect(() => parsePartitionValue('2023-02-29', p('date'), 'c')).toThrowError(/date/);
  });

  it('parses timestamps in all three forms to UTC microseconds', () => {
    expect(parsePartitionValue('1970-01-01 00:00:00', p('timestamp'), 'c')).toBe(0n);
    expect(parsePartitionValue('1970-01-01 00:00:00.123456', p('timestamp'), 'c')).toBe(123456n);
    expect(parsePartitionValue('1970-01-01T00:00:00.123456Z', p('timestamp'), 'c')).toBe(123456n);
    expect(parsePartitionValue('2021-01-01 12:30:00.5', p('timestamp'), 'c')).toBe(micros('2021-01-01T12:30:00.500Z'));
    expect(parsePartitionValue('2021-01-01T02:00:00+02:00', p('timestamp'), 'c')).toBe(micros('2021-01-01T00:00:00Z'));
    expect(parsePartitionValue('1969-12-31 23:59:59.999999', p('timestamp'), 'c')).toBe(-1n);
    expect(() => parsePartitionValue('2021-01-01 25:00:00', p('timestamp'), 'c')).toThrowError(/timestamp/);
  });

  it('parses timestamp_ntz wall-clock text without shifting it', () => {
    expect(parsePartitionValue('2021-11-18 02:30:00.123456', p('timestamp_ntz'), 'c')).toBe(micros('2021-11-18T02:30:00.123456Z'.replace('.123456', '')) + 123456n);
    expect(formatTimestampMicros(parsePartitionValue('0001-01-01 00:00:00', p('timestamp_ntz'), 'c') as bigint)).toBe('0001-01-01 00:00:00.000000');
  });

  it('parses decimals exactly at the column scale, refusing lost digits or precision overflow', () => {
    expect(parsePartitionValue('12.34', dec(5, 2), 'c')).toEqual({ unscaled: 1234n, scale: 2 });
    expect(parsePartitionValue('-0.5', dec(5, 2), 'c')).toEqual({ unscaled: -50n, scale: 2 });
    expect(parsePartitionValue('1E+2', dec(5, 0), 'c')).toEqual({ unscaled: 100n, scale: 0 });
    expect(parsePartitionValue('12345678901234567890.123456789012345678', dec(38, 18), 'c')).toEqual({
      unscaled: 12345678901234567890123456789012345678n,
      scale: 18,
    });
    expect(() => parsePartitionValue('1.234', dec(5, 2), 'c')).toThrowError(/decimal/);
    expect(() => parsePartitionValue('1234', dec(5, 2), 'c')).toThrowError(/decimal/);
  });

  it('reads binary as the UTF-8 bytes of its escaped text', () => {
    expect(parsePartitionValue('\u0001\u0002\u0003', p('binary'), 'c')).toEqual(new Uint8Array([1, 2, 3]));
    expect(parsePartitionValue('hello', p('binary'), 'c')).toEqual(new TextEncoder().encode('hello'));
  });
});

describe('parsePartitionValues', () => {
  const fields: StructField[] = [
    { name: 'letter', type: p('string'), nullable: true, metadata: {} },
    { name: 'Date', type: p('date'), nullable: true, metadata: { 'delta.columnMapping.physicalName': 'col-1' } },
    { name: 'n', type: p('long'), nullable: true, metadata: {} },
  ];

  it('keys by logical name, reads by physical name and treats absent keys as null', () => {
    const part = partitionFieldsOf(fields, ['letter', 'Date']);
    const typed = parsePartitionValues({ 'col-1': '1970-01-02' }, part);
    expect([...typed]).toEqual([['letter', null], ['Date', 1]]);
  });

  it('refuses a partition column missing from the schema', () => {
    expect(() => partitionFieldsOf(fields, ['nope'])).toThrowError(expect.objectContaining({ code: 'CORRUPT_LOG' }));
  });

  it('parses timestamp text with offsets as instants', () => {
    expect(parseTimestampText('2021-06-16T19:17:05.000-07:00')?.micros).toBe(micros('2021-06-17T02:17:05Z'));
  });
});
