/**
 * Fault injection for tests, off unless the environment variable TOPICSTREAM_TEST_HOOKS lists a
 * hook (comma-separated; worker threads see the environment of the process that started them):
 *
 * - `hang-refit`: the refit worker's cluster job spins forever in a synchronous loop (a real hang:
 *   only the refit deadline, `stream.refit.timeoutSeconds`, or close() ends it).
 * - `crash-embed`: an embedding worker given a batch with a text containing
 *   CRASH_EMBED_MARKER ends its thread with process.exit(1) after the batch's first forward pass
 *   (a real worker death mid-batch: that batch fails, the worker is replaced).
 *
 * Never set in production; both hooks cost one environment lookup per job when off.
 */
export type TestHook = 'hang-refit' | 'crash-embed';

export const CRASH_EMBED_MARKER = '__topicstream_crash_embed_worker__';

export function testHookEnabled(hook: TestHook): boolean {
  const v = process.env.TOPICSTREAM_TEST_HOOKS;
  return !!v && v.split(',').some((h) => h.trim() === hook);
}

/** Refit worker, cluster job: never returns under `hang-refit`. */
export function hangRefitIfHooked(): void {
  if (!testHookEnabled('hang-refit')) return;
  for (;;) {
    // spin: a synchronous hang, as a runaway loop in UMAP or HDBSCAN would be
  }
}

/** Embedding worker, mid-batch: ends the thread under `crash-embed` when a text holds the marker. */
export function crashEmbedIfHooked(texts: readonly string[]): void {
  if (testHookEnabled('crash-embed') && texts.some((t) => t.includes(CRASH_EMBED_MARKER))) process.exit(1);
}
