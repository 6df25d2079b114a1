/**
 * Extracts selected files from a zip archive (a wheel): fflate reads the zip structure, and
 * deflated entries are inflated by Node's native zlib, which takes half the CPU time of fflate's
 * JavaScript inflate on the 90 MB model file (0.37 s against 0.7 s here).
 */
import { inflateRawSync } from 'node:zlib';
import { Unzip, UnzipPassThrough, type AsyncFlateStreamHandler, type UnzipDecoder } from 'fflate';

/** fflate decoder for method 8 (deflate) that buffers the entry and inflates it natively. */
class NativeInflate implements UnzipDecoder {
  static compression = 8;
  ondata: AsyncFlateStreamHandler = () => {};
  private readonly chunks: Uint8Array[] = [];

  push(chunk: Uint8Array, final: boolean): void {
    // fflate may reuse the chunk's buffer after push returns: keep a copy.
    this.chunks.push(chunk.slice());
    if (!final) return;
    try {
      const out = inflateRawSync(Buffer.concat(this.chunks));
      this.ondata(null, new Uint8Array(out.buffer, out.byteOffset, out.byteLength), true);
    } catch (e) {
      this.ondata(e as Error & { code: number }, new Uint8Array(0), true);
    }
  }
}

/** The entries whose names pass `keep`, decompressed, by name. */
export function extractFiles(zip: Uint8Array, keep: (name: string) => boolean): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let error: Error | undefined;
  const unzipper = new Unzip((file) => {
    if (!keep(file.name)) return;
    const parts: Uint8Array[] = [];
    file.ondata = (err, data, final) => {
      if (err) {
        error ??= new Error(`unzip ${file.name}: ${err.message}`);
        return;
      }
      parts.push(data);
      if (final) out.set(file.name, parts.length === 1 ? parts[0]! : new Uint8Array(Buffer.concat(parts)));
    };
    file.start();
  });
  unzipper.register(UnzipPassThrough);
  unzipper.register(NativeInflate);
  unzipper.push(zip, true);
  if (error) throw error;
  return out;
}
