// Posts on a subject absent from the tweet stream, for the emerging-topics test and benchmark:
// the bodies of one 20 Newsgroups group (headers, quoted lines and signatures dropped), cut to a
// tweet's length, so they read like short posts on one subject.
import path from 'node:path';
import { readRawLines } from '../../src/io/lines.js';
import { SHARED_DATA } from './paths.js';

export const NEWSGROUPS = path.join(SHARED_DATA, '20newsgroups_bydate.jsonl.gz');

/** Words that name each subject (a label naming the subject holds one of them). */
export const SUBJECT_WORDS: Record<string, string[]> = {
  'rec.sport.hockey': ['hockey', 'nhl', 'team', 'teams', 'game', 'games', 'play', 'playoff', 'playoffs', 'season', 'players', 'player', 'goal', 'goals', 'cup', 'leafs', 'wings', 'penguins', 'devils', 'rangers', 'bruins', 'canucks', 'jets', 'pens', 'league', 'goalie', 'pts'],
  'comp.graphics': ['graphics', 'image', 'images', 'jpeg', 'gif', 'format', 'formats', 'file', 'files', 'software', 'program', '3d', 'polygon', 'color', 'viewer', 'tiff', 'bitmap', 'ray', 'points', 'algorithm', 'vga', 'conversion'],
};

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

/** Whether a label or word list names the subject. */
export function namesSubject(words: readonly string[], group: string): boolean {
  const vocab = new Set(SUBJECT_WORDS[group] ?? []);
  return words.some((w) => w.toLowerCase().split(/[\s,]+/).some((t) => vocab.has(t)));
}
