/**
 * What a refit remembers of the last one (docs/design.md, "Topics that hold still"): the UMAP
 * layout of the window it refitted, keyed by window seq, for a warm start; and, through the
 * documents' topics, what hysteresis holds on to. Kept in memory beside the window (one memory per
 * WindowStore), never in snapshots: after a restart, or when the live model is not the one the
 * layout belongs to (a restored snapshot, an adopted model), the next refit is a cold start.
 */
import type { Config } from '../../config/schema.js';
import type { WindowStore, WindowView } from '../window/windowStore.js';
import type { MatchResult } from '../identity/matchTopics.js';
import { applyHysteresis } from '../identity/hysteresis.js';
import { centroidsOf } from './centroids.js';
import type { ClusterJobResult, WarmStart } from './types.js';

interface RefitMemory {
  /** the model version the layout was applied as */
  version: number;
  /** window seq of each row of `layout` */
  seqs: Float64Array;
  layout: Float32Array;
  nComponents: number;
}

const memories = new WeakMap<WindowStore, RefitMemory>();

/**
 * The warm start of a refit of `view`: the remembered coordinates of the documents that were in
 * the last applied refit. Undefined (a cold start) when warm starts are off, the reducer is not
 * fast-umap, nothing is remembered for the live model `version`, or no document is left of it.
 */
export function warmStartFor(config: Config, window: WindowStore, view: WindowView, version: number): WarmStart | undefined {
  if (!config.stream.memory.warmStart || config.umap.implementation !== 'fast-umap') return undefined;
  const mem = memories.get(window);
  const dim = config.umap.nComponents;
  if (!mem || mem.version !== version || mem.nComponents !== dim) return undefined;
  const rowOf = new Map<number, number>();
  for (let r = 0; r < mem.seqs.length; r++) rowOf.set(mem.seqs[r]!, r);
  const n = view.docs.length;
  const layout = new Float32Array(n * dim);
  const known = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const r = rowOf.get(view.docs[i]!.seq);
    if (r === undefined) continue;
    layout.set(mem.layout.subarray(r * dim, (r + 1) * dim), i * dim);
    known[i] = 1;
    count++;
  }
  return count > 0 ? { layout, known } : undefined;
}

/** After a refit is applied as `version`: its layout is the next refit's warm start. */
export function rememberLayout(config: Config, window: WindowStore, view: WindowView, version: number, clustered: ClusterJobResult): void {
  const dim = config.umap.nComponents;
  if (!config.stream.memory.warmStart || !clustered.layout || clustered.layout.length !== view.docs.length * dim) {
    memories.delete(window);
    return;
  }
  memories.set(window, { version, seqs: Float64Array.from(view.docs, (d) => d.seq), layout: clustered.layout, nComponents: dim });
}

export interface HeldTopics {
  /** per document: its topic id after hysteresis */
  topicIds: Int32Array;
  /** the clusters with the held documents moved into the cluster of their topic (labels and probabilities) */
  clustered: ClusterJobResult;
  /** cluster label → L2-normalised centroid, of the clusters above */
  newCentroids: Map<number, Float32Array>;
  heldFromOutliers: number;
  heldFromOthers: number;
}

/**
 * Hysteresis on a matched refit (src/stream/identity/hysteresis.ts): documents that stay close
 * enough to the topic they had keep it. Returns the refit as if the clusterer had put them there.
 */
export function holdTopics(
  config: Config,
  input: { view: WindowView; dim: number; prev: Int32Array; clustered: ClusterJobResult; match: MatchResult; topicIds: Int32Array; newCentroids: Map<number, Float32Array>; firstNewId: number },
): HeldTopics | undefined {
  const { clustered, match, view, dim } = input;
  const mem = config.stream.memory;
  if (!mem.hysteresis || !clustered.neighbours || !clustered.k) return undefined;
  const centroids = new Map<number, Float32Array>();
  const labelOf = new Map<number, number>();
  for (const [label, id] of match.idOf) {
    labelOf.set(id, label);
    const c = input.newCentroids.get(label);
    if (c) centroids.set(id, c);
  }
  const continuing = new Set<number>();
  for (const id of match.idOf.values()) if (id < input.firstNewId) continuing.add(id);
  const h = applyHysteresis(
    { prev: input.prev, next: input.topicIds, neighbours: clustered.neighbours, k: clustered.k, embeddings: view.embeddings, dim, centroids, continuing, firstNewId: input.firstNewId },
    { minNeighbourShare: mem.minNeighbourShare, minCentroidSimilarity: mem.minCentroidSimilarity, switchMargin: mem.switchMargin, minNeighbourShareAgainstNew: mem.minNeighbourShareAgainstNew },
  );
  if (h.heldFromOutliers + h.heldFromOthers === 0) return undefined;
  const labels = Int32Array.from(clustered.labels);
  const probabilities = Float32Array.from(clustered.probabilities);
  for (let i = 0; i < labels.length; i++) {
    const s = h.heldStrength[i]!;
    if (Number.isNaN(s)) continue;
    labels[i] = labelOf.get(h.topics[i]!)!;
    probabilities[i] = s;
  }
  keepEveryCluster(clustered, labels, probabilities, h, match.idOf);
  return {
    topicIds: h.topics,
    clustered: { ...clustered, labels, probabilities },
    newCentroids: centroidsOf(labels, view.embeddings, dim),
    heldFromOutliers: h.heldFromOutliers,
    heldFromOthers: h.heldFromOthers,
  };
}

/**
 * A cluster that hysteresis would empty keeps its documents: its id was matched (or is new), and a
 * topic does not vanish without an event.
 */
function keepEveryCluster(
  clustered: ClusterJobResult,
  labels: Int32Array,
  probabilities: Float32Array,
  h: ReturnType<typeof applyHysteresis>,
  idOf: ReadonlyMap<number, number>,
): void {
  const left = new Set<number>();
  for (const l of labels) if (l >= 0) left.add(l);
  for (let i = 0; i < labels.length; i++) {
    const b = clustered.labels[i]!;
    if (b < 0 || left.has(b) || labels[i] === b) continue;
    labels[i] = b;
    probabilities[i] = clustered.probabilities[i]!;
    h.topics[i] = idOf.get(b)!;
    h.heldStrength[i] = Number.NaN;
    h.heldFromOthers--;
  }
}
