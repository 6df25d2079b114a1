/**
 * Helpers shared by the batch benchmark's Node scripts: read the documents and embeddings that
 * `topicstream fit --out DIR` exported, read another run's assignments, and write a run's outputs
 * in the CLI's format (topics.json with 30 words per topic, assignments.jsonl).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Topic } from '../../src/model/topic.js';
import { readModelSnapshot, type ModelSnapshot } from '../../src/model/snapshot.js';
import { readAssignments, writeAssignments, writeTopicsFile } from '../../src/model/outputs.js';
import { WORDS_KEPT } from '../../src/pipeline/describeTopics.js';

export function readExported(dir: string): ModelSnapshot {
  return readModelSnapshot(dir);
}

/** The topic of every doc, in docs order, from DIR/assignments.jsonl (every doc must have one). */
export function labelsFrom(dir: string, ids: readonly string[]): { labels: Int32Array; probabilities: Float32Array } {
  const byId = new Map(readAssignments(dir).map((a) => [a.id, a]));
  const labels = new Int32Array(ids.length);
  const probabilities = new Float32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const a = byId.get(ids[i]!);
    if (!a) throw new Error(`${dir}/assignments.jsonl has no assignment for document ${ids[i]}`);
    labels[i] = a.topic;
    probabilities[i] = a.probability;
  }
  return { labels, probabilities };
}

/** topics.json (all WORDS_KEPT words, so `eval` can score diversity over 25) and assignments.jsonl. */
export async function writeRun(
  out: string,
  ids: readonly string[],
  topics: readonly Topic[],
  labels: Int32Array,
  probabilities: Float32Array,
  extra: Record<string, unknown>,
): Promise<void> {
  writeTopicsFile(out, topics, { n_docs: ids.length, model: 'topicstream', created_at: new Date().toISOString(), ...extra }, WORDS_KEPT);
  await writeAssignments(out, ids, labels, probabilities);
}

export function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** CPU seconds of this process (all threads, workers included) since `since`. */
export function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}
