/**
 * Embeddings computed earlier, for `topicstream fit --embeddings`: the model/ folder of a fit
 * output (rows matched to the documents by id) or a .npy file (rows in document order).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { createMatrix, type Doc, type Matrix } from '../core/types.js';
import { InputError } from '../io/lines.js';
import { readNpy } from '../model/npy.js';
import { hasModelSnapshot, readModelSnapshot } from '../model/snapshot.js';

export interface StoredEmbeddings {
  embeddings: Matrix;
  /** the embedding model recorded with them; null for a .npy file */
  modelId: string | null;
}

/** Loads the vectors for `docs` from a fit output folder or a .npy file; InputError when they do not fit. */
export function loadStoredEmbeddings(source: string, docs: readonly Doc[]): StoredEmbeddings {
  if (!existsSync(source)) throw new InputError(`--embeddings: ${source} not found`);
  if (statSync(source).isDirectory()) {
    if (!hasModelSnapshot(source)) throw new InputError(`--embeddings: ${source} has no model/manifest.json: is it the --out folder of \`topicstream fit\`?`);
    const snap = readModelSnapshot(source);
    return { embeddings: rowsById(snap.embeddings, snap.docs, docs, source), modelId: snap.modelId };
  }
  if (path.extname(source).toLowerCase() !== '.npy') throw new InputError(`--embeddings: ${source} is neither a fit output folder nor a .npy file`);
  let x: Matrix;
  try {
    x = readNpy(source);
  } catch (e) {
    throw new InputError(`--embeddings: ${(e as Error).message}`);
  }
  if (x.rows !== docs.length) {
    throw new InputError(`--embeddings: ${source} has ${x.rows} rows for ${docs.length} documents (one row per document, in input order)`);
  }
  return { embeddings: x, modelId: null };
}

/** The stored rows in the order of `docs`, every document's id required among the stored ones. */
function rowsById(stored: Matrix, storedDocs: readonly Doc[], docs: readonly Doc[], source: string): Matrix {
  if (storedDocs.length !== docs.length) {
    throw new InputError(`--embeddings: ${source} holds ${storedDocs.length} documents, the input has ${docs.length} (same documents needed; --limit?)`);
  }
  const rowOf = new Map<string, number>();
  storedDocs.forEach((d, i) => rowOf.set(d.id, i));
  const missing = docs.filter((d) => !rowOf.has(d.id));
  if (missing.length) {
    const shown = missing.slice(0, 5).map((d) => JSON.stringify(d.id)).join(', ');
    throw new InputError(`--embeddings: ${missing.length} document ids of the input are not in ${source} (${shown}${missing.length > 5 ? ', ...' : ''})`);
  }
  const dim = stored.cols;
  const out = new Float32Array(docs.length * dim);
  docs.forEach((d, i) => {
    const r = rowOf.get(d.id)!;
    out.set(stored.data.subarray(r * dim, (r + 1) * dim), i * dim);
  });
  return createMatrix(docs.length, dim, out);
}
