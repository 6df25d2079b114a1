/**
 * Turns one raw input record (a file line or a Kafka message value) into a document, or into a
 * rejection with a machine-readable reason. Shared by the file reader and the Kafka source, so
 * both reject the same things for the same reasons.
 */
import type { Doc } from '../core/types.js';

export type RejectReason =
  | 'invalid_utf8'
  | 'not_json'
  | 'not_object'
  | 'missing_text'
  | 'empty_text'
  | 'wrong_type'
  | 'oversize'
  | 'bad_timestamp'
  | 'duplicate_id'
  | 'oversize_id'
  // found by the service after validation
  | 'output_too_large'
  | 'processing_failed';

export const REJECT_REASONS: readonly RejectReason[] = [
  'invalid_utf8', 'not_json', 'not_object', 'missing_text', 'empty_text', 'wrong_type', 'oversize', 'bad_timestamp', 'duplicate_id', 'oversize_id', 'output_too_large', 'processing_failed',
];

export interface Rejection {
  reason: RejectReason;
  message: string;
}

export type ValidateResult = { ok: true; doc: Doc } | { ok: false; rejection: Rejection };

export interface FieldOptions {
  textField: string;
  idField: string;
  tsField: string;
  labelField: string;
  maxTextChars: number;
  /** longer ids are rejected (oversize_id); unlimited when absent */
  maxIdChars?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function reject(reason: RejectReason, message: string): ValidateResult {
  return { ok: false, rejection: { reason, message } };
}

/** 2016-01-01, 2016-01-01T10:00, 2016-01-01 10:00:00.5+02:00, ...Z */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** Wed, 10 Oct 2018 20:19:24 +0000 and Twitter's Wed Oct 10 20:19:24 +0000 2018 */
const RFC_2822 = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? (?:\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})?(?: (?:[+-]\d{4}|[A-Z]{2,4}))?|[A-Z][a-z]{2} \d{1,2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4})$/;

/** Parses ISO-8601 (and RFC 2822) strings and epoch numbers (ms, or s when it looks like seconds) to epoch ms. */
export function parseTimestamp(v: unknown): number | undefined | null {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return v < 1e11 ? v * 1000 : v;
  }
  if (typeof v === 'string') {
    if (/^\d+(\.\d+)?$/.test(v)) return parseTimestamp(Number(v));
    // Date.parse alone is lenient ("foo 12" is 2001-12-01): only ISO-8601 and RFC 2822 shapes reach it
    if (!ISO_8601.test(v) && !RFC_2822.test(v)) return null;
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/**
 * @param fallbackId used when the record has no id (e.g. "line:12" or "partition-offset")
 */
export function validateRecord(bytes: Uint8Array, opts: FieldOptions, fallbackId: string): ValidateResult {
  let str: string;
  try {
    str = utf8.decode(bytes);
  } catch {
    return reject('invalid_utf8', 'the record is not valid UTF-8');
  }
  // A JSON value cannot be shorter than its text; checking the bytes first avoids parsing 10 MB posts.
  if (bytes.length > opts.maxTextChars * 4 + 65_536) {
    return reject('oversize', `the record is ${bytes.length} bytes; texts are limited to ${opts.maxTextChars} characters`);
  }
  let value: unknown;
  try {
    value = JSON.parse(str);
  } catch (e) {
    return reject('not_json', `not valid JSON: ${(e as Error).message}`);
  }
  return validateValue(value, opts, fallbackId);
}

export function validateValue(value: unknown, opts: FieldOptions, fallbackId: string): ValidateResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('not_object', `expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  const rec = value as Record<string, unknown>;
  const text = rec[opts.textField];
  if (text === undefined || text === null) return reject('missing_text', `field "${opts.textField}" is missing`);
  if (typeof text !== 'string') return reject('wrong_type', `field "${opts.textField}" must be a string, got ${typeof text}`);
  if (text.trim() === '') return reject('empty_text', `field "${opts.textField}" is empty`);
  if (text.length > opts.maxTextChars) {
    return reject('oversize', `field "${opts.textField}" has ${text.length} characters; the limit is ${opts.maxTextChars}`);
  }
  const rawId = rec[opts.idField];
  let id: string;
  if (rawId === undefined || rawId === null || rawId === '') id = fallbackId;
  else if (typeof rawId === 'string') id = rawId;
  else if (typeof rawId === 'number' && Number.isFinite(rawId)) id = String(rawId);
  else return reject('wrong_type', `field "${opts.idField}" must be a string or a number, got ${typeof rawId}`);
  if (opts.maxIdChars !== undefined && id.length > opts.maxIdChars) {
    return reject('oversize_id', `the document id has ${id.length} characters; the limit is ${opts.maxIdChars} (input.maxIdChars)`);
  }
  const ts = parseTimestamp(rec[opts.tsField]);
  if (ts === null) return reject('bad_timestamp', `field "${opts.tsField}" is not an ISO-8601 date or epoch number: ${JSON.stringify(rec[opts.tsField]).slice(0, 80)}`);
  const doc: Doc = { id, text };
  if (ts !== undefined) doc.ts = ts;
  const label = rec[opts.labelField];
  if (typeof label === 'string' && label !== '') doc.label = label;
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (k !== opts.textField && k !== opts.idField && k !== opts.tsField && k !== opts.labelField) meta[k] = v;
  }
  if (Object.keys(meta).length) doc.meta = meta;
  return { ok: true, doc };
}
