/**
 * Turning provisional counts into scikit-learn's final vocabulary: prune by document frequency
 * (min_df, max_df) and max_features, then sort the terms (Python string order = code point order).
 */
import type { CsrMatrix } from './csr.js';
import { csrColNonZeros, csrColSums, csrSelectColumns } from './csr.js';

/**
 * A document-frequency bound. Python distinguishes int (a count) from float (a fraction of the
 * documents); JS numbers do not, so:
 *   - `{ count: n }` or `{ fraction: f }` say it explicitly;
 *   - a plain number that is an integer >= 1 is a count (like Python's int), anything else
 *     (0.5, 0.95, 0) is a fraction. So `maxDf: 1` means "at most 1 document", as max_df=1 in Python;
 *     write `{ fraction: 1 }` (the default) for "no upper limit".
 */
export type DfBound = number | { readonly count: number } | { readonly fraction: number };

export interface PruneOptions {
  /** Drop terms in fewer documents than this (sklearn min_df, default 1). */
  minDf?: DfBound;
  /** Drop terms in more documents than this (sklearn max_df, default 1.0 = fraction 1). */
  maxDf?: DfBound;
  /** Keep only the most frequent terms (by total count); ties go to the term first in sorted order. */
  maxFeatures?: number | null;
}

function dfLimit(b: DfBound, nDocs: number, name: string): number {
  if (typeof b === 'number') {
    if (!(b >= 0)) throw new Error(`${name} must be >= 0, got ${b}`);
    return Number.isInteger(b) && b >= 1 ? b : b * nDocs;
  }
  if ('count' in b) {
    if (!(b.count >= 0)) throw new Error(`${name}.count must be >= 0`);
    return b.count;
  }
  if (!(b.fraction >= 0 && b.fraction <= 1)) throw new Error(`${name}.fraction must be in [0, 1]`);
  return b.fraction * nDocs;
}

/** Compares strings by Unicode code point, as Python does (JS `<` compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800-0xDFFF) encode code points above 0xFFFF, so they must sort after 0xE000-0xFFFF.
    if (x >= 0xd800 && y >= 0xd800) return fixup(x) - fixup(y);
    return x - y;
  }
  return a.length - b.length;
}

function fixup(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c + 0x2000;
}

/**
 * Term ids ordered by their (distinct) terms in code point order. termIds (term -> id), when the
 * caller has it, saves building a map of the whole vocabulary; sorted says terms are in order already.
 */
function sortIdsByTerm(ids: readonly number[], terms: readonly string[], hints: FinalizeHints): number[] {
  if (hints.sorted) return ids.slice().sort((a, b) => a - b);
  const strs = ids.map((c) => terms[c]!);
  // The native sort (no comparator) compares UTF-16 code units, which equals code point order
  // unless a string has a character at or above U+D800; only then pay for the exact comparator.
  let needsExact = false;
  for (const s of strs) {
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) >= 0xd800) {
        needsExact = true;
        break;
      }
    }
    if (needsExact) break;
  }
  let idOf = hints.termIds;
  if (idOf === undefined) {
    const m = new Map<string, number>();
    for (let k = 0; k < ids.length; k++) m.set(strs[k]!, ids[k]!);
    idOf = m;
  }
  if (needsExact) strs.sort(compareCodePoints);
  else strs.sort();
  return strs.map((s) => idOf.get(s)!);
}

export interface FinalizeHints {
  /** Do not throw when pruning leaves no term (a streaming refit should not die for one window). */
  allowEmpty?: boolean;
  /** term -> column of counts, if the caller has it (saves a map over the whole vocabulary). */
  termIds?: ReadonlyMap<string, number>;
  /** The provisional terms are already in code point order. */
  sorted?: boolean;
}

export interface Vocabulary {
  /** Terms in column order (sorted by code point). */
  readonly terms: string[];
  /** The matrix with its columns pruned and renumbered to match terms. */
  readonly matrix: CsrMatrix;
}

/**
 * Prunes and sorts. counts has one row per document (or per topic) and one column per entry of
 * provisionalTerms. Throws like sklearn when max_df < min_df, or when nothing is left (unless
 * hints.allowEmpty).
 */
export function finalizeVocabulary(
  counts: CsrMatrix,
  provisionalTerms: readonly string[],
  options: PruneOptions = {},
  hints: FinalizeHints = {},
): Vocabulary {
  const nDocs = counts.rows;
  const high = dfLimit(options.maxDf ?? { fraction: 1 }, nDocs, 'maxDf');
  const low = dfLimit(options.minDf ?? 1, nDocs, 'minDf');
  if (high < low) throw new Error('maxDf corresponds to fewer documents than minDf');
  const maxFeatures = options.maxFeatures ?? null;
  if (maxFeatures !== null && !(Number.isInteger(maxFeatures) && maxFeatures > 0)) {
    throw new Error(`maxFeatures must be a positive integer, got ${maxFeatures}`);
  }

  const df = csrColNonZeros(counts);
  const keep: number[] = [];
  for (let c = 0; c < counts.cols; c++) if (df[c]! <= high && df[c]! >= low) keep.push(c);
  let kept = sortIdsByTerm(keep, provisionalTerms, hints);

  if (maxFeatures !== null && kept.length > maxFeatures) {
    const tf = csrColSums(counts);
    // Most frequent first; equal totals keep sorted-term order (sklearn's argsort is unstable here).
    const byFreq = kept.map((c, rank) => ({ c, rank }));
    byFreq.sort((x, y) => tf[y.c]! - tf[x.c]! || x.rank - y.rank);
    kept = sortIdsByTerm(
      byFreq.slice(0, maxFeatures).map((e) => e.c),
      provisionalTerms,
      hints,
    );
  }
  if (kept.length === 0 && counts.cols > 0 && !hints.allowEmpty) {
    throw new Error('after pruning, no terms remain; try a lower minDf or a higher maxDf');
  }

  const newIndex = new Int32Array(counts.cols).fill(-1);
  const terms = new Array<string>(kept.length);
  for (let j = 0; j < kept.length; j++) {
    newIndex[kept[j]!] = j;
    terms[j] = provisionalTerms[kept[j]!]!;
  }
  return { terms, matrix: csrSelectColumns(counts, newIndex, kept.length) };
}
