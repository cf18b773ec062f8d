/**
 * The 64-bit RoaringBitmap "portable" serialization (RoaringFormatSpec, "Extension for 64-bit implementations")
 * that Delta deletion vectors hold (PROTOCOL.md "Deletion Vector Format"): a little-endian u64 count of buckets,
 * then per bucket a u32 high key and a 32-bit RoaringBitmap (cookie, descriptive header, optional offsets, then
 * array, bitset and run containers). Decoded to the sorted row indexes; the encoder serves tests and benchmarks.
 */
import { DeltaError } from '../errors.ts';

const SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
const SERIAL_COOKIE = 12347;
const NO_OFFSET_THRESHOLD = 4;
const ARRAY_MAX = 4096;

class Reader {
  private readonly view: DataView;
  pos = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number): void {
    if (this.pos + n > this.bytes.length) throw corrupt(`truncated at byte ${this.pos} (needs ${n} more)`);
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
}

function corrupt(why: string): DeltaError {
  return new DeltaError('CORRUPT_DATA', `invalid roaring bitmap: ${why}`);
}

/** Appends the values of one 32-bit bitmap (high bits `high`) to `out`; returns the new fill. */
function readBitmap32(r: Reader, high: number, out: number[], fill: number): number {
  const start = r.pos;
  const cookie = r.u32();
  let size: number;
  let runFlags: Uint8Array | undefined;
  if (cookie === SERIAL_COOKIE_NO_RUNCONTAINER) size = r.u32();
  else if ((cookie & 0xffff) === SERIAL_COOKIE) {
    size = (cookie >>> 16) + 1;
    const n = (size + 7) >>> 3;
    r.need(n);
    runFlags = r.bytes.subarray(r.pos, r.pos + n);
    r.pos += n;
  } else throw corrupt(`unknown cookie ${cookie}`);
  if (size > 65536) throw corrupt(`${size} containers`);
  const keys = new Array<number>(size);
  const cards = new Array<number>(size);
  for (let i = 0; i < size; i++) {
    keys[i] = r.u16();
    cards[i] = r.u16() + 1;
  }
  if (!runFlags || size >= NO_OFFSET_THRESHOLD) r.pos += 4 * size; // offsets: containers follow in order anyway
  const base = high * 4294967296;
  let last = -1;
  const push = (v: number) => {
    if (v <= last) throw corrupt(`values not ascending at byte ${r.pos - start}`);
    last = v;
    out[fill++] = v;
  };
  for (let i = 0; i < size; i++) {
    const hi = base + keys[i]! * 65536;
    const isRun = runFlags !== undefined && (runFlags[i >>> 3]! & (1 << (i & 7))) !== 0;
    if (isRun) {
      const runs = r.u16();
      for (let k = 0; k < runs; k++) {
        const from = r.u16();
        const length = r.u16();
        for (let v = from; v <= from + length; v++) push(hi + v);
      }
    } else if (cards[i]! <= ARRAY_MAX) {
      for (let k = 0; k < cards[i]!; k++) push(hi + r.u16());
    } else {
      r.need(8192);
      for (let w = 0; w < 2048; w++) {
        let word = r.u32();
        while (word !== 0) {
          const bit = 31 - Math.clz32(word & -word);
          push(hi + w * 32 + bit);
          word &= word - 1;
        }
      }
    }
  }
  return fill;
}

/**
 * Decodes a portable 64-bit RoaringBitmap into its values in ascending order. Values must stay below 2^53.
 * @param expected the cardinality the caller expects (checked when given)
 * @throws DeltaError CORRUPT_DATA for truncated or malformed data, values out of order, a cardinality that
 *   differs from `expected`, or trailing bytes
 */
export function decodeRoaringTreemap(bytes: Uint8Array, expected?: number): Float64Array {
  const r = new Reader(bytes);
  const low = r.u32();
  if (r.u32() !== 0) throw corrupt('bucket count beyond 2^32');
  const out: number[] = [];
  let lastKey = -1;
  for (let b = 0; b < low; b++) {
    const key = r.u32();
    if (key <= lastKey) throw corrupt('bucket keys not ascending');
    if (key >= 0x200000) throw corrupt(`bucket key ${key} beyond 2^53 row indexes`);
    lastKey = key;
    readBitmap32(r, key, out, out.length);
  }
  if (r.pos !== bytes.length) throw corrupt(`${bytes.length - r.pos} trailing bytes`);
  if (expected !== undefined && out.length !== expected) throw corrupt(`${out.length} values where ${expected} were expected`);
  return Float64Array.from(out);
}

/**
 * Decodes Delta's older "native" RoaringBitmapArray layout (the PROTOCOL.md inline example uses it): after the
 * big-endian magic, a big-endian u32 bucket count, then per bucket a big-endian u32 byte length and a 32-bit
 * RoaringBitmap whose high key is the bucket's position.
 * @throws DeltaError CORRUPT_DATA as decodeRoaringTreemap
 */
export function decodeNativeBitmapArray(bytes: Uint8Array, expected?: number): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) throw corrupt('truncated bucket count');
  const count = view.getUint32(0, false);
  const out: number[] = [];
  let pos = 4;
  for (let b = 0; b < count; b++) {
    if (pos + 4 > bytes.length) throw corrupt(`truncated at byte ${pos}`);
    const length = view.getUint32(pos, false);
    pos += 4;
    if (pos + length > bytes.length) throw corrupt(`bucket ${b} runs past the end`);
    const r = new Reader(bytes.subarray(pos, pos + length));
    readBitmap32(r, b, out, out.length);
    pos += length;
  }
  if (pos !== bytes.length) throw corrupt(`${bytes.length - pos} trailing bytes`);
  if (expected !== undefined && out.length !== expected) throw corrupt(`${out.length} values where ${expected} were expected`);
  return Float64Array.from(out);
}
