import { insertionSortByKey } from '../core/sortRows.js';

/**
 * A compressed sparse row matrix on typed arrays, the layout scipy's csr_matrix uses:
 * row i's entries are indices[indptr[i] .. indptr[i+1]) (column ids, ascending) with values in data.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float64Array;
}

export function csrNnz(m: CsrMatrix): number {
  return m.indptr[m.rows]!;
}

/** Value at (row, col), 0 when absent (binary search; indices are sorted per row). */
export function csrGet(m: CsrMatrix, row: number, col: number): number {
  let lo = m.indptr[row]!;
  let hi = m.indptr[row + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = m.indices[mid]!;
    if (c === col) return m.data[mid]!;
    if (c < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** Sum of every row. */
export function csrRowSums(m: CsrMatrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    let s = 0;
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) s += m.data[p]!;
    out[r] = s;
  }
  return out;
}

/** Sum of every column. */
export function csrColSums(m: CsrMatrix): Float64Array {
  const out = new Float64Array(m.cols);
  const nnz = csrNnz(m);
  for (let p = 0; p < nnz; p++) out[m.indices[p]!]! += m.data[p]!;
  return out;
}

/** Number of rows in which each column is non-zero (the document frequency). */
export function csrColNonZeros(m: CsrMatrix): Int32Array {
  const out = new Int32Array(m.cols);
  const nnz = csrNnz(m);
  for (let p = 0; p < nnz; p++) if (m.data[p] !== 0) out[m.indices[p]!]!++;
  return out;
}

/** Dense copy of one row (for tests and small matrices). */
export function csrRowDense(m: CsrMatrix, row: number): Float64Array {
  const out = new Float64Array(m.cols);
  for (let p = m.indptr[row]!; p < m.indptr[row + 1]!; p++) out[m.indices[p]!] = m.data[p]!;
  return out;
}

/**
 * Keeps the columns c with newIndex[c] >= 0, renumbered to newIndex[c]. The input rows need not be
 * sorted; the output rows are, because it goes through the transpose (a counting sort by column,
 * then by row), which is O(nnz + rows + cols) rather than a sort per row.
 */
export function csrSelectColumns(m: CsrMatrix, newIndex: Int32Array, newCols: number): CsrMatrix {
  const nnzIn = csrNnz(m);
  // Pass 1: entries per new column.
  const colPtr = new Int32Array(newCols + 1);
  for (let p = 0; p < nnzIn; p++) {
    const c = newIndex[m.indices[p]!]!;
    if (c >= 0) colPtr[c + 1]!++;
  }
  for (let c = 0; c < newCols; c++) colPtr[c + 1]! += colPtr[c]!;
  const nnz = colPtr[newCols]!;
  // Pass 2: scatter into column-major order, remembering each entry's row.
  const colRows = new Int32Array(nnz);
  const colData = new Float64Array(nnz);
  const fill = colPtr.slice(0, newCols);
  const rowPtr = new Int32Array(m.rows + 1);
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      const c = newIndex[m.indices[p]!]!;
      if (c < 0) continue;
      const q = fill[c]!++;
      colRows[q] = r;
      colData[q] = m.data[p]!;
      rowPtr[r + 1]!++;
    }
  }
  for (let r = 0; r < m.rows; r++) rowPtr[r + 1]! += rowPtr[r]!;
  // Pass 3: gather back row-major; walking columns in order leaves every row sorted.
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  const rowFill = rowPtr.slice(0, m.rows);
  for (let c = 0; c < newCols; c++) {
    for (let q = colPtr[c]!; q < colPtr[c + 1]!; q++) {
      const t = rowFill[colRows[q]!]!++;
      indices[t] = c;
      data[t] = colData[q]!;
    }
  }
  return { rows: m.rows, cols: newCols, indptr: rowPtr, indices, data };
}

/**
 * Sorts indices[start..end) ascending, carrying data along. Rows are short (hundreds of entries),
 * and a remapped row is usually nearly sorted, so insertion sort for small rows, else a keyed sort.
 */
export function sortRowSegment(indices: Int32Array, data: Float64Array, start: number, end: number): void {
  const n = end - start;
  if (n < 2) return;
  if (n <= 32) {
    insertionSortByKey(indices, data, start, end);
    return;
  }
  let sorted = true;
  for (let i = start + 1; i < end; i++) {
    if (indices[i - 1]! > indices[i]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const idx = indices.slice(start, end);
  const val = data.slice(start, end);
  order.sort((a, b) => idx[a]! - idx[b]!);
  for (let i = 0; i < n; i++) {
    indices[start + i] = idx[order[i]!]!;
    data[start + i] = val[order[i]!]!;
  }
}
