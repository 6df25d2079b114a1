/**
 * The model in force: the topic registry, topic centroids, the carried c-TF-IDF counts and the
 * version. A refit replaces it only once its outputs are durable (docs/design.md, "A refit: plan,
 * publish, apply"); a follower replaces it with the model the refit owner published.
 */
import { TopicRegistry, type HistoryLimits } from '../topicRegistry.js';
import type { TopicTermCounts } from '../refit/types.js';
import type { RefitPlan } from '../refit/planRefit.js';
import { decodeCentroid, type PublishedModel } from './modelMessage.js';

export class LiveModel {
  registry = new TopicRegistry();
  centroids = new Map<number, Float32Array>();
  prior: TopicTermCounts | undefined;
  version = 0;
  /** the highest version a refit tried to publish (a failed publish burns its version and ids) */
  private versionTried = 0;

  /** `labels`: the config's topic labels (topics.labels), kept on every registry this model holds */
  constructor(
    private readonly retiredTopicsKept: number,
    private readonly labels: ReadonlyMap<number, string>,
    private readonly history: HistoryLimits,
  ) {
    this.registry.setConfigLabels(labels);
  }

  /** The version the next refit publishes. */
  nextVersion(): number {
    return Math.max(this.version, this.versionTried) + 1;
  }

  /** A plan is about to be published: its version and ids are spent whatever happens next. */
  spend(plan: RefitPlan): void {
    this.versionTried = Math.max(this.versionTried, plan.version);
    this.registry.nextId = Math.max(this.registry.nextId, plan.registry.nextId);
  }

  apply(plan: RefitPlan): void {
    this.registry = plan.registry;
    this.registry.pruneRetired(this.retiredTopicsKept);
    this.centroids = plan.centroids;
    this.prior = plan.prior;
    this.version = Math.max(this.version, plan.version);
  }

  /** Takes over a published model; false when it is not newer than ours. */
  adopt(m: PublishedModel): boolean {
    if (m.model_version <= this.version) return false;
    const centroids = new Map<number, Float32Array>();
    for (const t of m.topics) {
      centroids.set(t.id, decodeCentroid(t.centroid, m.dim));
      const s = this.registry.ensure(t.id, m.model_version, t.parent);
      s.status = 'active';
      s.version = m.model_version;
      s.bornVersion = t.born_version;
      this.registry.setWords(t.id, t.words);
      if (t.name !== undefined) this.registry.setName(t.id, t.name);
    }
    const retired = this.registry.active().filter((t) => !centroids.has(t.id)).map((t) => t.id);
    for (const id of retired) this.registry.retire(id, m.model_version);
    this.registry.ensure(-1, m.model_version);
    this.registry.recordRefit(m.model_version, m.at, [-1, ...centroids.keys(), ...retired], [], this.history);
    this.registry.pruneRetired(this.retiredTopicsKept);
    this.centroids = centroids;
    this.version = m.model_version;
    return true;
  }

  /** Takes the model a snapshot held. */
  restore(registry: TopicRegistry, state: { modelVersion: number; prior?: TopicTermCounts; centroids?: Record<string, number[]> }): void {
    this.registry = registry;
    this.registry.setConfigLabels(this.labels);
    this.version = state.modelVersion;
    this.prior = state.prior;
    this.centroids = new Map(Object.entries(state.centroids ?? {}).map(([k, v]) => [Number(k), Float32Array.from(v)]));
  }

  /** Never below what was already published (after a lost or older snapshot). */
  raiseCounters(version: number, nextTopicId: number): void {
    if (version > this.version) this.version = version;
    if (nextTopicId > this.registry.nextId) this.registry.nextId = nextTopicId;
  }
}
