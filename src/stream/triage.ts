/**
 * Input triage for one batch: each raw record is either a new document (to embed), a redelivery of
 * a document the window holds (answered again, not counted twice) or a rejection for the DLQ.
 * Parsing (`parseBatch`) is pure; `classify` reads the window, so the processor parses a batch once
 * and classifies it before embedding and again in its turn.
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

/** A record parsed and validated: its document, or why it is rejected (reads no window state). */
export type Parsed = { rec: RawRecord; doc: Doc } | { rec: RawRecord; rejection: Rejection };

/** Parses and validates each record once; `classify` then checks the documents against the window. */
export function parseBatch(records: readonly RawRecord[], limits: TriageLimits): Parsed[] {
  return records.map((rec): Parsed => {
    if (!rec.value || rec.value.length === 0) return { rec, rejection: { reason: 'missing_text', message: 'the message has no value' } };
    if (rec.value.length > limits.maxMessageBytes) {
      return { rec, rejection: { reason: 'oversize', message: `the message is ${rec.value.length} bytes; the limit is ${limits.maxMessageBytes} (kafka.maxMessageBytes)` } };
    }
    const r = validateRecord(rec.value, limits.fields, fallbackId(rec));
    return r.ok ? { rec, doc: r.doc } : { rec, rejection: r.rejection };
  });
}

/** Parsed records as new documents, redeliveries of window documents, or rejections. */
export function classify(parsed: readonly Parsed[], known: (id: string) => WindowDoc | undefined): Triage {
  const out: Triage = { fresh: [], replayed: [], rejected: [], duplicates: 0 };
  const inBatch = new Map<string, string>();
  for (const p of parsed) {
    if ('rejection' in p) {
      out.rejected.push(p);
      continue;
    }
    const { rec, doc } = p;
    const inWindow = known(doc.id);
    const sameBatch = inBatch.get(doc.id);
    if (inWindow || sameBatch !== undefined) {
      // a redelivery (same id, same text) is answered again but not counted twice;
      // the same id with another text is a producer bug: dead-letter it
      const text = inWindow ? inWindow.text : sameBatch;
      if (text === doc.text) {
        if (inWindow) out.replayed.push(inWindow);
        out.duplicates++;
      } else out.rejected.push({ rec, rejection: { reason: 'duplicate_id', message: `id "${doc.id.slice(0, 200)}" is already in the window with another text` } });
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
