/**
 * manifest.json: the byte length and sha256 of every data file of a snapshot, and a sha256 of the
 * manifest's own content (every field but `sha256`, serialised as written), so a damaged manifest
 * is told apart from damaged data.
 */
import { CorruptSnapshotError } from './errors.js';
import { DATA_FILES, MANIFEST_FORMAT } from './format.js';
import { sha256 } from '../core/sha256.js';

export interface FileEntry {
  bytes: number;
  sha256: string;
}

interface ManifestBody {
  format: string;
  state_format: string;
  created_at: string;
  files: Record<string, FileEntry>;
}

export interface Manifest extends ManifestBody {
  /** sha256 of JSON.stringify(body) where body is the manifest without this field */
  sha256: string;
}

export function buildManifest(stateFormat: string, files: Array<[name: string, data: Uint8Array]>): Manifest {
  const body: ManifestBody = {
    format: MANIFEST_FORMAT,
    state_format: stateFormat,
    created_at: new Date().toISOString(),
    files: Object.fromEntries(files.map(([name, data]) => [name, { bytes: data.length, sha256: sha256(data) }])),
  };
  return { ...body, sha256: sha256(JSON.stringify(body)) };
}

/** Parses and verifies manifest.json's text; throws CorruptSnapshotError naming `dir` when it is damaged. */
export function parseManifest(dir: string, text: string): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (e) {
    throw new CorruptSnapshotError(dir, 'bad_json', `manifest.json is not JSON (${(e as Error).message})`);
  }
  if (typeof m !== 'object' || m === null || typeof m.sha256 !== 'string') throw new CorruptSnapshotError(dir, 'bad_manifest', 'manifest.json has no sha256');
  const { sha256: claimed, ...body } = m;
  if (sha256(JSON.stringify(body)) !== claimed) throw new CorruptSnapshotError(dir, 'checksum', 'manifest.json does not match its own sha256');
  if (m.format !== MANIFEST_FORMAT) throw new CorruptSnapshotError(dir, 'bad_manifest', `manifest.json has format ${String(m.format)}, expected ${MANIFEST_FORMAT}`);
  for (const f of DATA_FILES) {
    const e = m.files?.[f];
    if (!e || !Number.isInteger(e.bytes) || typeof e.sha256 !== 'string') throw new CorruptSnapshotError(dir, 'bad_manifest', `manifest.json lists no ${f}`);
  }
  return m;
}

/** Checks one file's bytes against its manifest entry. */
export function verifyFile(dir: string, name: string, data: Uint8Array, entry: FileEntry): void {
  if (data.length < entry.bytes) throw new CorruptSnapshotError(dir, 'truncated', `${name} has ${data.length} bytes, the manifest says ${entry.bytes}`);
  if (data.length > entry.bytes) throw new CorruptSnapshotError(dir, 'checksum', `${name} has ${data.length} bytes, the manifest says ${entry.bytes}`);
  if (sha256(data) !== entry.sha256) throw new CorruptSnapshotError(dir, 'checksum', `${name} does not match its sha256 in the manifest`);
}
