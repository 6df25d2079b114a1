/**
 * A refit, planned: from the window as the refit saw it, the new clusters, their matched ids and
 * their words, everything the refit will change — document topics, the topic registry, centroids —
 * and every message it will publish. Nothing here changes live state: the processor publishes the
 * plan's messages and applies the plan only once they are durable, so a failed publish leaves the
 * previous model in place (docs/design.md, "A refit: plan, publish, apply").
 */
import type { HistoryLimits, TopicRegistry, TopicState } from '../topicRegistry.js';
import type { WindowDoc, WindowView, WindowStore } from '../window/windowStore.js';
import type { MatchResult } from '../identity/matchTopics.js';
import type { Assignment } from '../assign/knnAssigner.js';
import type { OutMessage } from '../types.js';
import type { ClusterJobResult, DescribeJobResult, TopicTermCounts } from './types.js';
import type { RefitSummary } from './summary.js';
import { assignmentMessage, topicEventMessage, topicHistoryMessage, topicStateMessage, windowInfo, type TopicEvent } from '../messages.js';
import { withoutVanished } from '../identity/vanished.js';
import { encodeCentroid, modelMessage, type PublishedModel } from '../model/modelMessage.js';

export interface RefitPlanInput {
  version: number;
  now: Date;
  view: WindowView;
  window: WindowStore;
  registry: TopicRegistry;
  centroids: ReadonlyMap<number, Float32Array>;
  clustered: ClusterJobResult;
  match: MatchResult;
  /** per view document: its matched topic id (-1 outlier) */
  topicIds: Int32Array;
  /** cluster label → L2-normalised centroid */
  newCentroids: Map<number, Float32Array>;
  described: DescribeJobResult;
  /** k-NN vote against the window with the given topic lookup (for documents that arrived during the refit) */
  assignerWith: (topicOf: (seq: number) => number | undefined) => (vec: Float32Array) => Assignment;
  modelId: string;
  topNWords: number;
  /** how much of each topic's past the registry keeps */
  history: HistoryLimits;
  /** zero-shot topics of this refit: topic id → name (src/stream/refit/namedTopics.ts) */
  names?: ReadonlyMap<number, string>;
}

export interface RefitPlan {
  version: number;
  /** new topic and probability per window document (by seq) that the refit touched */
  docTopics: Map<number, { topic: number; probability: number }>;
  registry: TopicRegistry;
  centroids: Map<number, Float32Array>;
  prior: TopicTermCounts;
  events: TopicEvent[];
  messages: { models: OutMessage[]; updates: OutMessage[]; events: OutMessage[]; assignments: OutMessage[]; history: OutMessage[] };
  summary: Omit<RefitSummary, 'seconds' | 'persistence'>;
}

export function planRefit(input: RefitPlanInput): RefitPlan {
  const { version, now, view, window } = input;
  const at = now.toISOString();
  const registry = input.registry.clone();
  const docTopics = new Map<number, { topic: number; probability: number }>();
  const assignments: OutMessage[] = [];
  // documents still in the window take their new topic
  view.docs.forEach((d, i) => {
    const live = window.get(d.id);
    if (!live || live.seq !== d.seq) return;
    const t = input.topicIds[i]!;
    const p = input.clustered.probabilities[i]!;
    docTopics.set(d.seq, { topic: t, probability: p });
    if (live.topic !== t) assignments.push(assignmentMessage(d.id, t, p, version, 'refit', now));
  });
  const match = withoutVanished(input.match, vanishedLabels(input, docTopics));
  registry.nextId = match.nextId;
  for (const e of match.events) {
    if (e.type === 'born' || e.type === 'split') registry.ensure(e.topicId, version, e.type === 'split' ? e.related[0] ?? null : null);
    if (e.type === 'died' || e.type === 'merged') registry.retire(e.topicId, version);
  }
  registry.ensure(-1, version);
  for (const [id, name] of input.names ?? []) registry.setName(id, name);
  const centroidById = new Map<number, Float32Array>();
  // clusters with no document left in the window are no topics (vanishedLabels)
  for (const [label, c] of input.newCentroids) if (match.idOf.has(label)) centroidById.set(match.idOf.get(label)!, c);
  reassignLateArrivals(input, new Set(centroidById.keys()), docTopics, assignments);
  const centroids = new Map(input.centroids);
  for (const [id, c] of centroidById) centroids.set(id, c);
  for (const e of match.events) if (e.type === 'died' || e.type === 'merged') centroids.delete(e.topicId);
  const sizes = windowSizes(window, docTopics);
  const activeIds = [-1, ...centroidById.keys()];
  describeTopics(input, registry, activeIds, sizes);
  const events = namedEvents(match, registry, version, at);
  const updates = topicUpdates(input, match, registry, activeIds, at);
  // the topics' past: a point for every topic the refit touched (retired ones end at size 0)
  const touched = [...activeIds, ...match.events.filter((e) => e.type === 'died' || e.type === 'merged').map((e) => e.topicId)];
  registry.recordRefit(version, at, touched, events, input.history);
  const history = touched.map((id) => registry.get(id)!).map((t) => topicHistoryMessage(t.id, t.label, t.history!.at(-1)!));
  return {
    version,
    docTopics,
    registry,
    centroids,
    prior: input.described.counts,
    events,
    messages: { models: [modelMessage(publishedModel(input, registry, centroidById, at))], updates, events: events.map(topicEventMessage), assignments, history },
    summary: {
      modelVersion: version,
      windowDocs: view.docs.length,
      lastSeq: lastSeqOf(view),
      topics: activeIds.length - 1,
      outliers: sizes.get(-1) ?? 0,
      events,
      changed: assignments.length,
      stability: match.persisted.length ? match.persisted.reduce((s, p) => s + p.jaccard, 0) / match.persisted.length : Number.NaN,
    },
  };
}

const lastSeqOf = (view: WindowView): number => view.docs.at(-1)?.seq ?? -1;

/**
 * Clusters with no document left in the window: no view document of theirs is still there, and no
 * later arrival was assigned to their topic (src/stream/identity/vanished.ts).
 */
function vanishedLabels(input: RefitPlanInput, docTopics: RefitPlan['docTopics']): Set<number> {
  const live = windowSizes(input.window, docTopics);
  return new Set([...input.newCentroids.keys()].filter((label) => !live.has(input.match.idOf.get(label)!)));
}

/**
 * Documents that arrived while the refit ran were assigned against the old topics; those whose topic
 * just died or merged are assigned again against the new ones. Only documents in a topic of the new
 * model (or outliers) vote: a burst of late arrivals in a retired topic would otherwise vote each
 * other back into it.
 */
function reassignLateArrivals(input: RefitPlanInput, active: ReadonlySet<number>, docTopics: RefitPlan['docTopics'], out: OutMessage[]): void {
  const { view, window, version, now } = input;
  const lastSeq = lastSeqOf(view);
  const live = (t: number | undefined): number | undefined => (t === -1 || (t !== undefined && active.has(t)) ? t : undefined);
  const assign = input.assignerWith((seq) => live(docTopics.get(seq)?.topic ?? window.docOfSeq(seq)?.topic));
  for (const d of window.iterate()) {
    if (d.seq <= lastSeq || live(d.topic) !== undefined) continue;
    const a = assign(window.vectorOfSeq(d.seq)!);
    docTopics.set(d.seq, { topic: a.topic, probability: a.probability });
    out.push(assignmentMessage(d.id, a.topic, a.probability, version, 'refit', now));
  }
}

function windowSizes(window: WindowStore, docTopics: RefitPlan['docTopics']): Map<number, number> {
  const sizes = new Map<number, number>();
  for (const d of window.iterate()) {
    const t = docTopics.get(d.seq)?.topic ?? d.topic;
    sizes.set(t, (sizes.get(t) ?? 0) + 1);
  }
  return sizes;
}

function describeTopics(input: RefitPlanInput, registry: TopicRegistry, activeIds: number[], sizes: Map<number, number>): void {
  const { described, view, version } = input;
  for (const id of activeIds) {
    const t = registry.ensure(id, version);
    t.status = 'active';
    t.version = version;
    t.size = sizes.get(id) ?? 0;
    t.recent = 0;
    registry.setWords(id, described.words[String(id)] ?? []);
    const reps = described.representatives[String(id)] ?? [];
    t.representativeDocIds = reps.map((i) => view.docs[i]!.id);
    t.representativeDocs = reps.map((i) => view.docs[i]!.text.slice(0, 500));
  }
}

function topicUpdates(input: RefitPlanInput, match: MatchResult, registry: TopicRegistry, activeIds: number[], at: string): OutMessage[] {
  const context = { window: windowInfo(input.window.bounds(), input.window.size), modelVersion: input.version, topNWords: input.topNWords, at };
  const update = (t: TopicState): OutMessage => topicStateMessage(t, context);
  const out = activeIds.map((id) => update(registry.get(id)!));
  for (const e of match.events) {
    const t = e.type === 'died' || e.type === 'merged' ? registry.get(e.topicId) : undefined;
    if (t) out.push(update(t));
  }
  return out;
}

/** The refit's lifecycle events, each naming its topic and the related ones by label. */
function namedEvents(match: MatchResult, registry: TopicRegistry, version: number, at: string): TopicEvent[] {
  const labelOf = (id: number): string => registry.get(id)?.label ?? String(id);
  return match.events.map((e) => ({
    type: e.type,
    topic_id: e.topicId,
    related: e.related,
    model_version: version,
    at,
    details: e.details,
    label: labelOf(e.topicId),
    related_labels: e.related.map(labelOf),
  }));
}

function publishedModel(input: RefitPlanInput, registry: TopicRegistry, centroidById: Map<number, Float32Array>, at: string): PublishedModel {
  return {
    model_version: input.version,
    model_id: input.modelId,
    dim: input.window.dim,
    at,
    topics: [...centroidById].map(([id, c]) => {
      const t = registry.get(id)!;
      return { id, label: t.label, size: t.size, words: t.words.slice(0, input.topNWords), parent: t.parent, born_version: t.bornVersion, ...(t.name !== undefined ? { name: t.name } : {}), centroid: encodeCentroid(c) };
    }),
  };
}

/** Sets the plan's topics on the window documents it touched that are still there. */
export function applyDocTopics(window: WindowStore, docTopics: RefitPlan['docTopics']): void {
  for (const [seq, a] of docTopics) {
    const d: WindowDoc | undefined = window.docOfSeq(seq);
    if (!d) continue;
    d.topic = a.topic;
    d.probability = a.probability;
  }
}
