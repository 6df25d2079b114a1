/**
 * The flags of BERTopic's toolbox (src/toolbox/: fit, refit and reduce) and of the topic
 * representation (src/represent/mmr.ts, keybertInspired.ts: fit and refit).
 */
import { defineFlag } from './flags.js';

export const TOOLBOX_FLAGS = [
  defineFlag({
    name: 'nr-topics',
    type: 'intOrChoice',
    min: 2,
    choices: ['auto'],
    arg: 'N|auto',
    config: 'toolbox.nrTopics',
    section: 'Topic and outlier reduction (BERTopic\'s toolbox)',
    help: 'merge topics down to N (the outlier topic -1 counts as one, as in BERTopic), or "auto" (HDBSCAN over the topic vectors); default: keep them',
  }),
  defineFlag({
    name: 'topic-distance',
    type: 'choice',
    choices: ['embeddings', 'c-tf-idf'],
    arg: 'D',
    config: 'toolbox.topicDistance',
    section: 'Topic and outlier reduction (BERTopic\'s toolbox)',
    help: 'topic vectors --nr-topics compares: mean document embeddings or c-TF-IDF rows (default {default}, as BERTopic)',
  }),
  defineFlag({
    name: 'reduce-outliers',
    type: 'choice',
    choices: ['c-tf-idf', 'embeddings', 'distributions'],
    arg: 'S',
    config: 'toolbox.reduceOutliers',
    section: 'Topic and outlier reduction (BERTopic\'s toolbox)',
    help: 'give outliers (-1) their most similar topic by this strategy (BERTopic\'s reduce_outliers), then describe the topics again',
  }),
  defineFlag({
    name: 'threshold',
    type: 'number',
    arg: 'T',
    config: 'toolbox.outlierThreshold',
    section: 'Topic and outlier reduction (BERTopic\'s toolbox)',
    help: 'least similarity for --reduce-outliers (default {default}); for distributions, per window of words',
  }),
] as const;

const REPRESENTATION_SECTION = 'Topic words (BERTopic\'s representation models)';
export const REPRESENTATION_FLAGS = [
  defineFlag({
    name: 'representation',
    type: 'choice',
    choices: ['ctfidf', 'mmr', 'keybert'],
    arg: 'M',
    config: 'representation.method',
    section: REPRESENTATION_SECTION,
    help: 'topic words: c-TF-IDF (default {default}), mmr (MaximalMarginalRelevance) or keybert (KeyBERTInspired); mmr and keybert embed the candidate words with the fit\'s model',
  }),
  defineFlag({
    name: 'diversity',
    type: 'number',
    arg: 'D',
    config: 'representation.diversity',
    section: REPRESENTATION_SECTION,
    help: 'MMR diversity, 0 (closest to the topic) to 1 (most diverse) (default {default})',
  }),
] as const;

const GUIDANCE_SECTION = 'Zero-shot and guided topics (BERTopic\'s zeroshot_topic_list, seed_topic_list)';
export const GUIDANCE_FLAGS = [
  defineFlag({
    name: 'zero-shot',
    type: 'list',
    arg: 'NAMES',
    config: 'topics.zeroShot.names',
    section: GUIDANCE_SECTION,
    help: 'named topics, comma-separated ("space exploration,ice hockey"): a document whose embedding is similar enough to a name\'s (embedded with the fit\'s model) goes to that topic, labelled with the name (ids 0.., in the order given); the rest are clustered',
  }),
  defineFlag({
    name: 'zero-shot-similarity',
    type: 'number',
    arg: 'S',
    config: 'topics.zeroShot.minSimilarity',
    section: GUIDANCE_SECTION,
    help: 'least cosine similarity to a name for --zero-shot (default {default}, as BERTopic; short names against posts often need 0.3-0.5)',
  }),
  defineFlag({
    name: 'seed-topics',
    type: 'string',
    arg: 'WORDS',
    config: 'topics.seedTopics',
    section: GUIDANCE_SECTION,
    help: 'seed word lists, topics separated by ";" ("space nasa orbit; hockey team game"): documents closest to a seed topic are nudged toward it before clustering, and seed words weigh 1.2 x in c-TF-IDF',
  }),
] as const;
