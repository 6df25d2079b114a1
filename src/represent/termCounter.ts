/**
 * Accumulates a sparse row × term count matrix, row by row, with a growing vocabulary
 * (term -> provisional id in first-seen order). Per row it keeps a dense scratch vector over the
 * vocabulary plus the list of touched ids, so adding a term is one Map lookup and an increment.
 */
import type { CsrMatrix } from './csr.js';
import { sortRowSegment } from './csr.js';

export class TermCounter {
  readonly termIds = new Map<string, number>();
  readonly terms: string[] = [];
  /** When set, terms not already in the vocabulary are ignored (transform with a fitted vocabulary). */
  private readonly frozen: boolean;

  private scratch = new Float64Array(1024);
  private touched = new Int32Array(1024);
  private nTouched = 0;
  private inRow = false;

  private indptr: number[] = [0];
  private indices = new Int32Array(4096);
  private data = new Float64Array(4096);
  private nnz = 0;

  /** Bound to this, so it can be handed to a TermStream as its emit callback. */
  readonly add = (term: string): void => this.addWeighted(term, 1);

  constructor(fixedVocabulary?: readonly string[]) {
    this.frozen = fixedVocabulary !== undefined;
    if (fixedVocabulary) {
      for (const t of fixedVocabulary) {
        if (this.termIds.has(t)) throw new Error(`duplicate term in vocabulary: ${JSON.stringify(t)}`);
        this.termIds.set(t, this.terms.length);
        this.terms.push(t);
      }
      this.growScratch(this.terms.length);
    }
  }

  get rows(): number {
    return this.indptr.length - 1;
  }

  beginRow(): void {
    if (this.inRow) throw new Error('beginRow called twice without endRow');
    this.inRow = true;
    this.nTouched = 0;
  }

  addWeighted(term: string, weight: number): void {
    let id = this.termIds.get(term);
    if (id === undefined) {
      if (this.frozen) return;
      id = this.terms.length;
      this.termIds.set(term, id);
      this.terms.push(term);
      if (id >= this.scratch.length) this.growScratch(id + 1);
    }
    this.addId(id, weight);
  }

  /** weight must be > 0 (counts and decayed counts are), so a touched entry never returns to 0. */
  addId(id: number, weight: number): void {
    if (!(weight > 0)) throw new Error(`term weights must be positive, got ${weight}`);
    if (this.scratch[id] === 0) {
      if (this.nTouched === this.touched.length) {
        const t = new Int32Array(this.touched.length * 2);
        t.set(this.touched);
        this.touched = t;
      }
      this.touched[this.nTouched++] = id;
    }
    this.scratch[id]! += weight;
  }

  endRow(): void {
    if (!this.inRow) throw new Error('endRow without beginRow');
    this.inRow = false;
    const need = this.nnz + this.nTouched;
    if (need > this.indices.length) {
      const cap = Math.max(need, this.indices.length * 2);
      const ni = new Int32Array(cap);
      ni.set(this.indices.subarray(0, this.nnz));
      const nd = new Float64Array(cap);
      nd.set(this.data.subarray(0, this.nnz));
      this.indices = ni;
      this.data = nd;
    }
    const start = this.nnz;
    for (let k = 0; k < this.nTouched; k++) {
      const id = this.touched[k]!;
      const v = this.scratch[id]!;
      this.scratch[id] = 0;
      this.indices[this.nnz] = id;
      this.data[this.nnz] = v;
      this.nnz++;
    }
    // Provisional ids need no order (finalizeVocabulary renumbers and sorts); a fixed vocabulary does.
    if (this.frozen) sortRowSegment(this.indices, this.data, start, this.nnz);
    this.nTouched = 0;
    this.indptr.push(this.nnz);
  }

  /**
   * The counts so far over the vocabulary (this.terms order). Row entries are sorted by column
   * only with a fixed vocabulary; otherwise pass the result through finalizeVocabulary.
   */
  toCsr(): CsrMatrix {
    if (this.inRow) throw new Error('toCsr inside a row');
    return {
      rows: this.rows,
      cols: this.terms.length,
      indptr: Int32Array.from(this.indptr),
      indices: this.indices.slice(0, this.nnz),
      data: this.data.slice(0, this.nnz),
    };
  }

  private growScratch(min: number): void {
    let cap = this.scratch.length;
    while (cap < min) cap *= 2;
    if (cap === this.scratch.length) return;
    const s = new Float64Array(cap);
    s.set(this.scratch);
    this.scratch = s;
  }
}
