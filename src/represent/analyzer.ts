/**
 * scikit-learn's word analyzer (CountVectorizer.build_analyzer with analyzer="word"):
 * optional URL/@handle removal (tokenFilter.ts) -> optional cleaning (BERTopic's _preprocess_text)
 * -> lowercase -> tokens `\b\w\w+\b` -> stop words and filtered tokens removed -> word n-grams (joined by one space) over the remaining tokens.
 *
 * It is a stream: a document may be fed in several pieces (BERTopic joins all documents of a
 * topic with a space), and n-grams then run across the pieces exactly as they would over the
 * joined text. Terms come out unigrams and n-grams interleaved rather than sklearn's "all unigrams,
 * then all bigrams"; counts do not depend on the order.
 */
import { SKLEARN_ENGLISH_STOP_WORDS } from './data/sklearnEnglishStopWords.js';
import { cleanTextForTokens, type TextCleaning } from './textCleaning.js';
import { forEachWordToken } from './wordTokenizer.js';
import { keepToken, resolveTokenFilter, stripUrlsAndHandles, type ResolvedTokenFilter, type TokenFilterOptions } from './tokenFilter.js';

export interface AnalyzerOptions extends TokenFilterOptions {
  /** Lowercase before tokenising (sklearn default true). */
  lowercase?: boolean;
  /** 'english' = scikit-learn's ENGLISH_STOP_WORDS; or your own words; null/undefined = none. */
  stopWords?: 'english' | Iterable<string> | null;
  /** [min_n, max_n] word n-grams, sklearn default [1, 1]. */
  ngramRange?: readonly [number, number];
  /** Text cleaning before lowercasing (see textCleaning.ts); default 'none' = plain sklearn. */
  cleaning?: TextCleaning;
}

export interface ResolvedAnalyzerOptions {
  lowercase: boolean;
  stopWords: ReadonlySet<string> | null;
  ngramRange: readonly [number, number];
  cleaning: TextCleaning;
  /** URLs, @handles, numbers, short tokens left out (tokenFilter.ts); null = none (default). */
  tokenFilter: ResolvedTokenFilter | null;
}

export function resolveAnalyzerOptions(o: AnalyzerOptions = {}): ResolvedAnalyzerOptions {
  const ngramRange = o.ngramRange ?? [1, 1];
  const [minN, maxN] = ngramRange;
  if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN) {
    throw new Error(`ngramRange must be [min, max] integers with 1 <= min <= max, got [${minN}, ${maxN}]`);
  }
  let stopWords: ReadonlySet<string> | null = null;
  if (o.stopWords === 'english') stopWords = new Set(SKLEARN_ENGLISH_STOP_WORDS);
  else if (typeof o.stopWords === 'string') throw new Error(`stopWords must be 'english', a list of words, or null`);
  else if (o.stopWords != null) stopWords = new Set(o.stopWords);
  const resolved: ResolvedAnalyzerOptions = {
    lowercase: o.lowercase ?? true,
    stopWords,
    ngramRange: [minN, maxN],
    cleaning: o.cleaning ?? 'none',
    // a resolved options object spread into a new one keeps its filter
    tokenFilter: 'tokenFilter' in o ? (o.tokenFilter as ResolvedTokenFilter | null) : resolveTokenFilter(o),
  };
  resolvedObjects.add(resolved);
  return resolved;
}

/** Objects made by resolveAnalyzerOptions (so they are not resolved twice). */
const resolvedObjects = new WeakSet<object>();

export class TermStream {
  private readonly opts: ResolvedAnalyzerOptions;
  private readonly minN: number;
  private readonly maxN: number;
  /** The last maxN-1 kept tokens, a ring buffer, for n-grams across pieces. */
  private readonly history: string[];
  private historyCount = 0;
  private historyPos = 0;
  private emitTerm: (term: string) => void = () => {};
  private readonly onToken = (token: string): void => this.token(token);

  constructor(options: AnalyzerOptions | ResolvedAnalyzerOptions = {}) {
    this.opts = isResolved(options) ? options : resolveAnalyzerOptions(options);
    this.minN = this.opts.ngramRange[0];
    this.maxN = this.opts.ngramRange[1];
    this.history = new Array<string>(Math.max(1, this.maxN - 1)).fill('');
  }

  get options(): ResolvedAnalyzerOptions {
    return this.opts;
  }

  /** Starts a new document: n-grams do not run across documents. */
  beginDocument(): void {
    this.historyCount = 0;
    this.historyPos = 0;
  }

  /** Feeds one piece of the current document (pieces are joined with a space). */
  addText(text: string, emit: (term: string) => void): void {
    const filter = this.opts.tokenFilter;
    let t = cleanTextForTokens(filter ? stripUrlsAndHandles(text, filter) : text, this.opts.cleaning);
    if (this.opts.lowercase) t = t.toLowerCase();
    this.emitTerm = emit;
    forEachWordToken(t, this.onToken);
  }

  private token(tok: string): void {
    if (this.opts.stopWords !== null && this.opts.stopWords.has(tok)) return;
    if (this.opts.tokenFilter !== null && !keepToken(tok, this.opts.tokenFilter)) return;
    if (this.maxN === 1) {
      this.emitTerm(tok);
      return;
    }
    if (this.minN === 1) this.emitTerm(tok);
    // n-grams ending at this token, from the history (oldest first)
    const h = this.history;
    const cap = h.length;
    const avail = this.historyCount;
    for (let n = Math.max(2, this.minN); n <= this.maxN && n - 1 <= avail; n++) {
      let gram = tok;
      for (let back = 1; back < n; back++) gram = h[(this.historyPos - back + cap * 2) % cap] + ' ' + gram;
      this.emitTerm(gram);
    }
    h[this.historyPos] = tok;
    this.historyPos = (this.historyPos + 1) % cap;
    if (this.historyCount < cap) this.historyCount++;
  }
}

function isResolved(o: AnalyzerOptions | ResolvedAnalyzerOptions): o is ResolvedAnalyzerOptions {
  return resolvedObjects.has(o);
}

/** The terms of one text, in stream order (convenience; allocates). */
export function analyze(text: string, options: AnalyzerOptions = {}): string[] {
  const out: string[] = [];
  const s = new TermStream(options);
  s.beginDocument();
  s.addText(text, (t) => out.push(t));
  return out;
}

/** An analyzer function to reuse over many texts (tokenised docs for NPMI, for example). */
export function createAnalyzer(options: AnalyzerOptions = {}): (text: string) => string[] {
  const s = new TermStream(options);
  return (text: string) => {
    const out: string[] = [];
    s.beginDocument();
    s.addText(text, (t) => out.push(t));
    return out;
  };
}
