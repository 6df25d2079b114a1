/**
 * Sizes of output messages, so that no send can fail for size: one message must fit the broker's
 * message.max.bytes (kafka.maxOutputBytes), and a produce request is cut into chunks under it.
 */
import type { OutMessage } from './types.js';

/** Bytes a record adds to a Kafka record batch beyond key, value and headers (varints, attributes). */
const RECORD_OVERHEAD_BYTES = 64;
/** Bytes of a record batch's own header, and of a produce request around it. */
const BATCH_OVERHEAD_BYTES = 512;

export function messageBytes(m: OutMessage): number {
  let n = RECORD_OVERHEAD_BYTES + Buffer.byteLength(m.value, 'utf8');
  if (m.key !== null) n += Buffer.byteLength(m.key, 'utf8');
  if (m.headers) for (const [k, v] of Object.entries(m.headers)) n += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8') + 8;
  return n;
}

/** True when the message can be sent on its own under `limit` bytes. */
export function fitsOutput(m: OutMessage, limit: number): boolean {
  return messageBytes(m) + BATCH_OVERHEAD_BYTES <= limit;
}

/**
 * Cuts messages, in order, into chunks whose total size stays under `limit`; each message is sized
 * once. A message that cannot fit even alone is returned as `tooLarge` (and no chunks).
 */
export function chunkBySize(messages: OutMessage[], limit: number): { chunks: OutMessage[][]; tooLarge?: { bytes: number } } {
  const out: OutMessage[][] = [];
  let cur: OutMessage[] = [];
  let bytes = BATCH_OVERHEAD_BYTES;
  for (const m of messages) {
    const b = messageBytes(m);
    if (b + BATCH_OVERHEAD_BYTES > limit) return { chunks: [], tooLarge: { bytes: b } };
    if (cur.length && bytes + b > limit) {
      out.push(cur);
      cur = [];
      bytes = BATCH_OVERHEAD_BYTES;
    }
    cur.push(m);
    bytes += b;
  }
  if (cur.length) out.push(cur);
  return { chunks: out };
}
