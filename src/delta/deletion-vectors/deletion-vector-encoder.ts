/**
 * Writes deletion vectors in the formats deletion-vector.ts reads (PROTOCOL.md "Deletion Vector Format", "Deletion
 * Vector File Storage Format"): inline Z85 descriptors and DV files (version byte 1, then per DV a big-endian size,
 * magic + portable RoaringBitmap, big-endian CRC-32). For tests and benchmarks that build DV tables by hand.
 */
import type { DeletionVectorDescriptor } from '../log/actions.ts';
import { crc32 } from './crc32.ts';
import { DV_MAGIC } from './deletion-vector.ts';
import { type ContainerKind, encodeRoaringTreemap } from './roaring-treemap-encoder.ts';
import { encodeZ85 } from './z85.ts';

/** Magic number + bitmap: the data a descriptor's sizeInBytes counts. */
export function encodeBitmapData(rows: Iterable<number>, force?: ContainerKind): Uint8Array {
  const bitmap = encodeRoaringTreemap(rows, force);
  const data = new Uint8Array(4 + bitmap.length);
  new DataView(data.buffer).setUint32(0, DV_MAGIC, true);
  data.set(bitmap, 4);
  return data;
}

/** An inline (`i`) descriptor for the rows. */
export function inlineDeletionVector(rows: readonly number[]): DeletionVectorDescriptor {
  const data = encodeBitmapData(rows);
  return { storageType: 'i', pathOrInlineDv: encodeZ85(data), sizeInBytes: data.length, cardinality: new Set(rows).size };
}

/**
 * A DV file holding one DV per row set, and each DV's offset, size and cardinality (to complete a descriptor
 * with its storage type and path).
 */
export function encodeDeletionVectorFile(rowSets: readonly (readonly number[])[]): { bytes: Uint8Array; dvs: Omit<DeletionVectorDescriptor, 'storageType' | 'pathOrInlineDv'>[] } {
  const parts: Uint8Array[] = [Uint8Array.of(1)];
  const dvs: Omit<DeletionVectorDescriptor, 'storageType' | 'pathOrInlineDv'>[] = [];
  let offset = 1;
  for (const rows of rowSets) {
    const data = encodeBitmapData(rows);
    const framed = new Uint8Array(8 + data.length);
    const view = new DataView(framed.buffer);
    view.setUint32(0, data.length, false);
    framed.set(data, 4);
    view.setUint32(4 + data.length, crc32(data), false);
    parts.push(framed);
    dvs.push({ offset, sizeInBytes: data.length, cardinality: new Set(rows).size });
    offset += framed.length;
  }
  const bytes = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, dvs };
}
