/**
 * The files `topicstream fit` writes: topics.json and assignments.jsonl (formats in docs/design.md, "Files of `topicstream fit`").
 */
import { createWriteStream, mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Topic } from './topic.js';
import { roundTo } from '../core/round.js';

export interface TopicsFile {
  topics: Array<{
    id: number;
    size: number;
    words: Array<{ word: string; score: number }>;
    label: string;
    representative_docs: string[];
    representative_doc_ids: string[];
  }>;
  n_docs: number;
  n_topics: number;
  outliers: number;
  model: string;
  created_at: string;
  stage_seconds?: Record<string, number>;
  config?: unknown;
  /** `refit` and `reduce`: the fit output folder they started from */
  refit_of?: string;
  reduced_from?: string;
  /** after --nr-topics / --reduce-outliers: topics before and after the reduction, outliers before and after theirs */
  toolbox?: { topics_before: number; topics_after: number; outliers_before: number; outliers_after: number };
  /**
   * The merge tree of the topics (src/toolbox/topicHierarchy.ts, BERTopic's hierarchical_topics):
   * merges in order, the last the root; leaves are topic ids, merge i is node n_topics + i.
   */
  hierarchy?: TopicsFileMerge[];
}

export interface TopicsFileMerge {
  /** this node: n + the merge's index */
  id: number;
  /** the joined nodes (topic ids or earlier merges' ids), the smaller first */
  left: number;
  right: number;
  /** Ward distance of the merge (non-decreasing along the list) */
  distance: number;
  /** every topic under this node, ascending */
  topics: number[];
  /** the top words of those topics together */
  words: string[];
}

/** topics_over_time.json: documents per topic per time bin, with the bin's top words (src/pipeline/topicsOverTime.ts). */
export interface TopicsOverTime {
  nr_bins: number;
  /** ISO 8601 bounds of each bin, [start, end) (the last one includes its end) */
  bins: Array<{ start: string; end: string }>;
  /** every topic, -1 included; counts and words per bin, in bin order */
  topics: Array<{ id: number; counts: number[]; words: string[][] }>;
}

export interface Assignment {
  id: string;
  topic: number;
  probability: number;
}

export function writeTopicsFile(dir: string, topics: readonly Topic[], extra: Omit<TopicsFile, 'topics' | 'n_topics' | 'outliers'>, topNWords: number): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'topics.json');
  const body: TopicsFile = {
    topics: topics.map((t) => ({
      id: t.id,
      size: t.size,
      words: t.words.slice(0, topNWords).map((w) => ({ word: w.word, score: roundTo(w.score, 6) })),
      label: t.label,
      representative_docs: t.representativeDocs,
      representative_doc_ids: t.representativeDocIds,
    })),
    n_topics: topics.filter((t) => t.id !== -1).length,
    outliers: topics.find((t) => t.id === -1)?.size ?? 0,
    ...extra,
  };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}

export function readTopicsFile(dir: string): TopicsFile {
  const file = path.join(dir, 'topics.json');
  if (!existsSync(file)) throw new Error(`no topics.json in ${dir}: is it the --out folder of \`topicstream fit\`?`);
  return JSON.parse(readFileSync(file, 'utf8')) as TopicsFile;
}

export async function writeAssignments(dir: string, ids: readonly string[], labels: Int32Array, probs: Float32Array): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'assignments.jsonl');
  const out = createWriteStream(file);
  for (let i = 0; i < ids.length; i++) {
    const line = JSON.stringify({ id: ids[i], topic: labels[i], probability: roundTo(probs[i]!, 6) }) + '\n';
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}

export function readAssignments(dir: string): Assignment[] {
  const file = path.join(dir, 'assignments.jsonl');
  if (!existsSync(file)) throw new Error(`no assignments.jsonl in ${dir}`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Assignment);
}

/** Writes topics_over_time.json, or removes an older one when this fit has none (no `ts`). */
export function writeTopicsOverTime(dir: string, tot: TopicsOverTime | null): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'topics_over_time.json');
  if (tot) writeFileSync(file, JSON.stringify(tot) + '\n');
  else rmSync(file, { force: true });
  return file;
}

/** The fit's topics over time; null when it had no timestamps (no file). */
export function readTopicsOverTime(dir: string): TopicsOverTime | null {
  const file = path.join(dir, 'topics_over_time.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TopicsOverTime) : null;
}
