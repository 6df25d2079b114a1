/**
 * `topicstream run --model DIR`: a fitted model (the snapshot `topicstream fit` writes under DIR/model)
 * as the service's first window, so posts are assigned to its topics from the first batch instead of
 * waiting for a first refit. The documents (the newest stream.window.maxDocs, oldest first by ts),
 * their vectors and topics fill the window; the registry gets the fit's topic ids and words; the
 * centroids are the topics' mean vectors (as a refit computes them). Model version 0: the first refit
 * publishes version 1 and matches its clusters against the fit's topics, so their ids carry on.
 * A fit label that is BERTopic's automatic one ("3_border_wall_...") becomes the service's automatic
 * label of the same words; a label the user gave the fit is kept as the topic's user label, and one
 * that is a zero-shot name of the service's config makes it that name's topic. The
 * fit's topics are published on topic-updates (version 0) at start, so consumers can name the topic
 * ids of the first assignments.
 */
import type { Logger } from 'pino';
import type { ModelSnapshot } from '../model/snapshot.js';
import type { Topic } from '../model/topic.js';
import { topicLabel } from '../represent/topicLabel.js';
import { InputError } from '../io/lines.js';
import { centroidsOf } from '../stream/refit/centroids.js';
import { processorState, type ProcessorSnapshot } from '../stream/snapshotTypes.js';
import type { StreamProcessor } from '../stream/processor.js';
import type { Sink } from '../stream/types.js';
import { topicStateMessage, windowInfo } from '../stream/messages.js';
import type { TopicState } from '../stream/topicRegistry.js';
import type { WindowDoc } from '../stream/window/windowStore.js';

/** Refuses a fit whose vectors this service cannot compare its posts with (another embedding model or dimension). */
export function checkFittedModel(fit: ModelSnapshot, dir: string, service: { dim: number; modelId: string }): void {
  const dim = fit.embeddings.cols;
  if (dim === service.dim && fit.modelId === service.modelId) return;
  throw new InputError(
    `--model ${dir} was fitted on embeddings of ${fit.modelId} (${dim}-d), but this service embeds with ${service.modelId} (${service.dim}-d): ` +
      'its documents and new posts would not be comparable. Run the service with the fit\'s embedding model (embedding.model, embedding.dtype), or fit again with the service\'s',
  );
}

/** The fit's documents in window order: at most `maxDocs`, the newest, oldest first (input order without ts), each id once. */
function windowOrder(fit: ModelSnapshot, maxDocs: number): number[] {
  const last = new Map<string, number>();
  fit.docs.forEach((d, i) => last.set(d.id, i));
  const order = [...last.values()].sort((a, b) => (fit.docs[a]!.ts ?? 0) - (fit.docs[b]!.ts ?? 0) || a - b);
  return order.slice(Math.max(0, order.length - maxDocs));
}

/** names: the service's zero-shot names (a fit topic labelled with one is that name's topic in the service) */
function topicState(t: Topic, size: number, names: ReadonlySet<string> = new Set()): TopicState {
  const given = t.id !== -1 && t.label !== topicLabel(t.id, t.words);
  const custom = given ? (names.has(t.label) ? { name: t.label } : { customLabel: t.label }) : {};
  return {
    id: t.id,
    status: 'active',
    words: t.words,
    label: t.label,
    ...custom,
    size,
    representativeDocIds: t.representativeDocIds,
    representativeDocs: t.representativeDocs,
    bornVersion: 0,
    parent: null,
    version: 0,
    recent: 0,
  };
}

/** The processor state a fitted model starts the service with (restored like a state snapshot, without offsets). */
export function fittedWindow(fit: ModelSnapshot, maxDocs: number, zeroShotNames: readonly string[] = [], now = Date.now()): ProcessorSnapshot {
  const dim = fit.embeddings.cols;
  const order = windowOrder(fit, maxDocs);
  const vectors = new Float32Array(order.length * dim);
  const docs: WindowDoc[] = order.map((i, seq) => {
    const d = fit.docs[i]!;
    vectors.set(fit.embeddings.data.subarray(i * dim, (i + 1) * dim), seq * dim);
    return { seq, id: d.id, text: d.text, ts: d.ts ?? now, topic: fit.labels[i]!, probability: fit.probabilities[i]!, partition: -1, offset: '-1' };
  });
  const labels = Int32Array.from(docs, (d) => d.topic);
  const sizes = new Map<number, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  const names = new Set(zeroShotNames);
  const topics = fit.topics.map((t) => topicState(t, sizes.get(t.id) ?? 0, names));
  if (!topics.some((t) => t.id === -1)) topics.push(topicState({ id: -1, size: 0, words: [], label: '-1', representativeDocIds: [], representativeDocs: [] }, sizes.get(-1) ?? 0));
  const centroids = centroidsOf(labels, vectors, dim);
  return {
    docs,
    vectors,
    dim,
    topics,
    state: processorState({ modelVersion: 0, nextTopicId: Math.max(-1, ...topics.map((t) => t.id)) + 1, centroids }),
  };
}

/** What `run --model` hands the service: where the model came from, and its first window. */
export interface InitialModel {
  from: string;
  snapshot: () => ProcessorSnapshot;
}

/**
 * Restores the processor from the fitted model and publishes its topics (and the outliers) on
 * topic-updates at version 0. A failed publish is logged, not fatal: the first refit publishes them.
 */
export async function startFromFit(p: StreamProcessor, sink: Sink, m: InitialModel, topNWords: number, log: Logger): Promise<void> {
  p.restore(m.snapshot());
  const context = { window: windowInfo(p.window.bounds(), p.window.size), modelVersion: p.modelVersion, topNWords, at: new Date().toISOString() };
  const topics = p.registry.listed(false);
  try {
    await sink.send('updates', topics.map((t) => topicStateMessage(t, context)));
  } catch (e) {
    log.warn({ err: e }, 'could not publish the fitted topics on topic-updates; the first refit publishes them');
  }
  log.info({ model: m.from, docs: p.window.size, topics: p.registry.active().length }, 'started from a fitted model: its documents and topics are the first window');
}
