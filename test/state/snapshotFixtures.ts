/**
 * Helpers for the snapshot tests: a processor with a refitted window (fake vectors: the snapshot
 * code does not care what they mean), a temp state folder, a logger that keeps what it logged,
 * and a way to re-sign a manifest after editing a file (to reach the checks behind the checksums).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.js';
import { StreamProcessor } from '../../src/stream/processor.js';
import { MemorySink } from '../../src/stream/sinks/memorySink.js';
import type { RawRecord } from '../../src/stream/types.js';
import { buildManifest } from '../../src/state/manifest.js';
import { DATA_FILES, MANIFEST_FILE, STATE_FORMAT } from '../../src/state/format.js';
import { ThemeEmbedder, ThemeRefitter, THEMES } from '../stream/fakes.js';

export const MODEL_ID = new ThemeEmbedder().modelId;
export const DIM = new ThemeEmbedder().dim;
export const SOURCE = 'memory:posts';

const dirs: string[] = [];
export function tempStateDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'ts-state-'));
  dirs.push(d);
  return path.join(d, 'state');
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

let offset = 0;
export function posts(n: number): RawRecord[] {
  return Array.from({ length: n }, () => {
    const i = offset++;
    return { topic: 'posts', partition: i % 2, offset: String(i), key: null, value: Buffer.from(JSON.stringify({ id: `d${i}`, text: `${THEMES[i % 4]} post ${i}` })), timestamp: Date.now() };
  });
}

export function newProcessor(): StreamProcessor {
  const config = loadConfig({ env: {}, flags: { stream: { window: { maxDocs: 200 }, refit: { everyDocs: 40, minDocs: 20, everySeconds: 0 }, assign: { k: 5, minSimilarity: 0.3 } } } });
  return new StreamProcessor({ config, embedder: new ThemeEmbedder(), sink: new MemorySink(), refitter: new ThemeRefitter(), log: pino({ level: 'silent' }) });
}

/** A processor that took `n` posts and refitted (model version ≥ 1). */
export async function filledProcessor(n = 60): Promise<StreamProcessor> {
  const p = newProcessor();
  await p.handleBatch(posts(n));
  await p.idle();
  return p;
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  msg: string;
}

/** A logger with the three levels the store uses, keeping every entry. */
export function captureLog(): { entries: LogEntry[]; info: (f: object, m: string) => void; warn: (f: object, m: string) => void; error: (f: object, m: string) => void } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (fields: object, msg: string) => void entries.push({ level, fields: fields as Record<string, unknown>, msg });
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}

/** Rewrites manifest.json to match the files as they now are (so the content checks behind the checksums are reached). */
export function resign(dir: string): void {
  const files = DATA_FILES.map((f): [string, Uint8Array] => [f, readFileSync(path.join(dir, f))]);
  writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(buildManifest(STATE_FORMAT, files)));
}

export function truncate(file: string, keep = 0.5): void {
  const b = readFileSync(file);
  writeFileSync(file, b.subarray(0, Math.floor(b.length * keep)));
}

export function flipBit(file: string, at = 0.5): void {
  const b = readFileSync(file);
  const i = Math.floor(b.length * at);
  b[i] = b[i]! ^ 0x04;
  writeFileSync(file, b);
}
