/**
 * Z85 (ZeroMQ RFC 32), the base85 variant Delta uses for deletion vectors (PROTOCOL.md "Deletion Vector
 * Descriptor Schema"): inline DVs are Z85 text of the serialized bitmap, and `u` DVs end in a 20-character
 * Z85 UUID. Every 5 characters carry 4 bytes, big-endian; inline data is padded to a multiple of 4 bytes.
 */
import { DeltaError } from '../errors.ts';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';
const DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGITS[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes Z85 text into bytes (4 per 5 characters), keeping the first `outputLength` (default all).
 * A final group whose value exceeds 32 bits while fewer than 4 bytes are wanted is read the way some writers
 * (the Rust `z85` crate) encode a short tail: its last k+1 characters hold the k remaining bytes, big-endian,
 * behind `#` padding.
 * @throws DeltaError CORRUPT_LOG when the length is not a multiple of 5, a character is not in the alphabet or a
 *   group overflows 32 bits
 */
export function decodeZ85(text: string, outputLength?: number): Uint8Array {
  if (text.length % 5 !== 0) throw new DeltaError('CORRUPT_LOG', `Z85 text of length ${text.length} is not a multiple of 5`);
  const out = new Uint8Array((text.length / 5) * 4);
  for (let i = 0, o = 0; i < text.length; i += 5, o += 4) {
    let value = 0;
    for (let k = 0; k < 5; k++) {
      const code = text.charCodeAt(i + k);
      const digit = code < 128 ? DIGITS[code]! : -1;
      if (digit < 0) throw new DeltaError('CORRUPT_LOG', `invalid Z85 character ${JSON.stringify(text[i + k])}`);
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) {
      const k = outputLength === undefined ? 4 : outputLength - o;
      if (i + 5 !== text.length || k < 1 || k > 3) throw new DeltaError('CORRUPT_LOG', 'Z85 group out of range');
      let tail = 0;
      for (let j = 5 - (k + 1); j < 5; j++) tail = tail * 85 + DIGITS[text.charCodeAt(i + j)]!;
      for (let b = k - 1; b >= 0; b--, tail = Math.floor(tail / 256)) out[o + b] = tail & 0xff;
      break;
    }
    out[o] = value >>> 24;
    out[o + 1] = (value >>> 16) & 0xff;
    out[o + 2] = (value >>> 8) & 0xff;
    out[o + 3] = value & 0xff;
  }
  return outputLength === undefined ? out : out.subarray(0, outputLength);
}

/** Encodes bytes as Z85, zero-padding them to a multiple of 4 (as Delta does for inline DVs). */
export function encodeZ85(bytes: Uint8Array): string {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  let out = '';
  for (let i = 0; i < padded.length; i += 4) {
    let value = ((padded[i]! << 24) | (padded[i + 1]! << 16) | (padded[i + 2]! << 8) | padded[i + 3]!) >>> 0;
    const chars: string[] = [];
    for (let k = 0; k < 5; k++) {
      chars.push(ALPHABET[value % 85]!);
      value = Math.floor(value / 85);
    }
    out += chars.reverse().join('');
  }
  return out;
}

/** The canonical text form (8-4-4-4-12 hex) of a UUID given as 20 Z85 characters. */
export function z85Uuid(text: string): string {
  const hex = Buffer.from(decodeZ85(text)).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
