/**
 * One refit, start to end: the heavy stages in the refit worker (k-NN graph, UMAP, HDBSCAN, then
 * c-TF-IDF on the matched ids) while ingestion goes on; then, between two batches, the plan (pure),
 * its publication, and — only once every message is durable — its application.
 */
import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import type { Mutex } from '../../core/mutex.js';
import type { Sink } from '../types.js';
import type { WindowStore } from '../window/windowStore.js';
import type { WindowIndex } from '../assign/windowIndex.js';
import type { LiveModel } from '../model/liveModel.js';
import type { Embedder } from '../../core/types.js';
import type { ClusterJobResult, DescribeJobResult, Refitter } from './types.js';
import { addNamedTopics, guidanceVectors, namedTopicIds, withoutNamed } from './namedTopics.js';
import { representRefit, wordVectorsOf } from './refitRepresentation.js';
import type { RefitSummary } from './summary.js';
import { matchTopics } from '../identity/matchTopics.js';
import { centroidsOf } from './centroids.js';
import { applyDocTopics, planRefit, type RefitPlan, type RefitPlanInput } from './planRefit.js';
import { fitsOutput } from '../outputLimits.js';
import { documentPersistence } from '../identity/persistence.js';
import { holdTopics, rememberLayout, warmStartFor } from './refitMemory.js';

export interface RefitCycleDeps {
  config: Config;
  refitter: Refitter;
  sink: Sink;
  log: Logger;
  modelId: string;
  window: WindowStore;
  index: WindowIndex;
  model: LiveModel;
  /** shared with batch handling: plan, publish and apply run between two batches */
  lock: Mutex;
  /** stopping, or no longer the refit owner (role elected): a refit in flight is dropped before it publishes */
  closed(): boolean;
  /** embeds candidate words for representation.method mmr / keybert (the service's embedder); without it the words stay c-TF-IDF's */
  wordEmbedder?: Pick<Embedder, 'embed'>;
}

/** A refit dropped before publishing: the service is stopping, or this instance stopped being the refit owner (not a failure). */
export class RefitAbandoned extends Error {
  constructor(version: number) {
    super(`refit v${version} abandoned before publishing: stopping, or no longer the refit owner`);
  }
}

export async function runRefit(d: RefitCycleDeps): Promise<{ summary: RefitSummary; plan: RefitPlan }> {
  const t0 = performance.now();
  const version = d.model.nextVersion();
  const { input, prev, mainSeconds } = await computeRefit(d, version);
  return d.lock.run(async () => {
    const tLock = performance.now();
    // stopping, the owner changed since the refit started, or a newer model arrived meanwhile (adopted from another owner)
    if (d.closed() || d.model.version >= version) throw new RefitAbandoned(version);
    const plan = planRefit({ ...input, now: new Date(), window: d.window, registry: d.model.registry, centroids: d.model.centroids, history: d.config.stream.history });
    const docs = input.view.docs;
    const persistence = documentPersistence(prev, input.topicIds, (i) => d.window.get(docs[i]!.id)?.seq === docs[i]!.seq);
    d.model.spend(plan);
    await publish(d, plan);
    applyDocTopics(d.window, plan.docTopics);
    d.model.apply(plan);
    rememberLayout(d.config, d.window, input.view, version, input.clustered);
    // apply: the time batches waited for this refit (plan, publish, apply hold the lock)
    const seconds = { ...input.clustered.seconds, ctfidf: input.described.seconds, apply: (performance.now() - tLock) / 1000, main: mainSeconds, total: (performance.now() - t0) / 1000 };
    return { summary: { ...plan.summary, seconds, persistence }, plan };
  });
}

type ComputedRefit = Omit<RefitPlanInput, 'now' | 'window' | 'registry' | 'centroids' | 'history'>;

/** The worker's part: clusters, their matched ids, their words; and each document's topic before. */
async function computeRefit(d: RefitCycleDeps, version: number): Promise<{ input: ComputedRefit; prev: Int32Array; mainSeconds: number }> {
  const cfg = d.config;
  const view = d.window.view();
  const n = view.docs.length;
  const dim = d.window.dim;
  // a warm start from the last applied refit's layout (stream.memory), if there is one
  const warm = warmStartFor(cfg, d.window, view, d.model.version);
  d.log.info({ version, windowDocs: n, warmStart: warm ? warm.known.reduce((s, k) => s + k, 0) : 0 }, 'refit started');
  const guidance = d.wordEmbedder ? await guidanceVectors(cfg, d.wordEmbedder) : undefined;
  const raw = await d.refitter.cluster({ embeddings: view.embeddings, n, dim, seed: cfg.seed + version, ...(warm ? { warm } : {}), ...(guidance ? { guidance } : {}) });
  const tMain = performance.now();
  // match new clusters to the topics the documents have now (only refits change them); named topics keep their own ids (namedTopics.ts)
  const prev = Int32Array.from(view.docs, (doc) => doc.topic);
  const named = namedTopicIds(d.model.registry);
  const rawCentroids = centroidsOf(raw.labels, view.embeddings, dim);
  const firstNewId = d.model.registry.nextId;
  const old = withoutNamed({ prev, activeOld: d.model.registry.active().map((t) => t.id), oldCentroids: d.model.centroids }, named);
  const clusterMatch = matchTopics({ ...old, next: raw.labels, nextId: firstNewId, newCentroids: rawCentroids }, cfg.stream.matching);
  const rawIds = Int32Array.from(raw.labels, (l) => (l < 0 ? -1 : clusterMatch.idOf.get(l)!));
  // hysteresis: documents that stay close enough to their topic keep it (stream.memory)
  const held = holdTopics(cfg, { view, dim, prev: old.prev, clustered: raw, match: clusterMatch, topicIds: rawIds, newCentroids: rawCentroids, firstNewId });
  if (held) d.log.debug({ version, heldFromOutliers: held.heldFromOutliers, heldFromOthers: held.heldFromOthers }, 'refit hysteresis');
  const kept = held ?? { clustered: raw, topicIds: rawIds, newCentroids: rawCentroids };
  const withNames = raw.named
    ? addNamedTopics({ registry: d.model.registry, names: cfg.topics.zeroShot.names, named: raw.named, match: clusterMatch, labels: kept.clustered.labels, topicIds: kept.topicIds })
    : undefined;
  const match = withNames?.match ?? clusterMatch;
  const topicIds = withNames?.topicIds ?? kept.topicIds;
  const clustered = withNames ? { ...kept.clustered, labels: withNames.labels, probabilities: namedProbabilities(raw, kept.clustered) } : kept.clustered;
  const newCentroids = withNames ? centroidsOf(withNames.labels, view.embeddings, dim) : kept.newCentroids;
  const mainSeconds = (performance.now() - tMain) / 1000; // matching and hysteresis, on this thread
  // c-TF-IDF on the window, with the previous window's counts decayed in
  const prior = cfg.stream.decay > 0 ? d.model.prior : undefined;
  const ctfidf = await d.refitter.describe({ texts: view.docs.map((doc) => doc.text), topics: topicIds, prior, decay: cfg.stream.decay, seed: cfg.seed });
  const described = await representWords(d, ctfidf, view.embeddings, dim);
  const input: ComputedRefit = {
    version, view, clustered, match, topicIds, newCentroids, described, modelId: d.modelId, topNWords: cfg.ctfidf.topNWords, names: withNames?.names,
    assignerWith: (topicOf) => d.index.assignerWith(topicOf),
  };
  return { input, prev, mainSeconds };
}

/** A named document's probability is its similarity with the name (hysteresis may have held it elsewhere before the name took it). */
function namedProbabilities(raw: ClusterJobResult, kept: ClusterJobResult): Float32Array {
  const p = Float32Array.from(kept.probabilities);
  raw.named!.forEach((j, i) => {
    if (j >= 0) p[i] = raw.probabilities[i]!;
  });
  return p;
}

/** The refit's words by representation.method, embedded on this thread (refitRepresentation.ts). */
async function representWords(d: RefitCycleDeps, described: DescribeJobResult, embeddings: Float32Array, dim: number): Promise<DescribeJobResult> {
  if (d.config.representation.method === 'ctfidf') return described;
  if (!d.wordEmbedder) {
    d.log.warn({ representation: d.config.representation.method }, 'no embedder for topic words: the refit keeps the c-TF-IDF words');
    return described;
  }
  const t0 = performance.now();
  const out = await representRefit(d.config, described, { embeddings, dim }, wordVectorsOf(d.wordEmbedder));
  return { ...out, seconds: described.seconds + (performance.now() - t0) / 1000 };
}

/** Publishes a plan's messages; resolves once all are durable. */
async function publish(d: RefitCycleDeps, plan: RefitPlan): Promise<void> {
  const { models, updates, events, assignments, history } = plan.messages;
  const limit = d.config.kafka.maxOutputBytes;
  const sendModels = models.filter((msg) => fitsOutput(msg, limit));
  if (sendModels.length < models.length) d.log.error({ version: plan.version, limit }, 'the model message is larger than kafka.maxOutputBytes; followers keep the previous model');
  await Promise.all([
    sendModels.length ? d.sink.send('models', sendModels) : undefined,
    d.sink.send('updates', updates),
    events.length ? d.sink.send('events', events) : undefined,
    assignments.length ? d.sink.send('assignments', assignments) : undefined,
    history.length ? d.sink.send('history', history) : undefined,
  ]);
}
