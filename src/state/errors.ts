/** Why a snapshot cannot be used: corruption (set aside, start-up goes on) or a configuration mistake (start-up stops). */

export type CorruptionKind = 'missing_file' | 'truncated' | 'checksum' | 'bad_json' | 'row_count' | 'bad_manifest' | 'bad_content';

/** The snapshot in `dir` is damaged: it is logged, moved to corrupt-<time>/, and the next one is tried. */
export class CorruptSnapshotError extends Error {
  constructor(
    readonly dir: string,
    readonly kind: CorruptionKind,
    detail: string,
  ) {
    super(`corrupt snapshot ${dir} (${kind}): ${detail}`);
    this.name = 'CorruptSnapshotError';
  }
}

/**
 * The snapshot is intact but not usable by this configuration (another embedding model or
 * dimension, or a format from a newer release): a start-up error, never silently discarded.
 */
export class SnapshotMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotMismatchError';
  }
}
