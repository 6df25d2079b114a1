/**
 * Input triage for one batch: each raw record is either a new document (to embed), a redelivery of
 * a document the window holds (answered again, not counted twice) or a rejection for the DLQ.
 * Pure apart from reading the window.
 */
import { validateRecord, type FieldOptions, type Rejection } from '../io/validate.js';
import type { Doc } from '../core/types.js';
import type { RawRecord } from './types.js';
import type { WindowDoc } from './window/windowStore.js';

export interface Triage {
  fresh: Array<{ doc: Doc; rec: RawRecord }>;
  /** redeliveries of documents in the window, with their current state */
  replayed: WindowDoc[];
  rejected: Array<{ rec: RawRecord; rejection: Rejection }>;
  duplicates: number;
}

export interface TriageLimits {
  fields: FieldOptions;
  /** largest accepted message value (kafka.maxMessageBytes) */
  maxMessageBytes: number;
}

export function triageBatch(records: readonly RawRecord[], known: (id: string) => WindowDoc | undefined, limits: TriageLimits): Triage {
  const out: Triage = { fresh: [], replayed: [], rejected: [], duplicates: 0 };
  const inBatch = new Map<string, string>();
  const reject = (rec: RawRecord, reason: Rejection['reason'], message: string) => out.rejected.push({ rec, rejection: { reason, message } });
  for (const rec of records) {
    if (!rec.value || rec.value.length === 0) {
      reject(rec, 'missing_text', 'the message has no value');
      continue;
    }
    if (rec.value.length > limits.maxMessageBytes) {
      reject(rec, 'oversize', `the message is ${rec.value.length} bytes; the limit is ${limits.maxMessageBytes} (kafka.maxMessageBytes)`);
      continue;
    }
    const r = validateRecord(rec.value, limits.fields, fallbackId(rec));
    if (!r.ok) {
      out.rejected.push({ rec, rejection: r.rejection });
      continue;
    }
    const doc = r.doc;
    const inWindow = known(doc.id);
    const sameBatch = inBatch.get(doc.id);
    if (inWindow || sameBatch !== undefined) {
      // a redelivery (same id, same text) is answered again but not counted twice;
      // the same id with another text is a producer bug: dead-letter it
      const text = inWindow ? inWindow.text : sameBatch;
      if (text === doc.text) {
        if (inWindow) out.replayed.push(inWindow);
        out.duplicates++;
      } else reject(rec, 'duplicate_id', `id "${doc.id.slice(0, 200)}" is already in the window with another text`);
      continue;
    }
    inBatch.set(doc.id, doc.text);
    out.fresh.push({ doc, rec });
  }
  return out;
}

/** The id of a record without one: its key, else where it came from. */
function fallbackId(rec: RawRecord): string {
  const key = rec.key?.toString('utf8');
  return key || `${rec.topic}-${rec.partition}-${rec.offset}`;
}
