/**
 * The byte format of cached values: JSON in which the values JSON cannot carry (bigint, Date, bytes,
 * NaN/±Infinity, -0) are tagged explicitly, so a DuckDB row read back from the cache is the row DuckDB gave.
 * One flag byte leads: 0 = plain JSON text, 1 = raw-deflate compressed JSON text. Values whose text reaches
 * the threshold are compressed (off the event loop, on libuv's thread pool).
 */
import { deflateRaw, inflateRaw, inflateRawSync, constants } from 'node:zlib';
import { promisify } from 'node:util';

const deflateAsync = promisify(deflateRaw);
const inflateAsync = promisify(inflateRaw);

/** The tag key; a plain object that happens to own it is itself wrapped (`o`), so decoding never guesses. */
const TAG = '$dg';
const FLAG_PLAIN = 0;
const FLAG_DEFLATE = 1;

/** JSON.stringify replacer; `this[key]` is the raw value (Date.toJSON already ran on `value`). */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  switch (typeof raw) {
    case 'bigint':
      return { [TAG]: ['b', raw.toString()] };
    case 'number':
      if (!Number.isFinite(raw)) return { [TAG]: ['n', String(raw)] };
      return Object.is(raw, -0) ? { [TAG]: ['n', '-0'] } : raw;
    case 'object':
      if (raw === null) return null;
      if (raw instanceof Date) return { [TAG]: ['d', raw.getTime()] };
      if (raw instanceof Uint8Array) return { [TAG]: ['u', Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64')] };
      if (!Array.isArray(raw) && Object.hasOwn(raw, TAG)) return { [TAG]: ['o', Object.entries(raw)] };
      return value;
    default:
      return value;
  }
}

const DATE_SETTERS = ['setTime', 'setMilliseconds', 'setUTCMilliseconds', 'setSeconds', 'setUTCSeconds', 'setMinutes', 'setUTCMinutes',
  'setHours', 'setUTCHours', 'setDate', 'setUTCDate', 'setMonth', 'setUTCMonth', 'setFullYear', 'setUTCFullYear', 'setYear'] as const;

/**
 * A Date decoded from the cache. Cached values are shared by every request that reads them, so their dates are
 * immutable (every setter throws) and their ISO text, which GraphQL's DateTime and Date scalars ask for on
 * every hit, is computed once.
 */
export class CachedDate extends Date {
  #iso: string | undefined;
  override toISOString(): string {
    return (this.#iso ??= super.toISOString());
  }
}
for (const name of DATE_SETTERS) {
  Object.defineProperty(CachedDate.prototype, name, {
    value() {
      throw new TypeError(`cached dates are immutable (${name})`);
    },
  });
}

function reviver(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, TAG)) return value;
  const [kind, payload] = (value as Record<string, [string, unknown]>)[TAG]!;
  switch (kind) {
    case 'b': return BigInt(payload as string);
    case 'n': return Number(payload);
    case 'd': return new CachedDate(payload as number);
    case 'u': return new Uint8Array(Buffer.from(payload as string, 'base64'));
    case 'o': return Object.fromEntries(payload as [string, unknown][]);
    default: return value;
  }
}

/** Tagged JSON text of a value (also the canonical text of query parameters in cache keys). */
export function toTaggedJson(value: unknown): string {
  return JSON.stringify(value, replacer) ?? 'null';
}

/** Inverse of toTaggedJson. */
export function fromTaggedJson(text: string): unknown {
  // The reviver costs a call per value; most results carry no tag at all.
  return text.includes(`"${TAG}"`) ? JSON.parse(text, reviver) : JSON.parse(text);
}

export interface EncodedValue {
  bytes: Buffer;
  /** The tagged JSON text (before compression), for callers that also keep a decoded copy. */
  text: string;
  /** Length of the JSON text before compression. */
  rawBytes: number;
  compressed: boolean;
}

/** Encodes a value; compresses when its JSON text is at least `compressMinBytes` long (0 disables). */
export async function encodeValue(value: unknown, compressMinBytes: number): Promise<EncodedValue> {
  const json = toTaggedJson(value);
  const text = Buffer.from(json, 'utf8');
  if (compressMinBytes > 0 && text.length >= compressMinBytes) {
    const packed = await deflateAsync(text, { level: constants.Z_DEFAULT_COMPRESSION });
    if (packed.length < text.length) return { bytes: Buffer.concat([Buffer.of(FLAG_DEFLATE), packed]), text: json, rawBytes: text.length, compressed: true };
  }
  return { bytes: Buffer.concat([Buffer.of(FLAG_PLAIN), text]), text: json, rawBytes: text.length, compressed: false };
}

/**
 * Freezes a decoded value and everything in it (arrays and plain objects), so one copy can be shared by every
 * request that reads it from the in-process tier. Returns the value.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) for (const item of value) deepFreeze(item);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const item of Object.values(value)) deepFreeze(item);
  else return value; // Date, Uint8Array: left as they are
  return Object.freeze(value);
}

/** Decodes what encodeValue produced. @throws Error on an unknown flag byte. */
export async function decodeValue(bytes: Buffer): Promise<unknown> {
  return (await decodeSizedValue(bytes)).value;
}

/**
 * decodeValue plus `rawBytes`, the JSON text's length (the size encodeValue reports), so the in-process tier
 * charges a value the same whether it was computed here or read, compressed, from Redis.
 */
export async function decodeSizedValue(bytes: Buffer): Promise<{ value: unknown; rawBytes: number }> {
  const flag = bytes[0];
  const text = flag === FLAG_PLAIN ? bytes.subarray(1) : flag === FLAG_DEFLATE ? await inflateAsync(bytes.subarray(1)) : undefined;
  if (!text) throw new Error(`unknown cache value flag ${flag}`);
  return { value: fromTaggedJson(text.toString('utf8')), rawBytes: text.length };
}

/** Synchronous inflate for small blobs (bulk-loaded buckets), where a thread-pool hop costs more than it saves. */
export function inflateSmall(bytes: Buffer): Buffer {
  return inflateRawSync(bytes);
}
