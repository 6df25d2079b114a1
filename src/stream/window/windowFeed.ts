/**
 * Window membership: documents join the window and its index (only once their outputs are
 * durable), leave by count, bytes or age, and the topic sizes follow. With role elected
 * (docs/scaling.md) the window is fed from every instance's post-embeddings instead of the
 * instance's own posts.
 */
import type { Logger } from 'pino';
import type { Doc } from '../../core/types.js';
import type { WindowIndex } from '../assign/windowIndex.js';
import type { LiveModel } from '../model/liveModel.js';
import type { Config } from '../../config/schema.js';
import type { OutMessage } from '../types.js';
import { inWindowSample, parsePostEmbedding, postEmbeddingMessage } from '../messages.js';
import { fitsOutput } from '../outputLimits.js';
import type { WindowDoc, WindowStore } from './windowStore.js';

/**
 * Role elected: the post-embeddings messages of a batch's accepted posts (stream.scaleOut.windowSample
 * of them), for every instance's window. One over `maxBytes` (kafka.maxOutputBytes: a long non-ASCII
 * excerpt) goes without its text rather than not at all.
 */
export function sharedEmbeddings(
  accepted: ReadonlyArray<{ doc: Doc; vec: Float32Array; a: { topic: number; probability: number } }>,
  model: { modelVersion: number; modelId: string },
  o: Config['stream']['scaleOut'],
  maxBytes: number,
): OutMessage[] {
  return accepted
    .filter((x) => inWindowSample(x.doc.id, o.windowSample))
    .map((x) => {
      const a = { ...x.a, ...model };
      const m = postEmbeddingMessage(x.doc, x.vec, a, o.textChars);
      return fitsOutput(m, maxBytes) ? m : postEmbeddingMessage({ ...x.doc, text: '' }, x.vec, a, 0);
    });
}

export class WindowFeed {
  private skipped = 0;

  constructor(
    private readonly window: WindowStore,
    private readonly index: WindowIndex,
    private readonly model: LiveModel,
    private readonly maxAgeSeconds: number,
    private readonly log: Logger,
    /** the embedding model of this service: shared posts embedded with another are skipped */
    private readonly modelId: string,
  ) {}

  /** Adds a document with its first topic; false when its id is already in the window. */
  add(doc: Doc, vec: Float32Array, topic: number, probability: number, partition: number, offset: string, now: number): boolean {
    const { added, evicted } = this.window.add(doc, vec, topic, probability, partition, offset, now);
    for (const d of evicted) this.forget(d);
    if (!added) return false;
    this.index.add(added.seq, vec);
    this.model.registry.ensure(topic, this.model.version);
    this.model.registry.inc(topic);
    return true;
  }

  /** Adds post-embeddings messages (another instance's posts or this one's); returns how many were new. Unreadable ones are skipped. */
  addShared(values: readonly Buffer[], now: number): number {
    let added = 0;
    for (const v of values) {
      let m: ReturnType<typeof parsePostEmbedding>;
      try {
        m = parsePostEmbedding(v, this.window.dim, this.modelId);
      } catch (e) {
        // logged once per 1,000 (a foreign producer on the topic must not flood the log)
        if (this.skipped++ % 1000 === 0) this.log.warn({ err: e, skipped: this.skipped }, 'skipping an unreadable post-embeddings message');
        continue;
      }
      const p = m.payload;
      // a topic this model no longer has (assigned by an instance still on an older model) would win k-NN votes for a dead id: an outlier until the next refit
      const live = p.topic_id === -1 || this.model.registry.get(p.topic_id)?.status === 'active';
      if (this.add({ id: p.id, text: p.text, ts: p.ts }, m.vector, live ? p.topic_id : -1, live ? p.probability : 0, -1, '-1', now)) added++;
    }
    this.evictByAge();
    return added;
  }

  evictByAge(): void {
    if (this.maxAgeSeconds <= 0) return;
    const b = this.window.bounds();
    if (b) for (const d of this.window.evictOlderThan(b.end - this.maxAgeSeconds * 1000)) this.forget(d);
  }

  private forget(d: WindowDoc): void {
    this.index.remove(d.seq);
    this.model.registry.dec(d.topic);
  }
}
