/**
 * Reads a whole JSON Lines file into documents for batch work (`fit`, `eval`), reporting every
 * rejected line by number and reason without stopping: the good documents around a bad line are kept.
 */
import { readRawLines } from './lines.js';
import { validateRecord, type FieldOptions, type Rejection } from './validate.js';
import type { Doc } from '../core/types.js';

export interface LineRejection extends Rejection {
  lineNo: number;
}

export interface ReadResult {
  docs: Doc[];
  rejected: LineRejection[];
  lines: number;
}

export interface ReadOptions extends FieldOptions {
  limit?: number;
  onRejected?: (r: LineRejection) => void;
  onProgress?: (docs: number) => void;
}

export async function readDocs(file: string, opts: ReadOptions): Promise<ReadResult> {
  const docs: Doc[] = [];
  const rejected: LineRejection[] = [];
  const seen = new Set<string>();
  let lines = 0;
  for await (const { lineNo, bytes } of readRawLines(file)) {
    lines = lineNo;
    if (bytes.length === 0 || isBlank(bytes)) continue;
    const r = validateRecord(bytes, opts, `line-${lineNo}`);
    let rej: LineRejection | undefined;
    if (!r.ok) rej = { lineNo, ...r.rejection };
    else if (seen.has(r.doc.id)) rej = { lineNo, reason: 'duplicate_id', message: `id "${r.doc.id}" was already read; the first one is kept` };
    if (rej) {
      rejected.push(rej);
      opts.onRejected?.(rej);
      continue;
    }
    if (r.ok) {
      seen.add(r.doc.id);
      docs.push(r.doc);
      if (docs.length % 1000 === 0) opts.onProgress?.(docs.length);
      if (opts.limit !== undefined && docs.length >= opts.limit) break;
    }
  }
  return { docs, rejected, lines };
}

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
