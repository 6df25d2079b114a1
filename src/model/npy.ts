/**
 * NumPy's .npy format (version 1.0-3.0) for embedding matrices: read a 2-D float32 or float64
 * array in C order (little- or big-endian), write float32. numpy.save(file, embeddings) makes what
 * `topicstream fit --embeddings file.npy` reads; `np.load` reads what writeNpy writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createMatrix, type Matrix } from '../core/types.js';

const MAGIC = '\x93NUMPY';

class NpyError extends Error {
  override name = 'NpyError';
}

interface NpyHeader {
  descr: string;
  fortran: boolean;
  shape: number[];
}

/** Parses the header's Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 384), }. */
function parseHeader(text: string, file: string): NpyHeader {
  const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) throw new NpyError(`${file}: unreadable .npy header: ${text.trim()}`);
  const dims = shape
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  return { descr, fortran: fortran === 'True', shape: dims };
}

/** A 2-D float array from a .npy file, as float32 rows. */
export function readNpy(file: string): Matrix {
  const buf = readFileSync(file);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== MAGIC) throw new NpyError(`${file}: not a .npy file (no \\x93NUMPY magic)`);
  const major = buf[6]!;
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const h = parseHeader(buf.toString(major === 3 ? 'utf8' : 'latin1', major === 1 ? 10 : 12, start), file);
  if (h.shape.length !== 2) throw new NpyError(`${file}: expected a 2-D array (documents x dimensions), got shape (${h.shape.join(', ')})`);
  if (h.fortran) throw new NpyError(`${file}: Fortran-ordered arrays are not supported (save np.ascontiguousarray(x))`);
  const m = /^([<>|=])f([48])$/.exec(h.descr);
  if (!m) throw new NpyError(`${file}: dtype ${h.descr} is not supported (float32 or float64)`);
  const [rows, cols] = h.shape as [number, number];
  const width = Number(m[2]);
  const little = m[1] !== '>';
  if (buf.length - start < rows * cols * width) throw new NpyError(`${file}: truncated (${rows} x ${cols} ${h.descr} needs ${rows * cols * width} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset + start, rows * cols * width);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = width === 4 ? view.getFloat32(i * 4, little) : view.getFloat64(i * 8, little);
  return createMatrix(rows, cols, data);
}

/** Writes a matrix as a version 1.0 .npy file of little-endian float32. */
export function writeNpy(file: string, x: Matrix): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${x.rows}, ${x.cols}), }`;
  // magic (6) + version (2) + length (2) + header + '\n', padded to a multiple of 64
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const head = Buffer.alloc(10);
  head.write(MAGIC, 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength);
  writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
}
