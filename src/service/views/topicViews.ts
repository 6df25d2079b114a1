/**
 * What the API shows of a topic: the list entry (label, size, words, a trend of its sizes at the
 * last refits), the topic page (plus representative documents and lineage) and its history.
 */
import type { TopicState } from '../../stream/topicRegistry.js';
import type { TopicHistoryView, TopicView } from '../../http/types.js';

/** Sizes in a topic's trend (its sparkline on the dashboard). */
export const TREND_POINTS = 30;

export function topicView(t: TopicState, topNWords: number, full: boolean): TopicView {
  const v: TopicView = {
    id: t.id,
    status: t.status,
    label: t.label,
    custom_label: t.customLabel ?? null,
    size: t.size,
    words: t.words.slice(0, topNWords),
    parent: t.parent,
    born_version: t.bornVersion,
    trend: (t.history ?? []).slice(-TREND_POINTS).map((p) => p.size),
  };
  if (full) {
    v.representative_doc_ids = t.representativeDocIds;
    v.representative_docs = t.representativeDocs;
    v.lineage = t.lineage ?? [];
  }
  return v;
}

export function topicHistoryView(t: TopicState): TopicHistoryView {
  return { topic_id: t.id, label: t.label, history: t.history ?? [], lineage: t.lineage ?? [] };
}
