/** A fit output folder as the input of `refit`, `reduce` and `predict`: its snapshot and its configuration. */
import { deepMerge, envOverrides, loadConfig, readConfigFile } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { InputError } from '../../io/lines.js';
import { hasModelSnapshot, readModelSnapshot, type ModelSnapshot } from '../../model/snapshot.js';

/** The snapshot of DIR (InputError when DIR is no fit output folder). */
export function readSavedFit(dir: string): ModelSnapshot {
  if (!hasModelSnapshot(dir)) throw new InputError(`${dir} has no model/manifest.json: is it the --out folder of \`topicstream fit\`?`);
  return readModelSnapshot(dir);
}

/**
 * The fitted model's configuration < --config FILE < environment < flags (the usual order, with
 * the saved configuration in place of the defaults' role).
 */
export function configOverSaved(saved: unknown, file: string | undefined, flags: Record<string, unknown>): Config {
  const base = typeof saved === 'object' && saved !== null ? { ...(saved as Record<string, unknown>) } : {};
  delete base.version;
  let merged = base;
  if (file) merged = deepMerge(merged, readConfigFile(file));
  merged = deepMerge(merged, envOverrides(process.env));
  return loadConfig({ env: {}, flags: deepMerge(merged, flags) });
}

/** A stand-in embedder for runs on stored embeddings: any call to embed is a bug. */
export function storedEmbedder(dim: number, modelId: string) {
  return {
    dim,
    modelId,
    /** embeds nothing: a representation that embeds words (MMR, KeyBERT) starts the config's model (buildFitStages) */
    stored: true as const,
    embed: () => Promise.reject(new Error('the embeddings are stored; nothing should be embedded')),
    close: () => Promise.resolve(),
  };
}
