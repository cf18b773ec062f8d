/**
 * Writes the portable 64-bit RoaringBitmap serialization (RoaringFormatSpec) that deletion vectors hold: the
 * counterpart of roaring-treemap.ts, used by tests (each container kind, several buckets) and by benchmarks that
 * build deletion-vector tables. Readers never need it.
 */

const SERIAL_COOKIE_NO_RUNCONTAINER = 12346;
const SERIAL_COOKIE = 12347;
const NO_OFFSET_THRESHOLD = 4;
const ARRAY_MAX = 4096;

/** Container kinds the encoder can be told to use (tests cover each); by default it picks the smallest. */
export type ContainerKind = 'array' | 'bitmap' | 'run';

class Writer {
  readonly out: number[] = [];
  u8(v: number): void { this.out.push(v & 0xff); }
  u16(v: number): void { this.out.push(v & 0xff, (v >>> 8) & 0xff); }
  u32(v: number): void { this.u16(v & 0xffff); this.u16(v >>> 16); }
}

function runsOf(values: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const v of values) {
    const last = runs.at(-1);
    if (last && last[0] + last[1] + 1 === v) last[1]++;
    else runs.push([v, 0]);
  }
  return runs;
}

function containerSize(kind: ContainerKind, values: readonly number[]): number {
  return kind === 'run' ? 2 + 4 * runsOf(values).length : kind === 'array' ? 2 * values.length : 8192;
}

function pickKind(values: readonly number[]): ContainerKind {
  const plain: ContainerKind = values.length <= ARRAY_MAX ? 'array' : 'bitmap';
  return containerSize('run', values) < containerSize(plain, values) ? 'run' : plain;
}

function writeContainer(w: Writer, kind: ContainerKind, values: readonly number[]): void {
  if (kind === 'array') values.forEach((v) => w.u16(v));
  else if (kind === 'run') {
    const runs = runsOf(values);
    w.u16(runs.length);
    for (const [from, length] of runs) { w.u16(from); w.u16(length); }
  } else {
    const words = new Uint32Array(2048);
    for (const v of values) words[v >>> 5]! |= 1 << (v & 31);
    words.forEach((word) => w.u32(word));
  }
}

function writeBitmap32(w: Writer, lows: readonly number[], force?: ContainerKind): void {
  const groups = new Map<number, number[]>();
  for (const v of lows) {
    const k = v >>> 16;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(v & 0xffff);
  }
  const keys = [...groups.keys()];
  const values = keys.map((k) => groups.get(k)!);
  // A bitset container is only recognised when it holds more than ARRAY_MAX values; arrays only up to it.
  const kinds = values.map((g) => {
    if (force === 'run') return 'run';
    if (force === 'array' && g.length <= ARRAY_MAX) return 'array';
    if (force === 'bitmap' && g.length > ARRAY_MAX) return 'bitmap';
    return pickKind(g);
  });
  const hasRun = kinds.includes('run');
  const flagBytes = (keys.length + 7) >>> 3;
  let offset: number;
  if (hasRun) {
    w.u32(SERIAL_COOKIE | ((keys.length - 1) << 16));
    const flags = new Uint8Array(flagBytes);
    kinds.forEach((k, i) => { if (k === 'run') flags[i >>> 3]! |= 1 << (i & 7); });
    flags.forEach((b) => w.u8(b));
    offset = 4 + flagBytes + (keys.length < NO_OFFSET_THRESHOLD ? 4 : 8) * keys.length;
  } else {
    w.u32(SERIAL_COOKIE_NO_RUNCONTAINER);
    w.u32(keys.length);
    offset = 8 + 8 * keys.length;
  }
  keys.forEach((k, i) => { w.u16(k); w.u16(values[i]!.length - 1); });
  if (!hasRun || keys.length >= NO_OFFSET_THRESHOLD) {
    kinds.forEach((kind, i) => { w.u32(offset); offset += containerSize(kind, values[i]!); });
  }
  kinds.forEach((kind, i) => writeContainer(w, kind, values[i]!));
}

/**
 * Encodes distinct non-negative integer row indexes (below 2^53) as a portable 64-bit RoaringBitmap.
 * `force` makes every container of that kind where the format allows it (for tests).
 */
export function encodeRoaringTreemap(rows: Iterable<number>, force?: ContainerKind): Uint8Array {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const buckets = new Map<number, number[]>();
  for (const v of sorted) {
    const high = Math.floor(v / 4294967296);
    let b = buckets.get(high);
    if (!b) buckets.set(high, (b = []));
    b.push(v - high * 4294967296);
  }
  const w = new Writer();
  w.u32(buckets.size);
  w.u32(0);
  for (const [high, lows] of buckets) {
    w.u32(high);
    writeBitmap32(w, lows, force);
  }
  return Uint8Array.from(w.out);
}
