/** Hex sha256 of bytes or a string (UTF-8): model downloads and snapshot manifests check with it. */
import { createHash } from 'node:crypto';

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
