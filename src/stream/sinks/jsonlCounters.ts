/**
 * The file-mode counterpart of recovering the counters from Kafka: the highest model version and
 * topic id in the updates.jsonl a JsonlSink wrote (one {"key", "value"} line per topic update).
 * A line cut off by a crash is skipped.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CounterTracker, type RecoveredCounters } from '../model/publishedCounters.js';

export async function recoverCountersFromJsonl(outDir: string): Promise<RecoveredCounters | undefined> {
  const file = path.join(outDir, 'updates.jsonl');
  if (!existsSync(file)) return undefined;
  const t = new CounterTracker();
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    let row: { key?: unknown; value?: unknown };
    try {
      row = JSON.parse(line) as { key?: unknown; value?: unknown };
    } catch {
      t.unreadable++;
      continue;
    }
    if (typeof row.key === 'string') t.topicId(row.key);
    if (row.value !== null && row.value !== undefined) t.updateValue(row.value);
  }
  return t.result();
}
