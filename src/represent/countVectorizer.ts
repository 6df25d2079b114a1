/**
 * scikit-learn's CountVectorizer (analyzer="word"), as BERTopic uses it: documents -> a sparse
 * document × term count matrix over a sorted vocabulary.
 */
import { type AnalyzerOptions, resolveAnalyzerOptions, type ResolvedAnalyzerOptions, TermStream } from './analyzer.js';
import type { CsrMatrix } from './csr.js';
import { TermCounter } from './termCounter.js';
import { finalizeVocabulary, type PruneOptions } from './vocabulary.js';

export interface CountVectorizerOptions extends AnalyzerOptions, PruneOptions {}

export interface CountResult {
  /** Terms in column order (sorted as sklearn's get_feature_names_out). */
  vocabulary: string[];
  /** documents × terms counts. */
  matrix: CsrMatrix;
}

export class CountVectorizer {
  readonly analyzerOptions: ResolvedAnalyzerOptions;
  readonly pruneOptions: PruneOptions;
  private vocab: string[] | null = null;

  constructor(options: CountVectorizerOptions = {}) {
    this.analyzerOptions = resolveAnalyzerOptions(options);
    this.pruneOptions = { minDf: options.minDf, maxDf: options.maxDf, maxFeatures: options.maxFeatures };
  }

  /** Learns the vocabulary and returns the counts (sklearn fit_transform). */
  fitTransform(docs: Iterable<string>): CountResult {
    const counter = new TermCounter();
    countDocuments(counter, this.analyzerOptions, docs);
    if (counter.terms.length === 0) {
      throw new Error('empty vocabulary; perhaps the documents only contain stop words');
    }
    const { terms, matrix } = finalizeVocabulary(counter.toCsr(), counter.terms, this.pruneOptions, {
      termIds: counter.termIds,
    });
    this.vocab = terms;
    return { vocabulary: terms, matrix };
  }

  /** Counts over the learned vocabulary; unknown terms are ignored (sklearn transform). */
  transform(docs: Iterable<string>): CsrMatrix {
    if (this.vocab === null) throw new Error('CountVectorizer.transform called before fitTransform');
    return countOverVocabulary(docs, this.vocab, this.analyzerOptions);
  }

  /** The learned vocabulary (sklearn get_feature_names_out). */
  featureNames(): readonly string[] {
    if (this.vocab === null) throw new Error('CountVectorizer is not fitted');
    return this.vocab;
  }
}

/** Counts docs over a fixed, already sorted vocabulary (column j = vocabulary[j]). */
export function countOverVocabulary(
  docs: Iterable<string>,
  vocabulary: readonly string[],
  analyzer: AnalyzerOptions | ResolvedAnalyzerOptions = {},
): CsrMatrix {
  const counter = new TermCounter(vocabulary);
  countDocuments(counter, analyzer, docs);
  return counter.toCsr();
}

function countDocuments(
  counter: TermCounter,
  analyzer: AnalyzerOptions | ResolvedAnalyzerOptions,
  docs: Iterable<string>,
): void {
  const stream = new TermStream(analyzer);
  for (const doc of docs) {
    counter.beginRow();
    stream.beginDocument();
    stream.addText(doc, counter.add);
    counter.endRow();
  }
}
