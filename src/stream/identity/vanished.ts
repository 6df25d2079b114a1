/**
 * Clusters that vanished while their refit ran. A refit clusters a view of the window, and the
 * window moves on until the refit is applied: a cluster made only of the oldest documents may have
 * none left by then. Such a cluster is no topic of the new model — it would be published active
 * with size 0 — so its match is undone here (docs/design.md, "A refit: plan, publish, apply"):
 *   - a topic it would have born (born or split) is never born: its event goes; a fresh id stays spent;
 *   - an active topic it continued dies (`details.docs_in_window` 0, `left_window` 1);
 *   - a topic that merged or died into it dies, with no `related` (`left_window` 1).
 */
import type { MatchEvent, MatchResult } from './matchTopics.js';

export function withoutVanished(match: MatchResult, vanishedLabels: ReadonlySet<number>): MatchResult {
  if (vanishedLabels.size === 0) return match;
  const idOf = new Map([...match.idOf].filter(([label]) => !vanishedLabels.has(label)));
  const gone = new Set([...match.idOf].filter(([label]) => vanishedLabels.has(label)).map(([, id]) => id));
  const unborn = new Set(match.events.filter((e) => gone.has(e.topicId) && (e.type === 'born' || e.type === 'split')).map((e) => e.topicId));
  const events: MatchEvent[] = [];
  for (const e of match.events) {
    if (unborn.has(e.topicId)) continue;
    const intoGone = (e.type === 'merged' || e.type === 'died') && e.related.some((id) => gone.has(id));
    events.push(intoGone ? { type: 'died', topicId: e.topicId, related: [], details: { ...e.details, left_window: 1 } } : e);
  }
  for (const id of gone) {
    if (!unborn.has(id)) events.push({ type: 'died', topicId: id, related: [], details: { docs_in_window: 0, left_window: 1 } });
  }
  return { idOf, events, nextId: match.nextId, persisted: match.persisted.filter((p) => !gone.has(p.topicId)) };
}
