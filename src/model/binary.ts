/** Raw little-endian float32 / int32 files for embeddings and labels (no JSON for big arrays). */
import { writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';

if (os.endianness() !== 'LE') throw new Error('topicstream snapshots assume a little-endian machine');

export function writeTyped(file: string, arr: Float32Array | Int32Array): void {
  writeFileSync(file, new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
}

function readAligned(file: string): ArrayBuffer {
  const buf = readFileSync(file);
  // copy into a fresh ArrayBuffer: Buffer's pool offset may not be 4-byte aligned
  const ab = new ArrayBuffer(buf.length);
  new Uint8Array(ab).set(buf);
  return ab;
}

export function readFloat32(file: string): Float32Array {
  return new Float32Array(readAligned(file));
}

export function readInt32(file: string): Int32Array {
  return new Int32Array(readAligned(file));
}
