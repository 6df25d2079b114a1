/**
 * All the numbers `topicstream eval` reports, from documents, their assigned topics and the topics'
 * words: topic quality (NPMI, diversity), outliers, and agreement with labels (NMI, ARI).
 */
import type { Config } from '../config/schema.js';
import type { Doc } from '../core/types.js';
import { createAnalyzer } from '../represent/index.js';
import { vectorizerOptions } from '../pipeline/describeTopics.js';
import { npmiCoherence } from './npmi.js';
import { topicDiversity } from './diversity.js';
import { normalizedMutualInfo } from './nmi.js';
import { adjustedRandIndex } from './ari.js';
import type { TopicWordList } from './topicWordsInput.js';
import { roundTo } from '../core/round.js';

export interface EvalResult {
  n_docs: number;
  n_topics: number;
  outlier_ratio: number;
  npmi: number;
  diversity: number;
  n_labelled?: number;
  nmi?: number;
  ari?: number;
  nmi_clustered?: number;
  ari_clustered?: number;
  n_missing_assignment: number;
}

export function evaluateTopics(docs: readonly Doc[], assignments: ReadonlyArray<{ id: string; topic: number }>, topics: readonly TopicWordList[], config: Config): EvalResult {
  const topicOf = new Map(assignments.map((a) => [a.id, a.topic]));
  const scored = docs.filter((d) => topicOf.has(d.id));
  const pred = scored.map((d) => topicOf.get(d.id)!);
  const outliers = pred.filter((t) => t === -1).length;
  const analyze = createAnalyzer({ ...vectorizerOptions(config.vectorizer), cleaning: 'bertopic-english' });
  const tokenised = docs.map((d) => analyze(d.text));
  const real = topics.filter((t) => t.id !== -1);
  const out: EvalResult = {
    n_docs: scored.length,
    n_topics: real.length,
    outlier_ratio: roundTo(scored.length ? outliers / scored.length : 0, 4),
    npmi: roundTo(npmiCoherence(real, tokenised, { topN: 10 }).mean, 4),
    diversity: roundTo(topicDiversity(real, { topK: 25 }), 4),
    n_missing_assignment: docs.length - scored.length,
  };
  const labelled = scored.map((d, i) => ({ label: d.label, topic: pred[i]! })).filter((x) => x.label !== undefined);
  if (labelled.length) {
    out.n_labelled = labelled.length;
    out.nmi = roundTo(normalizedMutualInfo(labelled.map((x) => x.label!), labelled.map((x) => x.topic)), 4);
    out.ari = roundTo(adjustedRandIndex(labelled.map((x) => x.label!), labelled.map((x) => x.topic)), 4);
    const clustered = labelled.filter((x) => x.topic !== -1);
    if (clustered.length) {
      out.nmi_clustered = roundTo(normalizedMutualInfo(clustered.map((x) => x.label!), clustered.map((x) => x.topic)), 4);
      out.ari_clustered = roundTo(adjustedRandIndex(clustered.map((x) => x.label!), clustered.map((x) => x.topic)), 4);
    }
  }
  return out;
}
