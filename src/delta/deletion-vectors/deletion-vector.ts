/**
 * Deletion vectors (PROTOCOL.md "Deletion Vectors", "Deletion Vector Format", "Deletion Vector File Storage
 * Format"): a descriptor on an add names the rows of its data file that are deleted, stored inline (`i`, Z85), in
 * a UUID-named file under the table (`u`) or at an absolute path (`p`). A DV in a file sits at `offset`: a
 * big-endian u32 size, the bitmap data (magic 1681511377 little-endian, then a 64-bit portable RoaringBitmap)
 * and a big-endian CRC-32 of that data. Loading verifies size, magic, checksum and cardinality.
 */
import type { DeletionVectorDescriptor } from '../log/actions.ts';
import { crc32 } from './crc32.ts';
import { DeltaError, isDeltaError } from '../errors.ts';
import { decodeNativeBitmapArray, decodeRoaringTreemap } from './roaring-treemap.ts';
import type { DeltaStorage } from '../storage.ts';
import { decodeZ85, z85Uuid } from './z85.ts';

/** The magic number that opens a DV's bitmap data (portable 64-bit RoaringBitmap). */
export const DV_MAGIC = 1681511377;
/** The older magic of Delta's native RoaringBitmapArray layout (big-endian; buckets keyed by position). */
export const DV_MAGIC_NATIVE = 1681511376;

/** Where a `u` or `p` DV lives: a path relative to the table root, or an absolute URI/path. */
export interface DeletionVectorLocation {
  relative?: string;
  absolute?: string;
}

/**
 * The file a DV is stored in. `u`: `<prefix>/deletion_vector_<uuid>.bin` (the last 20 characters are the Z85
 * UUID, anything before them a folder prefix); `p`: the absolute path as given.
 * @throws DeltaError CORRUPT_LOG for an inline DV, an unknown storage type or a malformed UUID
 */
export function deletionVectorLocation(dv: DeletionVectorDescriptor): DeletionVectorLocation {
  const text = String(dv.pathOrInlineDv ?? '');
  if (dv.storageType === 'p') return { absolute: text };
  if (dv.storageType !== 'u') throw new DeltaError('CORRUPT_LOG', `deletion vector storage type ${JSON.stringify(dv.storageType)} has no file`);
  if (text.length < 20) throw new DeltaError('CORRUPT_LOG', `deletion vector path ${JSON.stringify(text)} is shorter than a Z85 UUID`);
  const prefix = text.slice(0, -20);
  const name = `deletion_vector_${z85Uuid(text.slice(-20))}.bin`;
  return { relative: prefix ? `${prefix}/${name}` : name };
}

/** Verifies the magic number and decodes the bitmap part of a DV's data. */
function decodeBitmapData(data: Uint8Array, dv: DeletionVectorDescriptor): Float64Array {
  if (data.length < 4) throw new DeltaError('CORRUPT_DATA', 'deletion vector data is shorter than its magic number');
  const view = new DataView(data.buffer, data.byteOffset, 4);
  if (view.getUint32(0, false) === DV_MAGIC_NATIVE) return decodeNativeBitmapArray(data.subarray(4), dv.cardinality);
  const magic = view.getUint32(0, true);
  if (magic !== DV_MAGIC) throw new DeltaError('CORRUPT_DATA', `deletion vector magic number ${magic} is not ${DV_MAGIC}`);
  return decodeRoaringTreemap(data.subarray(4), dv.cardinality);
}

/**
 * The DV's data at `offset` of a DV file's bytes, with its size and checksum verified.
 * @throws DeltaError CORRUPT_DATA when the offset is out of range, the size differs from `sizeInBytes`, or the
 *   checksum does not match
 */
export function sliceDeletionVector(file: Uint8Array, dv: DeletionVectorDescriptor): Uint8Array {
  const offset = dv.offset ?? 1;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + 4 > file.length) {
    throw new DeltaError('CORRUPT_DATA', `offset ${offset} is outside the ${file.length}-byte file`);
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const size = view.getUint32(offset, false);
  if (size !== dv.sizeInBytes) throw new DeltaError('CORRUPT_DATA', `stored size ${size} differs from the descriptor's sizeInBytes ${dv.sizeInBytes}`);
  if (offset + 8 + size > file.length) throw new DeltaError('CORRUPT_DATA', `a ${size}-byte deletion vector at ${offset} runs past the end of the file`);
  const data = file.subarray(offset + 4, offset + 4 + size);
  const stored = view.getUint32(offset + 4 + size, false);
  if (crc32(data) !== stored) throw new DeltaError('CORRUPT_DATA', `checksum mismatch for the deletion vector at offset ${offset}`);
  return data;
}

/** Reads DV files once per load (many DVs may share one file). */
export type DeletionVectorFileReader = (location: DeletionVectorLocation) => Promise<Uint8Array>;

/**
 * Reads a `u` DV file. Delta's own test suites write DV files with an extra name prefix
 * (`test%dv%prefix-deletion_vector_<uuid>.bin`) that the descriptor does not record; when the protocol's name is
 * absent, the one file in the folder whose name ends with it is taken (the UUID makes it unique, and size and
 * checksum are still verified).
 */
async function readRelative(storage: DeltaStorage, path: string): Promise<Uint8Array> {
  try {
    return await storage.read(path);
  } catch (e) {
    if (!isDeltaError(e) || e.code !== 'IO_ERROR') throw e;
    const slash = path.lastIndexOf('/');
    const [dir, name] = slash < 0 ? ['', path] : [path.slice(0, slash), path.slice(slash + 1)];
    const matches = (await storage.list(dir)).filter((f) => f.path.endsWith(name));
    if (matches.length !== 1) throw e;
    return storage.read(matches[0]!.path);
  }
}

/** A reader over a DeltaStorage: relative paths with `read`, absolute ones with `readAbsolute`. */
export function storageFileReader(storage: DeltaStorage): DeletionVectorFileReader {
  const files = new Map<string, Promise<Uint8Array>>();
  return (location) => {
    const key = location.relative ?? `abs:${location.absolute}`;
    let file = files.get(key);
    if (!file) {
      if (location.relative !== undefined) file = readRelative(storage, location.relative);
      else if (storage.readAbsolute) file = storage.readAbsolute(location.absolute!);
      else file = Promise.reject(new DeltaError('UNSUPPORTED_FEATURE', `this storage cannot read the absolute path ${location.absolute}`));
      files.set(key, file);
    }
    return file;
  };
}

/**
 * The deleted row indexes (ascending) of one data file's DV.
 * @param dataFile the add's path, named in errors
 * @throws DeltaError CORRUPT_LOG for a malformed descriptor or unknown storage type; CORRUPT_DATA for a missing
 *   DV file or bad size, checksum, magic or bitmap (the message names the DV file and the data file)
 */
export async function loadDeletionVector(
  dv: DeletionVectorDescriptor,
  dataFile: string,
  readFile: DeletionVectorFileReader,
): Promise<Float64Array> {
  let where = 'inline';
  try {
    if (dv.storageType === 'i') {
      const data = decodeZ85(String(dv.pathOrInlineDv ?? ''), dv.sizeInBytes);
      return decodeBitmapData(data, dv);
    }
    if (dv.storageType !== 'u' && dv.storageType !== 'p') {
      throw new DeltaError('CORRUPT_LOG', `unknown deletion vector storage type ${JSON.stringify(dv.storageType)}`);
    }
    const location = deletionVectorLocation(dv);
    where = location.relative ?? location.absolute!;
    let file: Uint8Array;
    try {
      file = await readFile(location);
    } catch (e) {
      if (isDeltaError(e) && e.code === 'IO_ERROR') throw new DeltaError('CORRUPT_DATA', `deletion vector file is missing or unreadable: ${e.message}`, { cause: e });
      throw e;
    }
    return decodeBitmapData(sliceDeletionVector(file, dv), dv);
  } catch (e) {
    if (!isDeltaError(e)) throw e;
    throw new DeltaError(e.code, `deletion vector ${where} of ${dataFile}: ${e.message}`, { cause: e });
  }
}
