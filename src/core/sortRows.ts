/**
 * Sorting the rows of a CSR matrix in place (the UMAP fuzzy graph, c-TF-IDF's term counts): each row
 * is a short run of column ids with a value per entry.
 */

/**
 * Insertion sort of keys[start..end) ascending, carrying vals along. Stable, so equal keys keep
 * their order and the result is the same bit for bit as any other stable sort of the row.
 */
export function insertionSortByKey(keys: Int32Array, vals: Float32Array | Float64Array, start: number, end: number): void {
  for (let p = start + 1; p < end; p++) {
    const c = keys[p]!;
    const v = vals[p]!;
    let q = p - 1;
    while (q >= start && keys[q]! > c) {
      keys[q + 1] = keys[q]!;
      vals[q + 1] = vals[q]!;
      q--;
    }
    keys[q + 1] = c;
    vals[q + 1] = v;
  }
}

/** Sorts every row of a CSR matrix by column (rows are short: insertion sort). */
export function sortCsrRows(rowPtr: Int32Array, cols: Int32Array, vals: Float32Array | Float64Array): void {
  const n = rowPtr.length - 1;
  for (let i = 0; i < n; i++) insertionSortByKey(cols, vals, rowPtr[i]!, rowPtr[i + 1]!);
}
