import { describe, expect, it } from 'vitest';
import type { DeletionVectorDescriptor } from '../../src/delta/log/actions.ts';
import { crc32 } from '../../src/delta/deletion-vectors/crc32.ts';
import { deletionVectorLocation, loadDeletionVector } from '../../src/delta/deletion-vectors/deletion-vector.ts';
import { encodeBitmapData, encodeDeletionVectorFile, inlineDeletionVector } from '../../src/delta/deletion-vectors/deletion-vector-encoder.ts';
import { DeltaError } from '../../src/delta/errors.ts';
import { decodeRoaringTreemap } from '../../src/delta/deletion-vectors/roaring-treemap.ts';
import { encodeRoaringTreemap } from '../../src/delta/deletion-vectors/roaring-treemap-encoder.ts';
import { decodeZ85, encodeZ85, z85Uuid } from '../../src/delta/deletion-vectors/z85.ts';
import { codeOfAsync as codeOf } from '../support/error-codes.ts';

const noFile = async (): Promise<Uint8Array> => {
  throw new DeltaError('IO_ERROR', 'file not found: x');
};

describe('Z85', () => {
  it('round-trips bytes and decodes the protocol UUID example', () => {
    const bytes = Uint8Array.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
    expect(encodeZ85(bytes)).toBe('HelloWorld');
    expect([...decodeZ85('HelloWorld')]).toEqual([...bytes]);
    expect(deletionVectorLocation({ storageType: 'u', pathOrInlineDv: 'ab^-aqEH.-t@S}K{vb[*k^', offset: 4, sizeInBytes: 40, cardinality: 6 }))
      .toEqual({ relative: 'ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin' });
    expect(z85Uuid('^-aqEH.-t@S}K{vb[*k^')).toBe('d2c639aa-8816-431a-aaf6-d3fe2512ff61');
  });

  it('refuses characters outside the alphabet and bad lengths with CORRUPT_LOG', () => {
    expect(() => decodeZ85('abc')).toThrowError(expect.objectContaining({ code: 'CORRUPT_LOG' }));
    expect(() => decodeZ85('ab"cd')).toThrowError(expect.objectContaining({ code: 'CORRUPT_LOG' }));
  });
});

describe('RoaringTreemap (portable 64-bit RoaringBitmap)', () => {
  const cases: [string, number[]][] = [
    ['array containers', [0, 3, 65535, 65536, 70000]],
    ['a bitmap container', Array.from({ length: 5000 }, (_, i) => i * 3)],
    ['run containers', [...Array.from({ length: 3000 }, (_, i) => 100 + i), 200_000, 200_001]],
    ['several high keys', [1, 2 ** 32 + 5, 3 * 2 ** 32 + 70_000, 2 ** 40]],
  ];
  for (const [name, rows] of cases) {
    for (const force of [undefined, 'array', 'bitmap', 'run'] as const) {
      it(`decodes ${name} (${force ?? 'smallest'} containers)`, () => {
        expect([...decodeRoaringTreemap(encodeRoaringTreemap(rows, force), rows.length)]).toEqual(rows);
      });
    }
  }

  it('decodes the protocol inline example (rows 3, 4, 7, 11, 18, 29)', async () => {
    const dv: DeletionVectorDescriptor = { storageType: 'i', pathOrInlineDv: 'wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L', sizeInBytes: 40, cardinality: 6 };
    expect([...(await loadDeletionVector(dv, 'f.parquet', noFile))]).toEqual([3, 4, 7, 11, 18, 29]);
  });

  it('reads a short inline tail padded with # (written by the Rust z85 crate)', async () => {
    const dv: DeletionVectorDescriptor = { storageType: 'i', pathOrInlineDv: '^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093', sizeInBytes: 34, cardinality: 1 };
    expect([...(await loadDeletionVector(dv, 'f.parquet', noFile))]).toEqual([3]);
  });

  it('refuses truncated data, bad cookies, descending values and wrong cardinality with CORRUPT_DATA', () => {
    const good = encodeRoaringTreemap([1, 2, 3]);
    expect(() => decodeRoaringTreemap(good.subarray(0, good.length - 1))).toThrowError(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    expect(() => decodeRoaringTreemap(good, 4)).toThrowError(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    const badCookie = good.slice();
    badCookie[12] = 0x99;
    expect(() => decodeRoaringTreemap(badCookie)).toThrowError(expect.objectContaining({ code: 'CORRUPT_DATA' }));
  });
});

describe('deletion vector files', () => {
  const rows = [[0, 9], [1, 2, 3, 100_000]];
  const { bytes, dvs } = encodeDeletionVectorFile(rows);
  const uuidDv = (i: number): DeletionVectorDescriptor => ({ storageType: 'u', pathOrInlineDv: 'ab^-aqEH.-t@S}K{vb[*k^', ...dvs[i]! });
  const reader = (file: Uint8Array) => async () => file;

  it('reads each DV of a shared file at its offset, inline DVs and absolute paths', async () => {
    expect([...(await loadDeletionVector(uuidDv(0), 'a.parquet', reader(bytes)))]).toEqual([0, 9]);
    expect([...(await loadDeletionVector(uuidDv(1), 'a.parquet', reader(bytes)))]).toEqual([1, 2, 3, 100_000]);
    expect([...(await loadDeletionVector(inlineDeletionVector([5, 6]), 'a.parquet', noFile))]).toEqual([5, 6]);
    const abs: DeletionVectorDescriptor = { storageType: 'p', pathOrInlineDv: 'file:///x/dv.bin', ...dvs[0]! };
    let asked: unknown;
    await loadDeletionVector(abs, 'a.parquet', async (location) => ((asked = location), bytes));
    expect(asked).toEqual({ absolute: 'file:///x/dv.bin' });
  });

  it('refuses a checksum or size mismatch, a missing file and an unknown storage type, naming the files', async () => {
    const flipped = bytes.slice();
    flipped[dvs[0]!.offset! + 6]! ^= 0xff;
    const bad = loadDeletionVector(uuidDv(0), 'a.parquet', reader(flipped));
    await expect(bad).rejects.toThrow(/checksum mismatch.*|a\.parquet/);
    expect(await codeOf(loadDeletionVector(uuidDv(0), 'a.parquet', reader(flipped)))).toBe('CORRUPT_DATA');
    expect(await codeOf(loadDeletionVector({ ...uuidDv(0), sizeInBytes: 99 }, 'a.parquet', reader(bytes)))).toBe('CORRUPT_DATA');
    await expect(loadDeletionVector(uuidDv(0), 'a.parquet', noFile)).rejects.toThrow(/ab\/deletion_vector_d2c639aa.*a\.parquet|missing/);
    expect(await codeOf(loadDeletionVector(uuidDv(0), 'a.parquet', noFile))).toBe('CORRUPT_DATA');
    const unknown = { ...uuidDv(0), storageType: 'x' } as unknown as DeletionVectorDescriptor;
    expect(await codeOf(loadDeletionVector(unknown, 'a.parquet', reader(bytes)))).toBe('CORRUPT_LOG');
  });

  it('frames data as size, magic + bitmap, CRC-32 (big-endian size and checksum)', () => {
    const data = encodeBitmapData([7]);
    const view = new DataView(bytes.buffer);
    expect(bytes[0]).toBe(1);
    expect(view.getUint32(1, false)).toBe(dvs[0]!.sizeInBytes);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(new DataView(data.buffer).getUint32(0, true)).toBe(1681511377);
  });
});
