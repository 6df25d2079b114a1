import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root, whether this file runs from test/ (ts) or dist/test/ (compiled js). */
function findRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const parts = here.split(path.sep);
  const distAt = parts.lastIndexOf('dist');
  if (distAt >= 0) return parts.slice(0, distAt).join(path.sep) || path.sep;
  return path.resolve(here, '..', '..');
}

export const ROOT = findRoot();
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const SHARED_DATA = path.resolve(ROOT, '..', 'shared', 'data');
export const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
