/** The `stream` settings: window, refits, assignment, identity, history, shutdown (part of schema.ts). */
import { z } from 'zod';
import { positiveInt } from './common.js';
import { streamVectorizerSchema } from './vectorizerSchema.js';

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
        /** UMAP epochs in streaming refits of fewer than largeWindowDocs documents (200 loses no measurable quality and costs 2.5x less CPU than 500). */
        umapEpochs: z.number().int().min(10).default(200),
        /**
         * From this many documents a refit is "large": largeWindowEpochs UMAP epochs, and with
         * umapThreads auto its layout on every core (docs/benchmarks.md, "Performance": at 5k, 10k and
         * 20k tweets 150 epochs on 2 threads differ from 200 on 1 no more than two seeds do).
         */
        largeWindowDocs: positiveInt.default(5000),
        /** UMAP epochs of a large refit (see largeWindowDocs). */
        largeWindowEpochs: z.number().int().min(10).default(150),
        /** A refit that takes longer is abandoned (its worker terminated); the previous topics stay. */
        timeoutSeconds: z.number().positive().default(900),
        /**
         * Nice value of the refit worker's thread (Linux; 0 = as the rest): refits take the CPU
         * that ingestion leaves, so assignment latency holds while a refit runs.
         */
        niceness: z.number().int().min(0).max(19).default(10),
        /**
         * Threads of fast-umap's layout epochs in refits (umap.threads for `fit`; helpers run at
         * `niceness` too). auto: one per core for a large refit (largeWindowDocs), 1 below, so small
         * refits stay reproducible by `fit`. 2 threads make the layout of a 20k refit 1.6x faster when
         * a core is free (same quality), but not reproducible (src/reduce/README.md).
         */
        umapThreads: z.union([z.literal('auto'), z.number().int().min(1).max(64)]).default('auto'),
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
        /**
         * A post the vote makes an outlier (-1) goes to its nearest topic by centroid cosine
         * similarity when that similarity is at least minSimilarity (BERTopic's reduce_outliers,
         * "embeddings", per post). Off by default (docs/design.md, "Outlier reduction at arrival").
         */
        reduceOutliers: z
          .object({
            enabled: z.boolean().default(false),
            minSimilarity: z.number().min(-1).max(1).default(0.5),
          })
          .strict()
          .default({}),
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
        /**
         * Start each refit's UMAP from the previous refit's layout (fast-umap only); new documents start
         * beside their neighbours. Off by default: measured, it cuts UMAP time ~3x but keeps no more
         * documents in their topics, and it holds a subject that changes vocabulary inside its parent
         * (docs/benchmarks.md, "Topic persistence across refits").
         */
        warmStart: z.boolean().default(false),
        /** UMAP epochs of a warm-started refit (a cold start runs stream.refit.umapEpochs). */
        warmEpochs: z.number().int().min(10).default(50),
        /** Initial SGD learning rate of a warm-started refit (a cold start: 1, as umap-learn). */
        warmLearningRate: z.number().positive().max(1).default(0.1),
        /** A document keeps its topic while it stays close enough to it (src/stream/identity/hysteresis.ts). */
        hysteresis: z.boolean().default(true),
        /** ...close enough by its neighbours: at least this share of its k nearest neighbours are in the topic... */
        minNeighbourShare: z.number().min(0).max(1).default(0.2),
        /** ...or by the centroid: cosine similarity to the topic's centroid at least this... */
        minCentroidSimilarity: z.number().min(-1).max(1).default(0.25),
        /** ...and no less than to its new topic's centroid minus this (it leaves only for a clearly closer topic). */
        switchMargin: z.number().min(0).max(2).default(0.1),
        /** A document the refit drew into a new (born or split) topic stays in its old one only when at least this share of its neighbours are still there (1: never). */
        minNeighbourShareAgainstNew: z.number().min(0).max(1).default(0.3),
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
    /**
     * At most this many records per batch handed to the processor (Kafka source and file replay).
     * A batch is what is waiting, up to this: small when paced, large under a backlog, where 256
     * instead of 64 gave 1.15-1.2x the throughput through Kafka (docs/benchmarks.md, "Performance").
     */
    batchMaxDocs: positiveInt.default(256),
    /** Replay speed of `run --input`: documents per second; 0 = as fast as possible. */
    replayRate: z.number().min(0).default(0),
    /**
     * standalone: refits its window and publishes each model to kafka.topics.models (one instance,
     * or the refit owner of a group); follower: never refits, assigns by the nearest topic centroid
     * of the latest published model (the other instances of the group); elected: every instance of
     * the group publishes the embeddings of its posts to kafka.topics.embeddings and fills its
     * window from all of them; one instance, elected through kafka.topics.coordination, refits
     * (the owner), the others follow, and another takes over when it goes (docs/scaling.md).
     */
    role: z.enum(['standalone', 'follower', 'elected']).default('standalone'),
    /** role elected (docs/scaling.md) */
    scaleOut: z
      .object({
        /** characters of each post's text sent with its embedding (what c-TF-IDF reads at the owner) */
        textChars: positiveInt.default(2000),
        /**
         * Share of the posts whose embeddings go to the shared window (chosen by a hash of the id, the
         * same on every instance); below 1 at high rates, where every instance reading every post
         * costs more than embedding its own (docs/scaling.md). Every post is still assigned.
         */
        windowSample: z.number().gt(0).max(1).default(1),
        /** an owner that stops heartbeating loses the election after this (Kafka session timeout) */
        sessionTimeoutSeconds: z.number().min(6).max(300).default(10),
      })
      .strict()
      .default({}),
    /** The topic words of refits (streamVectorizerSchema). */
    vectorizer: streamVectorizerSchema.default({}),
    /**
     * Emerging and fading topics (docs/design.md, "Emerging topics"): each topic's share of the
     * newest documents against its share of a longer past, recomputed after every batch, and
     * dense groups of new documents far from every topic between refits. Defaults measured in
     * docs/benchmarks.md ("Emerging topics").
     */
    trend: z
      .object({
        enabled: z.boolean().default(true),
        /** Half-life, in documents, of a topic's recent popularity (its share of the newest documents)... */
        fastHalfLifeDocs: positiveInt.default(150),
        /** ...and of its baseline (its share of the longer past); growth = recent share / baseline share. */
        slowHalfLifeDocs: positiveInt.default(2_000),
        /** Below this many recent documents (decayed) a topic is noise, whatever its growth. */
        minDocs: z.number().positive().default(10),
        /** Growth from which a topic with at least minDocs recent documents is a weak signal... */
        weakGrowth: z.number().gt(1).default(4),
        /** ...and from which, with at least strongMinDocs recent documents, a strong signal. */
        strongGrowth: z.number().gt(1).default(6),
        strongMinDocs: z.number().positive().default(40),
        /** A topic whose growth falls to this (with at least minDocs documents in its baseline) is fading. */
        fadingGrowth: z.number().positive().lt(1).default(0.3),
        forming: z
          .object({
            /**
             * A new document is a candidate for a forming topic when its nearest window documents
             * older than horizonDocs are all below this cosine similarity: nothing seen before is about it.
             */
            novelSimilarity: z.number().min(-1).max(1).default(0.45),
            /** A forming topic is what gathers within the newest this many documents (older candidates leave; a document is new against those before them). */
            horizonDocs: positiveInt.default(300),
            /** Two candidates are neighbours at this cosine similarity or more... */
            similarity: z.number().min(-1).max(1).default(0.35),
            /** ...a candidate with this many neighbours is dense (a core of the group)... */
            minNeighbours: positiveInt.default(3),
            /** ...and connected dense candidates with their neighbours, at least this many, are a forming topic (an emerging event, weak signal). */
            minDocs: positiveInt.default(20),
            /** ...that takes at least this share of the documents since its first one: a group that gathers slowly is no burst. */
            minShare: z.number().min(0).max(1).default(0.15),
            /** A forming topic this large and taking at least strongShare of the documents since its first one is a strong signal (and starts a refit at once with refitOnStrong). */
            refitDocs: positiveInt.default(40),
            strongShare: z.number().min(0).max(1).default(0.25),
            /** Candidates kept (the newest; those the last refit saw are dropped when it is applied). */
            maxCandidates: positiveInt.max(20_000).default(2_000),
          })
          .strict()
          .default({}),
        /** A strong signal (a topic, or a forming topic of forming.refitDocs) starts a refit at once: the new subject gets its own topic without waiting for the next one. */
        refitOnStrong: z.boolean().default(true),
        /** Sample documents in an emerging event. */
        sampleDocs: z.number().int().min(0).max(50).default(5),
      })
      .strict()
      .default({}),
  })
  .strict();
