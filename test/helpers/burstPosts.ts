// Posts on a subject absent from the tweet stream, for the emerging-topics test and benchmark:
// the bodies of one 20 Newsgroups group (headers, quoted lines and signatures dropped), cut to a
// tweet's length, so they read like short posts on one subject.
import path from 'node:path';
import { readRawLines } from '../../src/io/lines.js';
import { SHARED_DATA } from './paths.js';

export const NEWSGROUPS = path.join(SHARED_DATA, '20newsgroups_bydate.jsonl.gz');

/** A post's body: no header block, no quoted or attribution lines, no signature; whitespace collapsed. */
export function postBody(text: string): string {
  const blank = text.indexOf('\n\n');
  const body = blank >= 0 ? text.slice(blank + 2) : text;
  const lines: string[] = [];
  for (const line of body.split('\n')) {
    if (line.trim() === '--') break;
    if (/^\s*(>|\||:)/.test(line) || /writes:\s*$|wrote:\s*$/.test(line)) continue;
    lines.push(line);
  }
  return lines.join(' ').replace(/\s+/g, ' ').trim();
}

/** `n` posts of a group, each 80-280 characters (cut at a word), in the file's order. */
export async function burstPosts(group: string, n: number, runId: string): Promise<Array<{ id: string; text: string }>> {
  const out: Array<{ id: string; text: string }> = [];
  for await (const { bytes } of readRawLines(NEWSGROUPS)) {
    if (bytes.length === 0) continue;
    const d = JSON.parse(bytes.toString('utf8')) as { id: string; text: string; label: string };
    if (d.label !== group) continue;
    let body = postBody(d.text);
    if (body.length < 80) continue;
    if (body.length > 280) body = body.slice(0, body.lastIndexOf(' ', 280));
    out.push({ id: `${runId}-${d.id}`, text: body });
    if (out.length >= n) break;
  }
  if (out.length < n) throw new Error(`${NEWSGROUPS}: only ${out.length} usable posts of ${group}`);
  return out;
}

/** Documents holding each lowercase word (letters, digits, apostrophes) once per document. */
function documentFrequency(texts: readonly string[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const t of texts) for (const w of new Set(t.toLowerCase().match(/[a-z0-9']+/g) ?? [])) df.set(w, (df.get(w) ?? 0) + 1);
  return df;
}

/**
 * Whether words name the burst's subject: at least 2 of the first 4 are words of the burst, each
 * in >= 3 of its posts and at >= 5 times its rate in the other documents (the tweets). Measured on
 * the data itself, so no hand-written list of "hockey words" decides.
 */
export function namesSubject(words: readonly string[], burst: readonly string[], others: readonly string[]): boolean {
  const inBurst = documentFrequency(burst);
  const inOthers = documentFrequency(others);
  const ofSubject = (w: string): boolean => {
    const b = inBurst.get(w) ?? 0;
    return b >= 3 && b / burst.length >= 5 * ((inOthers.get(w) ?? 0) / Math.max(1, others.length));
  };
  return words.slice(0, 4).filter((w) => w.split(' ').every(ofSubject)).length >= 2;
}
