/**
 * User labels of topics (set through PUT /api/topics/:id/label or config topics.labels): what a
 * valid one is, and setting one on the live registry with its topic-updates message.
 */
import type { Config } from '../config/schema.js';
import type { Sink } from './types.js';
import type { WindowStore } from './window/windowStore.js';
import type { TopicRegistry, TopicState } from './topicRegistry.js';
import { topicStateMessage, windowInfo } from './messages.js';

export const LABEL_MAX_CHARS = 80;
/** Control characters (C0, DEL, C1) are refused in a label. */
const LABEL_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f]/;

/** A label as given, trimmed; or why it is refused. */
export function checkLabel(value: unknown): { ok: true; label: string } | { ok: false; message: string } {
  if (typeof value !== 'string') return { ok: false, message: 'label must be a string' };
  const label = value.trim();
  if (label.length < 1 || label.length > LABEL_MAX_CHARS) return { ok: false, message: `label must have 1 to ${LABEL_MAX_CHARS} characters (after trimming)` };
  if (LABEL_FORBIDDEN.test(label)) return { ok: false, message: 'label must not contain control characters' };
  return { ok: true, label };
}

/** The config's topics.labels as a map from topic id. */
export function configLabels(config: Config): Map<number, string> {
  return new Map(Object.entries(config.topics.labels).map(([id, label]) => [Number(id), label]));
}

export interface LabelTarget {
  registry: TopicRegistry;
  window: WindowStore;
  sink: Sink;
  modelVersion: number;
  topNWords: number;
}

/**
 * Sets (null: clears) a topic's user label and publishes the topic on topic-updates; a failed
 * publish puts the previous label back. Undefined for an unknown topic.
 */
export async function publishLabel(d: LabelTarget, id: number, label: string | null): Promise<TopicState | undefined> {
  const t = d.registry.get(id);
  if (!t) return undefined;
  const before = t.customLabel ?? null;
  d.registry.setCustomLabel(id, label);
  const context = { window: windowInfo(d.window.bounds(), d.window.size), modelVersion: d.modelVersion, topNWords: d.topNWords, at: new Date().toISOString() };
  try {
    await d.sink.send('updates', [topicStateMessage(t, context)]);
  } catch (e) {
    d.registry.setCustomLabel(id, before);
    throw e;
  }
  return t;
}
