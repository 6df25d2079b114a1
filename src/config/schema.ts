/**
 * The configuration schema: every setting, its type, its default and its limits.
 * Defaults match BERTopic's where BERTopic has one (docs/design.md, "Defaults").
 */
import { z } from 'zod';
import { isSupportedModel, MODEL_ID, SUPPORTED_MODELS } from '../embed/model/modelFiles.js';

const positiveInt = z.number().int().positive();

export const embeddingSchema = z
  .object({
    /**
     * The embedding model: the embedder's model id (recorded in outputs, snapshots and published
     * models). Only the model `topicstream model pull` provides is accepted.
     */
    model: z
      .string()
      .refine(isSupportedModel, (m) => ({ message: `"${m}" is not available: \`topicstream model pull\` provides only ${SUPPORTED_MODELS.join(', ')}` }))
      .default(MODEL_ID),
    /** Folder holding the transformers.js model files; default: the topicstream cache. */
    modelDir: z.string().optional(),
    dtype: z.enum(['fp32', 'q8']).default('fp32'),
    /** Worker threads for embedding; "auto" = one per core. */
    workers: z.union([z.literal('auto'), positiveInt]).default('auto'),
    threadsPerWorker: positiveInt.default(1),
    batchSize: positiveInt.max(1024).default(32),
    /** Posts over the model's 256-token limit: average the chunks' embeddings, or cut them. */
    longText: z.enum(['chunk', 'truncate']).default('chunk'),
    /** A batch whose worker finishes no forward pass for this many seconds fails; the worker is replaced (a hung worker). */
    timeoutSeconds: z.number().positive().default(60),
    /** Crashed or hung workers are replaced at most this many times per minute (then batches fail until the minute passes). */
    maxRestartsPerMinute: positiveInt.default(6),
  })
  .strict();

export const knnSchema = z
  .object({
    M: positiveInt.default(16),
    efConstruction: positiveInt.default(200),
    efSearch: positiveInt.default(100),
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

/**
 * What is left out of topic words: `readable` false is BERTopic's CountVectorizer (`fit`'s
 * defaults), true the service's (`stream.vectorizer`).
 */
const wordFilterKeys = (readable: boolean) => ({
  stopWords: z.enum(['english']).nullable().default(readable ? 'english' : null),
  /** Leave URLs out of the topic words (removed before cleaning, which would glue one into "httpstcoabc"). */
  dropUrls: z.boolean().default(readable),
  /** Leave @handles (and a retweet's "RT") out of the topic words. */
  dropHandles: z.boolean().default(readable),
  /** Leave HTML entities ("&amp;", which the cleaning turns into the word "amp") out of the topic words. */
  dropHtmlEntities: z.boolean().default(readable),
  /** Leave tokens made of digits only ("2016") out of the topic words. */
  dropNumbers: z.boolean().default(readable),
  /** Shortest token kept, in characters (the token pattern keeps 2 and more already). */
  minTokenChars: z.number().int().min(1).default(2),
});

export const vectorizerSchema = z
  .object({
    lowercase: z.boolean().default(true),
    /** int = document count, float in (0,1) = fraction of documents */
    minDf: z.number().positive().default(1),
    maxDf: z.number().positive().default(1.0),
    ngramRange: z.tuple([positiveInt, positiveInt]).default([1, 1]),
    ...wordFilterKeys(false),
  })
  .strict();

/**
 * The service's topic words: `vectorizer` with these keys replaced. Readable by default (English
 * stop words, no URLs, @handles or numbers); keys not set here (minDf, ...) come from `vectorizer`.
 * `fit` keeps `vectorizer` as it is (BERTopic's defaults).
 */
export const streamVectorizerSchema = vectorizerSchema.partial().extend(wordFilterKeys(true)).strict();

export const ctfidfSchema = z
  .object({
    bm25Weighting: z.boolean().default(false),
    reduceFrequentWords: z.boolean().default(false),
    topNWords: positiveInt.max(100).default(10),
  })
  .strict();

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

export const streamSchema = z
  .object({
    window: z
      .object({
        /** At most this many documents in the sliding window. */
        maxDocs: positiveInt.default(10_000),
        /** Documents older than this (by their ts, or arrival) leave the window; 0 = no limit. */
        maxAgeSeconds: z.number().min(0).default(0),
        /** The oldest documents leave once texts and vectors together exceed this many bytes. */
        maxBytes: positiveInt.default(512 * 1024 * 1024),
      })
      .strict()
      .default({}),
    refit: z
      .object({
        /** Refit after this many new documents... */
        everyDocs: positiveInt.default(1_000),
        /** ...or this many seconds with new documents, whichever comes first (0 = never by time). */
        everySeconds: z.number().min(0).default(300),
        /** No refit before the window holds this many documents. */
        minDocs: positiveInt.default(200),
        /** UMAP epochs in streaming refits (200 loses no measurable quality and costs 2.5x less CPU than 500). */
        umapEpochs: z.number().int().min(10).default(200),
        /** A refit that takes longer is abandoned (its worker terminated); the previous topics stay. */
        timeoutSeconds: z.number().positive().default(900),
      })
      .strict()
      .default({}),
    assign: z
      .object({
        k: positiveInt.max(200).default(15),
        /** Below this mean cosine similarity of the neighbours, a post is an outlier (-1). */
        minSimilarity: z.number().min(-1).max(1).default(0.35),
        /** The best topic needs at least this share of the neighbours' similarity weight (outlier neighbours included), else -1. */
        minShare: z.number().min(0).max(1).default(0.2),
      })
      .strict()
      .default({}),
    matching: z
      .object({
        /** Minimal Jaccard overlap of shared documents for a new cluster to keep an old id. */
        minJaccard: z.number().min(0).max(1).default(0.1),
        /** Fallback when few documents are shared: minimal centroid cosine similarity. */
        minCentroidSimilarity: z.number().min(-1).max(1).default(0.8),
        /** Share of an old topic's documents that must land in another topic for "merged". */
        mergeShare: z.number().min(0).max(1).default(0.5),
      })
      .strict()
      .default({}),
    /** Each topic's past, kept in the registry (snapshots), served at /api/topics/:id/history and published on kafka.topics.history. */
    history: z
      .object({
        /** Size-and-words points kept per topic (one per refit); the oldest are dropped beyond this. */
        points: positiveInt.default(500),
        /** Lifecycle events kept per topic (its lineage). */
        events: positiveInt.default(100),
      })
      .strict()
      .default({}),
    /**
     * Refits with memory (docs/design.md, "Topics that hold still"): a document keeps its topic
     * across refits unless it truly moved. Held in memory only: after a restart the first refit is
     * a cold start.
     */
    memory: z
      .object({
        /** Start each refit's UMAP from the previous refit's layout (fast-umap only); new documents start beside their neighbours. */
        warmStart: z.boolean().default(true),
        /** UMAP epochs of a warm-started refit (a cold start runs stream.refit.umapEpochs). */
        warmEpochs: z.number().int().min(10).default(100),
        /** Initial SGD learning rate of a warm-started refit (a cold start: 1, as umap-learn). */
        warmLearningRate: z.number().positive().max(1).default(0.5),
        /** A document keeps its topic while it stays close enough to it (src/stream/identity/hysteresis.ts). */
        hysteresis: z.boolean().default(true),
        /** ...close enough by its neighbours: at least this share of its k nearest neighbours are in the topic... */
        minNeighbourShare: z.number().min(0).max(1).default(0.3),
        /** ...or by the centroid: cosine similarity to the topic's centroid at least this, and no less than to its new topic's. */
        minCentroidSimilarity: z.number().min(-1).max(1).default(0.5),
      })
      .strict()
      .default({}),
    /** Retired (died/merged) topics kept in the registry and the API; the oldest are pruned beyond this. */
    retiredTopicsKept: z.number().int().min(0).default(1000),
    /** A record whose batch fails this many times in a row (same error) goes to the DLQ with that error instead of being retried again. */
    maxRecordAttempts: positiveInt.default(3),
    /** /healthz fails when no batch completed for this long while input is waiting (lag > 0): the process is stuck. */
    stuckAfterSeconds: z.number().positive().default(300),
    /** SIGTERM: stop within this many seconds whatever is running (a hung refit, an absent broker); then snapshot and exit. */
    stopTimeoutSeconds: z.number().positive().default(15),
    /** Decayed counts of earlier windows added to c-TF-IDF counts (0 = window only). */
    decay: z.number().min(0).max(1).default(0.0),
    /** At most this many records per batch handed to the processor (Kafka source and file replay). */
    batchMaxDocs: positiveInt.default(64),
    /** Replay speed of `run --input`: documents per second; 0 = as fast as possible. */
    replayRate: z.number().min(0).default(0),
    /**
     * standalone: refits its window and publishes each model to kafka.topics.models (one instance,
     * or the refit owner of a group); follower: never refits, assigns by the nearest topic centroid
     * of the latest published model (the other instances of the group).
     */
    role: z.enum(['standalone', 'follower']).default('standalone'),
    /** The topic words of refits (streamVectorizerSchema). */
    vectorizer: streamVectorizerSchema.default({}),
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
